"""The council calendar's rules (shared/council_calendar.py): given the years set, when an officer
sets one, then the year is recorded, or refused naming the field, or nothing new is recorded."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest

from shared.council_calendar import (
    NO_CALENDAR,
    AcademicYearTerms,
    CouncilTermDatesSet,
    SetCouncilTermDates,
    TermDates,
    decide,
    evolve,
)
from shared.errors import InvalidInput, RuleViolation

SET_ON = date(2026, 7, 1)


def year_of(academic_year: int, **changes) -> dict:
    """A typical English year's terms (its autumn starting in the first week of September)."""
    y = academic_year
    terms = {
        "academic_year": y,
        "autumn": {
            "start": date(y, 9, 3),
            "half_term_start": date(y, 10, 26),
            "half_term_end": date(y, 10, 30),
            "end": date(y, 12, 18),
        },
        "spring": {
            "start": date(y + 1, 1, 5),
            "half_term_start": date(y + 1, 2, 15),
            "half_term_end": date(y + 1, 2, 19),
            "end": date(y + 1, 3, 26),
        },
        "summer": {
            "start": date(y + 1, 4, 12),
            "half_term_start": date(y + 1, 5, 31),
            "half_term_end": date(y + 1, 6, 4),
            "end": date(y + 1, 7, 21),
        },
        "closure_days": [],
    }
    for path, value in changes.items():
        season, _, part = path.partition("__")
        if part:
            terms[season] = {**terms[season], part: value}
        else:
            terms[season] = value
    return terms


def set_year(academic_year: int, *given: CouncilTermDatesSet, council: str = "Medway", **changes):
    command = SetCouncilTermDates(
        council=council,
        terms=AcademicYearTerms.model_validate(year_of(academic_year, **changes)),
        set_by="vsh-1",
        set_on=SET_ON,
    )
    return decide(command, reduce(evolve, given, NO_CALENDAR))


def test_a_year_set_is_recorded_and_the_same_year_again_records_nothing() -> None:
    [event] = set_year(2026)

    assert isinstance(event, CouncilTermDatesSet)
    assert (event.council, event.academic_year, event.set_by, event.adopted_from) == (
        "Medway",
        2026,
        "vsh-1",
        (),
    )
    assert event.autumn.half_term_start == date(2026, 10, 26)
    assert set_year(2026, event) == []


def test_setting_a_year_again_with_other_dates_corrects_it() -> None:
    [first] = set_year(2026)
    [second] = set_year(2026, first, summer__end=date(2027, 7, 23))

    assert reduce(evolve, [first, second], NO_CALENDAR).years[2026].summer.end == date(2027, 7, 23)


def test_years_follow_on_from_one_held_so_school_days_can_be_counted_without_a_gap() -> None:
    [autumn_2025] = set_year(2025)
    [event_2026] = set_year(2026, autumn_2025)
    [event_2024] = set_year(2024, autumn_2025, event_2026)
    assert event_2024.academic_year == 2024

    with pytest.raises(RuleViolation) as gap:
        set_year(2028, autumn_2025, event_2026)
    assert gap.value.field == "academic_year"
    assert "2025/26 to 2026/27" in gap.value.detail


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"autumn__start": date(2025, 12, 1)}, "autumn.start"),
        ({"spring__end": date(2027, 1, 4)}, "spring.end"),
        ({"spring__start": date(2026, 12, 10)}, "spring.start"),
        ({"summer__end": date(2026, 7, 21)}, "summer.end"),
        ({"autumn__half_term_start": date(2026, 9, 1)}, "autumn.half_term_start"),
        ({"autumn__half_term_end": date(2026, 10, 20)}, "autumn.half_term_end"),
        ({"summer__end": date(2027, 6, 1)}, "summer.end"),
        ({"autumn__half_term_end": None}, "autumn.half_term_end"),
        ({"closure_days": [date(2026, 8, 20)]}, "closure_days[0]"),
    ],
)
def test_dates_that_do_not_make_a_year_are_refused_naming_the_field(changes: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        set_year(2026, **changes)

    assert refused.value.field == field


def test_a_year_overlapping_the_next_year_held_is_refused() -> None:
    [autumn_2027] = set_year(2027, autumn__start=date(2027, 9, 1))

    with pytest.raises(InvalidInput) as refused:
        set_year(2026, autumn_2027, summer__end=date(2027, 9, 1))

    assert refused.value.field == "summer.end"


def test_a_term_without_a_half_term_counts_no_day_as_half_term() -> None:
    term = TermDates(start=date(2026, 9, 3), end=date(2026, 12, 18))

    assert not term.has_half_term
    assert not term.in_half_term(date(2026, 10, 28))
    assert term.contains(date(2026, 10, 28))
