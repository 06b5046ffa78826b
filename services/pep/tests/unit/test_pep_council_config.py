"""The council's settings as events: term dates a year at a time (the council calendar's, which
the settings fold), timing policy versions over the domain defaults (domain.md sections 2 and 5,
*configurable*)."""

from __future__ import annotations

from datetime import date

import pytest
from pep.domain.compliance import status_as_recorded
from pep.domain.council_config import (
    NO_CONFIG,
    PepTermDatesSet,
    PepTimingPolicySet,
    SetPepTimingPolicy,
    decide,
    fold,
)
from pep.domain.deadlines import ObligationStatus
from pep.domain.terms import SchoolCalendar, TermDatesMissing, term
from pep.domain.timing import DEFAULT_PEP_TIMING, PepTimingPolicy, in_place_due_on_after_entering_care

from shared import council_calendar
from shared.council_calendar import CouncilTermDatesSet, SetCouncilTermDates
from shared.errors import RuleViolation

SET_ON = date(2024, 7, 1)


def set_year(calendar: SchoolCalendar, academic_year: int, events=()):
    """The council calendar's decision on setting a year, given the calendar events so far."""
    year = next(y for y in calendar.years if y.academic_year == academic_year)
    held = council_calendar.NO_CALENDAR
    for event in events:
        held = council_calendar.evolve(held, event)
    command = SetCouncilTermDates(council="Medway", terms=year, set_by="vsh-1", set_on=SET_ON)
    return council_calendar.decide(command, held)


def test_without_settings_the_defaults_apply_and_school_days_are_refused_naming_the_year() -> None:
    assert NO_CONFIG.timing_policies() == DEFAULT_PEP_TIMING
    calendar = NO_CONFIG.school_calendar()
    assert calendar.terms() == []
    with pytest.raises(TermDatesMissing) as missing:
        calendar.is_school_day(date(2024, 11, 4))
    assert "2024/25" in missing.value.detail
    with pytest.raises(TermDatesMissing) as missing:
        calendar.term_dates(term(2024, "spring"))
    assert missing.value.field == "term"


def test_term_dates_follow_on_year_by_year_and_setting_the_same_again_changes_nothing(term_dates) -> None:
    events = set_year(term_dates, 2023)
    [event] = set_year(term_dates, 2024, events)
    assert isinstance(event, CouncilTermDatesSet)
    events = [*events, event]
    assert fold(events).school_calendar().years == term_dates.years[2:]
    assert fold(events).council == "Medway"
    assert set_year(term_dates, 2024, events) == []
    with pytest.raises(RuleViolation) as gap:
        set_year(term_dates, 2021, events)
    assert gap.value.field == "academic_year"


def test_term_dates_the_service_kept_before_the_council_calendar_are_passed_over(term_dates) -> None:
    """Their years were carried into the calendar; folding both would count a year twice."""
    year = term_dates.years[0]
    retired = PepTermDatesSet(
        council="Medway", **year.model_dump(exclude={"closure_days"}), closure_days=year.closure_days, set_on=SET_ON
    )
    assert fold([retired]).school_calendar().years == ()


def test_a_policy_version_joins_the_defaults_from_its_effective_date(term_dates) -> None:
    version = PepTimingPolicy(effective_from=date(2024, 3, 25), count_school_days=True)
    [event] = decide(SetPepTimingPolicy(policy=version, set_on=SET_ON), NO_CONFIG)
    assert isinstance(event, PepTimingPolicySet)
    policies = fold([event]).timing_policies()
    assert [v.effective_from for v in policies.versions] == [date(2000, 1, 1), date(2024, 3, 25)]
    assert in_place_due_on_after_entering_care(date(2024, 3, 27), policies, term_dates) == date(2024, 5, 10)
    assert decide(SetPepTimingPolicy(policy=version, set_on=SET_ON), fold([event])) == []


def test_an_obligation_is_overdue_in_the_report_once_the_scheduler_has_recorded_it() -> None:
    due = date(2024, 10, 1)
    assert status_as_recorded(due, None, overdue_raised=False) is ObligationStatus.NOT_YET_DUE
    assert status_as_recorded(due, None, overdue_raised=True) is ObligationStatus.OVERDUE
    assert status_as_recorded(due, date(2024, 10, 1), overdue_raised=False) is ObligationStatus.MET_IN_TIME
    assert status_as_recorded(due, date(2024, 10, 3), overdue_raised=True) is ObligationStatus.MET_LATE
