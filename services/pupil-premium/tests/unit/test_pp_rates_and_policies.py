"""The configurable rates table and devolution policies (domain.md section 3)."""

from datetime import date

import pytest

from pupil_premium.domain.devolution import (
    DEFAULT_DEVOLUTION_POLICIES,
    Bands,
    CappedTermlyRequests,
    DevolutionPolicies,
    DevolvedShare,
    TermlyInstalments,
)
from pupil_premium.domain.financial_year import FinancialYear
from pupil_premium.domain.rates import DEFAULT_RATES, RatesTable
from shared.errors import RuleViolation


@pytest.mark.parametrize(
    ("year", "pence"),
    [
        ("2014-15", 190_000),
        ("2017-18", 190_000),
        ("2018-19", 230_000),
        ("2019-20", 230_000),
        ("2020-21", 234_500),
        ("2021-22", 234_500),
        ("2022-23", 241_000),
        ("2023-24", 253_000),
        ("2024-25", 257_000),
        ("2025-26", 263_000),
    ],
)
def test_the_default_rates_are_those_in_domain_md(year, pence):
    assert DEFAULT_RATES.rate_for(FinancialYear.parse(year)) == pence


def test_a_year_without_a_rate_is_refused_until_one_is_added():
    with pytest.raises(RuleViolation) as refused:
        DEFAULT_RATES.rate_for(FinancialYear.parse("2026-27"))
    assert refused.value.field == "financial_year"
    assert DEFAULT_RATES.with_rate("2026-27", 270_000).rate_for(FinancialYear.parse("2026-27")) == 270_000


def test_a_rate_must_be_whole_pence():
    with pytest.raises(ValueError):
        RatesTable({"2024-25": 2570.5})


def test_by_default_requests_are_capped_at_650_pounds_a_term():
    policy = DEFAULT_DEVOLUTION_POLICIES.in_force_on(date(2024, 10, 1))
    assert isinstance(policy, CappedTermlyRequests)
    policy.check_amount(65_000, already_awarded_pence=0, field_name="amount_pence")
    with pytest.raises(RuleViolation) as refused:
        policy.check_amount(65_001, already_awarded_pence=0, field_name="amount_pence")
    assert refused.value.field == "amount_pence"


def test_the_cap_counts_what_the_child_already_has_for_the_term():
    policy = CappedTermlyRequests()
    with pytest.raises(RuleViolation):
        policy.check_amount(30_000, already_awarded_pence=40_000, field_name="amount_pence")
    policy.check_amount(25_000, already_awarded_pence=40_000, field_name="amount_pence")


def test_the_policy_in_force_is_the_one_adopted_most_recently_before_the_day():
    policies = DEFAULT_DEVOLUTION_POLICIES.adopt(date(2025, 4, 1), Bands())
    assert isinstance(policies.in_force_on(date(2025, 3, 31)), CappedTermlyRequests)
    assert isinstance(policies.in_force_on(date(2025, 4, 1)), Bands)


def test_no_policy_before_the_first_is_adopted():
    with pytest.raises(RuleViolation):
        DevolutionPolicies([(date(2020, 4, 1), CappedTermlyRequests())]).in_force_on(date(2020, 3, 31))


def test_banded_awards_must_be_one_of_the_bands():
    policy = Bands()
    policy.check_amount(80_000, already_awarded_pence=0, field_name="amount_pence")
    with pytest.raises(RuleViolation, match="not one of the bands"):
        policy.check_amount(50_000, already_awarded_pence=0, field_name="amount_pence")
    with pytest.raises(RuleViolation):
        policy.check_amount(0, already_awarded_pence=0, field_name="amount_pence")


def test_banded_awards_are_capped_for_the_year_at_the_top_band():
    policy = Bands()
    assert policy.cap_scope == "year"
    with pytest.raises(RuleViolation):
        policy.check_amount(80_000, already_awarded_pence=80_000, field_name="amount_pence")


def test_termly_instalments_are_a_fixed_amount_released_when_the_pep_is_good():
    policy = TermlyInstalments()
    policy.check_amount(30_000, already_awarded_pence=0, field_name="amount_pence")
    with pytest.raises(RuleViolation):
        policy.check_amount(25_000, already_awarded_pence=0, field_name="amount_pence")
    with pytest.raises(RuleViolation):
        policy.check_amount(30_000, already_awarded_pence=30_000, field_name="amount_pence")
    policy.check_pep_rating("green")
    with pytest.raises(RuleViolation):
        policy.check_pep_rating("amber")
    with pytest.raises(RuleViolation):
        policy.check_pep_rating(None)


def test_a_devolved_share_limits_what_reaches_schools_in_whole_pence():
    assert DevolvedShare(devolved_percent=50).devolved_limit_pence(1_000_001) == 500_000
    assert CappedTermlyRequests().devolved_limit_pence(1_000_001) is None


def test_a_policy_with_an_impossible_share_is_not_accepted():
    with pytest.raises(ValueError):
        DevolutionPolicies([(date(2020, 4, 1), DevolvedShare(devolved_percent=120))])
