"""The council's PP+ settings as data (domain.md: rates, devolution models and term dates are
*configurable*): given the settings events, when the Virtual School Head changes one, then ..."""

from datetime import date

import pytest
from pupil_premium.domain.council_config import (
    NO_SETTINGS,
    AdoptDevolutionPolicy,
    PupilPremiumTermDatesSet,
    SetRate,
    TermDates,
    adopt_devolution_policy,
    evolve_settings,
    set_rate,
)
from pupil_premium.domain.devolution import Bands, CappedTermlyRequests, DevolvedShare
from pupil_premium.domain.financial_year import FinancialYear
from pupil_premium.domain.money import parse_command

from shared.council_calendar import CouncilTermDatesSet
from shared.council_calendar import TermDates as CalendarTerm
from shared.errors import InvalidInput, RuleViolation

TODAY = date(2026, 11, 2)
BY = "Virtual School Head"


def settled(*decisions):
    settings = NO_SETTINGS
    for events in decisions:
        for event in events:
            settings = evolve_settings(settings, event)
    return settings


def calendar_year() -> CouncilTermDatesSet:
    return CouncilTermDatesSet(
        council="Medway",
        academic_year=2026,
        autumn=CalendarTerm(
            start=date(2026, 9, 3),
            half_term_start=date(2026, 10, 26),
            half_term_end=date(2026, 10, 30),
            end=date(2026, 12, 18),
        ),
        spring=CalendarTerm(start=date(2027, 1, 5), end=date(2027, 3, 26)),
        summer=CalendarTerm(start=date(2027, 4, 12), end=date(2027, 7, 21)),
        set_by=BY,
        set_on=TODAY,
    )


def test_until_anything_is_set_the_defaults_of_domain_md_apply():
    assert NO_SETTINGS.rates_table.rate_for(FinancialYear(2025)) == 263_000
    assert NO_SETTINGS.devolution_policies.in_force_on(TODAY) == CappedTermlyRequests(termly_cap_pence=65_000)
    assert NO_SETTINGS.term_calendar.get("autumn-2026").starts_on == date(2026, 9, 1)
    with pytest.raises(RuleViolation):
        NO_SETTINGS.rates_table.rate_for(FinancialYear(2026))


def test_a_rate_for_a_new_year_is_added_and_setting_the_same_rate_again_changes_nothing():
    [event] = set_rate(SetRate(financial_year="2026-27", rate_pence=270_000), NO_SETTINGS, today=TODAY, by=BY)
    assert (event.previous_rate_pence, event.rate_pence, event.set_by) == (None, 270_000, BY)
    settings = settled([event])
    assert settings.rates_table.rate_for(FinancialYear(2026)) == 270_000
    assert set_rate(SetRate(financial_year="2026-27", rate_pence=270_000), settings, today=TODAY, by=BY) == []
    [correction] = set_rate(
        SetRate(financial_year="2025-26", rate_pence=264_000), settings, today=TODAY, by=BY
    )
    assert correction.previous_rate_pence == 263_000


def test_a_rate_is_whole_pence_above_zero():
    for bad in (0, -1, 2_630.5, "2630"):
        with pytest.raises(InvalidInput) as refused:
            parse_command(SetRate, {"financial_year": "2026-27", "rate_pence": bad})
        assert refused.value.field == "rate_pence"


def test_a_policy_is_adopted_from_today_or_later_and_applies_from_that_day():
    command = parse_command(
        AdoptDevolutionPolicy,
        {
            "effective_from": date(2026, 12, 1),
            "policy": {"model": "bands", "bands_pence": [0, 50_000, 100_000]},
        },
    )
    [event] = adopt_devolution_policy(command, NO_SETTINGS, today=TODAY, by=BY)
    assert event.description == "banded awards of 0.00 / 500.00 / 1000.00 pounds a year"
    policies = settled([event]).devolution_policies
    assert isinstance(policies.in_force_on(date(2026, 11, 30)), CappedTermlyRequests)
    assert policies.in_force_on(date(2026, 12, 1)) == Bands(bands_pence=(0, 50_000, 100_000))

    backdated = AdoptDevolutionPolicy(effective_from=date(2026, 11, 1), policy=command.policy)
    with pytest.raises(InvalidInput) as refused:
        adopt_devolution_policy(backdated, NO_SETTINGS, today=TODAY, by=BY)
    assert refused.value.field == "effective_from"


def test_each_devolution_model_of_domain_md_can_be_adopted():
    models = [
        ({"model": "termly_instalments", "instalment_pence": 30_000}, "termly instalments of 300.00 pounds"),
        ({"model": "capped_termly_requests", "termly_cap_pence": 65_000}, "up to 650.00 pounds a term"),
        ({"model": "bands"}, "0.00 / 400.00 / 800.00 / 1500.00 pounds a year"),
        (
            {"model": "devolved_share", "devolved_percent": 50},
            "50% devolved to schools, 50% retained centrally",
        ),
    ]
    for policy, words in models:
        command = parse_command(AdoptDevolutionPolicy, {"effective_from": TODAY, "policy": policy})
        [event] = adopt_devolution_policy(command, NO_SETTINGS, today=TODAY, by=BY)
        assert words in event.description
    share = parse_command(AdoptDevolutionPolicy, {"effective_from": TODAY, "policy": models[3][0]})
    in_force = settled(adopt_devolution_policy(share, NO_SETTINGS, today=TODAY, by=BY)).devolution_policies
    assert in_force.in_force_on(TODAY) == DevolvedShare(devolved_percent=50)
    with pytest.raises(InvalidInput) as refused:
        parse_command(
            AdoptDevolutionPolicy,
            {"effective_from": TODAY, "policy": {"model": "devolved_share", "devolved_percent": 101}},
        )
    assert refused.value.field == "policy.devolved_share.devolved_percent"


def test_a_year_of_the_council_calendar_replaces_the_default_year_and_keeps_its_financial_years():
    calendar = settled([calendar_year()]).term_calendar
    assert calendar.get("autumn-2026").starts_on == date(2026, 9, 3)
    assert calendar.get("spring-2027").ends_on == date(2027, 3, 26)
    assert calendar.get("summer-2027").financial_year == FinancialYear(2027)
    assert calendar.term_on(date(2026, 12, 25)).key == "autumn-2026"  # the holiday after autumn
    assert calendar.get("autumn-2025").starts_on == date(2025, 9, 1)  # other years keep the defaults


def test_term_dates_the_service_kept_before_the_council_calendar_are_passed_over():
    """Their years were carried into the calendar (shared/calendar_adoption.py)."""
    retired = PupilPremiumTermDatesSet(
        academic_year=2026,
        terms=(
            TermDates(term="autumn-2026", starts_on=date(2026, 9, 10), ends_on=date(2026, 12, 18)),
            TermDates(term="spring-2027", starts_on=date(2027, 1, 5), ends_on=date(2027, 3, 26)),
            TermDates(term="summer-2027", starts_on=date(2027, 4, 12), ends_on=date(2027, 7, 21)),
        ),
        set_on=TODAY,
        set_by=BY,
    )
    assert settled([retired]) == NO_SETTINGS
