"""The council's configuration as events: review cycles from the council calendar, support offers,
floor and review rules, each with the domain's defaults standing until the council sets its own."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import reduce

import pytest
from schools.domain.categorisation import CouncilCategory
from schools.domain.configuration import (
    DEFAULT_CONFIGURATION,
    CouncilConfiguration,
    FloorRuleSet,
    FloorThreshold,
    ReviewRuleSet,
    SetFloorRule,
    SetReviewRule,
    SetSupportOffer,
    SupportOfferSet,
    TermDates,
    TermDatesSet,
    decide,
    evolve,
)
from schools.domain.floor_standards import KS2_2011, KeyStage
from schools.domain.support import KENT_SUPPORT_OFFER_2013

from shared.council_calendar import CouncilTermDatesSet
from shared.council_calendar import TermDates as CalendarTerm
from shared.errors import InvalidInput
from shared.events import Event

SET_ON = date(2026, 7, 1)


def given(*events: Event) -> CouncilConfiguration:
    return reduce(evolve, events, DEFAULT_CONFIGURATION)


def offer(**days: int) -> SetSupportOffer:
    by_category = {c: Decimal(days.get(c.value, 3)) for c in CouncilCategory}
    return SetSupportOffer(
        effective_from=date(2026, 9, 1),
        days_by_category=by_category,
        academy_days=Decimal(2),
        source="cabinet, July 2026",
        set_by="pa.okafor",
        set_on=SET_ON,
    )


def test_until_the_council_sets_anything_the_defaults_stand() -> None:
    config = given()

    assert config.term_calendar().term_for(date(2026, 11, 2), field="today").name == "2026-27 term 2"
    assert config.support_policy().offer_for(2026) == KENT_SUPPORT_OFFER_2013
    assert config.floor_standards().rule_for(2011, KeyStage.KS2) == KS2_2011
    assert config.review_policy().rule_on(date(2026, 11, 2)).frequent_interval == timedelta(weeks=6)


def calendar_year(*, half_terms: bool) -> CouncilTermDatesSet:
    def term(start: date, half: tuple[date, date], end: date) -> CalendarTerm:
        if not half_terms:
            return CalendarTerm(start=start, end=end)
        return CalendarTerm(start=start, half_term_start=half[0], half_term_end=half[1], end=end)

    return CouncilTermDatesSet(
        council="Kent",
        academic_year=2026,
        autumn=term(date(2026, 9, 2), (date(2026, 10, 26), date(2026, 10, 30)), date(2026, 12, 18)),
        spring=term(date(2027, 1, 5), (date(2027, 2, 15), date(2027, 2, 19)), date(2027, 3, 26)),
        summer=term(date(2027, 4, 12), (date(2027, 5, 31), date(2027, 6, 4)), date(2027, 7, 21)),
        set_by="pa.okafor",
        set_on=SET_ON,
    )


def test_a_year_of_the_council_calendar_gives_six_review_cycles_and_replaces_its_typical_terms_only() -> None:
    calendar = given(calendar_year(half_terms=True)).term_calendar()

    autumn_2 = calendar.term_for(date(2026, 11, 2), field="today")
    assert (autumn_2.name, autumn_2.starts_on, autumn_2.ends_on) == (
        "2026-27 term 2",
        date(2026, 10, 31),
        date(2026, 12, 18),
    )
    # A day in the half-term belongs to the review cycle after it.
    assert calendar.term_for(date(2026, 10, 28), field="today").name == "2026-27 term 2"
    assert calendar.term_for(date(2027, 6, 10), field="today").name == "2026-27 term 6"
    assert calendar.term_for(date(2027, 9, 10), field="today").name == "2027-28 term 1"


def test_a_year_recorded_without_half_terms_gives_three_review_cycles() -> None:
    calendar = given(calendar_year(half_terms=False)).term_calendar()

    assert calendar.term_for(date(2026, 11, 2), field="today").name == "2026-27 term 1"
    assert calendar.term_for(date(2027, 6, 10), field="today").name == "2026-27 term 3"


def test_term_dates_the_service_kept_before_the_council_calendar_are_passed_over() -> None:
    """Their years were carried into the calendar (shared/calendar_adoption.py)."""
    retired = TermDatesSet(
        academic_year=2026,
        terms=[TermDates(name="autumn", starts_on=date(2026, 9, 2), ends_on=date(2026, 12, 18))],
        set_by="pa.okafor",
        set_on=SET_ON,
    )

    assert given(retired) == given()


def test_a_new_support_offer_applies_from_its_year_and_the_old_one_before() -> None:
    [event] = decide(offer(requires_improvement=15), given())
    policy = given(event).support_policy()

    assert isinstance(event, SupportOfferSet)
    assert policy.offer_for(2026).days_by_category[CouncilCategory.REQUIRES_IMPROVEMENT] == 15
    assert policy.offer_for(2025) == KENT_SUPPORT_OFFER_2013


def test_an_offer_must_give_every_category_in_half_days() -> None:
    missing = offer().model_copy(
        update={"days_by_category": {c: Decimal(3) for c in CouncilCategory if c != CouncilCategory.AT_RISK}}
    )
    quarter = offer().model_copy(update={"academy_days": Decimal("2.25")})

    with pytest.raises(InvalidInput) as no_at_risk:
        decide(missing, given())
    with pytest.raises(InvalidInput) as quarter_day:
        decide(quarter, given())

    assert no_at_risk.value.field == "days_by_category.at_risk"
    assert quarter_day.value.field == "academy_days"


def test_a_floor_rule_for_a_year_and_key_stage_is_used_for_exactly_that_year() -> None:
    command = SetFloorRule(
        year=2013,
        key_stage=KeyStage.KS2,
        attainment=FloorThreshold(measure="pct_level4_english_and_maths", minimum=Decimal(60)),
        progress=[FloorThreshold(measure="pct_expected_progress_english", minimum=Decimal(89))],
        progress_short_on="any",
        source="DfE 2013",
        set_by="pa.okafor",
        set_on=SET_ON,
    )
    [event] = decide(command, given())
    standards = given(event).floor_standards()

    assert isinstance(event, FloorRuleSet)
    assert standards.rule_for(2013, KeyStage.KS2).progress_short_on == "any"
    assert standards.rule_for(2011, KeyStage.KS2) == KS2_2011
    assert standards.rule_for(2012, KeyStage.KS2) is None
    assert decide(command, given(event)) == []


def test_a_floor_rule_naming_a_measure_twice_is_refused() -> None:
    twice = FloorThreshold(measure="pct_level4_english_and_maths", minimum=Decimal(60))

    with pytest.raises(InvalidInput) as refused:
        decide(
            SetFloorRule(
                year=2013,
                key_stage=KeyStage.KS2,
                attainment=twice,
                progress=[twice],
                progress_short_on="all",
                source="x",
                set_by="pa",
                set_on=SET_ON,
            ),
            given(),
        )

    assert refused.value.field == "progress"


@pytest.mark.parametrize(("days", "accepted"), [(6, False), (7, True), (42, True), (183, True), (184, False)])
def test_frequent_reviews_come_between_weekly_and_half_yearly(days: int, accepted: bool) -> None:
    command = SetReviewRule(
        effective_from=date(2026, 9, 1),
        frequent_categories=[CouncilCategory.AT_RISK],
        frequent_interval_days=days,
        source="cabinet",
        set_by="pa.okafor",
        set_on=SET_ON,
    )

    if accepted:
        [event] = decide(command, given())
        assert isinstance(event, ReviewRuleSet)
        rule = given(event).review_policy().rule_on(date(2026, 9, 1))
        assert rule.frequent_interval == timedelta(days=days)
        assert rule.frequent_categories == frozenset({CouncilCategory.AT_RISK})
    else:
        with pytest.raises(InvalidInput) as refused:
            decide(command, given())
        assert refused.value.field == "frequent_interval_days"
