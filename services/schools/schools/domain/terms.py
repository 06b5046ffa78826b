"""Academic years and the review cycles of the council's term calendar (domain.md section 5).

The academic year runs September to August and is named by the year it starts in (2013 is
2013-14). Term dates are the council's one calendar (``shared.council_calendar``); schools are
reviewed once a review cycle, and a year's cycles are the halves of its three terms, split at
half-term (six a year: Kent reviews its schools six times a year), or its three terms where the
year was recorded without half-terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from shared.council_calendar import SEASONS, AcademicYearTerms
from shared.errors import InvalidInput


def academic_year_of(day: date) -> int:
    """The academic year ``day`` falls in, named by the year it starts: 2014-03-01 is in 2013."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def academic_year_start(year: int) -> date:
    return date(year, 9, 1)


def academic_year_end(year: int) -> date:
    return date(year + 1, 8, 31)


@dataclass(frozen=True)
class Term:
    name: str  # e.g. "2013-14 autumn 1"
    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        if self.ends_on < self.starts_on:
            raise ValueError(f"term {self.name} ends before it starts")

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class TermCalendar:
    """The council's terms in order. A day in a holiday belongs to the term that follows it."""

    terms: tuple[Term, ...]

    def __post_init__(self) -> None:
        ordered = sorted(self.terms, key=lambda t: t.starts_on)
        for earlier, later in pairwise(ordered):
            if later.starts_on <= earlier.ends_on:
                raise ValueError(f"terms {earlier.name} and {later.name} overlap")
        if len({t.name for t in ordered}) != len(ordered):
            raise ValueError("term names must be unique")
        object.__setattr__(self, "terms", tuple(ordered))

    def term_for(self, day: date, *, field: str) -> Term:
        """The term containing ``day``, or in a holiday the next term; InvalidInput on ``field``
        if the calendar does not reach that far."""
        for term in self.terms:
            if day <= term.ends_on:
                return term
        raise InvalidInput(
            f"the council's term calendar has no term on or after {day.isoformat()}", field=field
        )

    def term_after(self, term: Term, *, field: str) -> Term:
        return self.term_for(term.ends_on + timedelta(days=1), field=field)


#: A typical English year of six terms (month, day of start; month, day of end; which calendar
#: year of the academic year). Councils set their own dates; these stand in for any year the
#: council has not set, so that review cycles exist from the first day the service runs.
_TYPICAL_TERMS = (
    ((9, 3), (10, 23), 0),
    ((11, 3), (12, 19), 0),
    ((1, 5), (2, 13), 1),
    ((2, 23), (4, 2), 1),
    ((4, 20), (5, 22), 1),
    ((6, 1), (7, 22), 1),
)


def typical_terms(academic_year: int) -> tuple[Term, ...]:
    """Six terms named like Kent's ("2026-27 term 1" ... "term 6") on typical English dates."""
    label = academic_year_label(academic_year)
    return tuple(
        Term(
            f"{label} term {number}",
            date(academic_year + offset, *starts),
            date(academic_year + offset, *ends),
        )
        for number, (starts, ends, offset) in enumerate(_TYPICAL_TERMS, start=1)
    )


def review_terms(year: AcademicYearTerms) -> tuple[Term, ...]:
    """A year of the council calendar as review cycles: "2026-27 term 1" to "term 6" (the halves
    of each term, either side of its half-term), or "term 1" to "term 3" without half-terms."""
    spans: list[tuple[date, date]] = []
    for season in SEASONS:
        dates = year.dates(season)
        # A half-term at the very start or end of a term leaves it whole.
        halves = dates.half_term_start is not None and dates.half_term_end is not None
        if halves and dates.start < dates.half_term_start and dates.half_term_end < dates.end:
            spans.append((dates.start, dates.half_term_start - timedelta(days=1)))
            spans.append((dates.half_term_end + timedelta(days=1), dates.end))
        else:
            spans.append((dates.start, dates.end))
    label = academic_year_label(year.academic_year)
    return tuple(
        Term(f"{label} term {number}", starts, ends) for number, (starts, ends) in enumerate(spans, start=1)
    )
