"""School days, counted on the council's term dates (domain.md section 5, *configurable*).

The term dates themselves are the council's one calendar (``shared.council_calendar``: three terms
a year, their half-terms and closure days), entered once and read from the log. Here they are
gathered into a ``SchoolCalendar``. A *school day* is a weekday inside a term, outside its
half-term, that is not a bank holiday in England (Good Friday, Easter Monday, 19 September 2022
...) nor a day the council lists as a closure (INSET days).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, timedelta
from functools import cached_property, lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator

from shared.calendar import is_working_day
from shared.council_calendar import (
    SEASONS,
    AcademicYearTerms,
    Season,
    TermDates,
    academic_year_label,
    academic_year_of,
)

from .refusals import TermDatesMissing

__all__ = [
    "SEASONS",
    "AcademicYearTerms",
    "Season",
    "TermDates",
    "TermDatesMissing",
    "academic_year_label",
    "academic_year_of",
]

T = TypeVar("T")


class TermRef(BaseModel):
    """Names one term: ``TermRef(academic_year=2022, season="autumn")`` is autumn 2022/23."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    academic_year: int
    season: Season

    @property
    def order(self) -> tuple[int, int]:
        return (self.academic_year, SEASONS.index(self.season))

    @property
    def key(self) -> str:
        return f"{self.academic_year}-{self.season.value}"

    def __str__(self) -> str:
        return f"{self.season.value} {academic_year_label(self.academic_year)}"


@lru_cache(maxsize=1024)
def term(academic_year: int, season: Season | str) -> TermRef:
    # A term's name is an immutable value, and deadlines name the same few terms again and again.
    return TermRef(academic_year=academic_year, season=Season(season))


def refs_of(year: AcademicYearTerms) -> list[TermRef]:
    return [term(year.academic_year, season) for season in SEASONS]


class SchoolCalendar(BaseModel):
    """A council's term dates over its academic years, in order.

    A council that has not yet given any term dates has a calendar with no years: every question
    that needs a school day or a term is then refused with ``TermDatesMissing`` naming the date or
    term, while working-day rules (the default PEP timings) still apply. So is a question about a
    year the calendar does not hold (years carried over from older records may leave a gap).

    A calendar never changes once made, so the answers it gives about days and terms are kept on
    it: working out a council's deadlines asks the same few hundred questions for every child."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    council: str
    years: tuple[AcademicYearTerms, ...]

    @model_validator(mode="after")
    def _in_order(self) -> SchoolCalendar:
        held = [year.academic_year for year in self.years]
        if held != sorted(set(held)):
            raise ValueError("a school calendar holds each academic year once, in order")
        return self

    @property
    def first_day(self) -> date:
        if not self.years:
            raise TermDatesMissing(f"{self.council} has not set any term dates", field="term_dates")
        return self.years[0].autumn.start

    @property
    def last_day(self) -> date:
        if not self.years:
            raise TermDatesMissing(f"{self.council} has not set any term dates", field="term_dates")
        return self.years[-1].summer.end

    @cached_property
    def _answers(self) -> dict[Hashable, Any]:
        # Not a field: equality, hashing and serialisation see only the term dates.
        return {}

    def _remembered(self, question: Hashable, work_out: Callable[[], T]) -> T:
        """The answer to a question about this calendar, worked out the first time it is asked
        (a question refused with ``TermDatesMissing`` is asked again, and refused again)."""
        try:
            return self._answers[question]  # type: ignore[no-any-return]
        except KeyError:
            answer = self._answers[question] = work_out()
            return answer

    @cached_property
    def _by_year(self) -> dict[int, AcademicYearTerms]:
        return {year.academic_year: year for year in self.years}

    def _year(self, academic_year: int) -> AcademicYearTerms | None:
        return self._by_year.get(academic_year)

    def term_dates(self, ref: TermRef) -> TermDates:
        year = self._year(ref.academic_year)
        if year is None:
            raise TermDatesMissing(
                f"{self.council} has no term dates for {ref}: the term dates of academic year "
                f"{academic_year_label(ref.academic_year)} must be set first",
                field="term",
            )
        return year.dates(ref.season)

    def terms(self) -> list[TermRef]:
        return list(self._terms)

    @cached_property
    def _terms(self) -> tuple[TermRef, ...]:
        return tuple(ref for year in self.years for ref in refs_of(year))

    def covers(self, day: date) -> bool:
        return (
            bool(self.years)
            and self.first_day <= day <= self.last_day
            and self._year(academic_year_of(day)) is not None
        )

    def term_containing(self, day: date) -> TermRef | None:
        return self._remembered(("term containing", day), lambda: self._term_containing(day))

    def _term_containing(self, day: date) -> TermRef | None:
        for year in self.years:
            for ref in refs_of(year):
                if year.dates(ref.season).contains(day):
                    return ref
        return None

    def term_for_reporting(self, day: date) -> TermRef | None:
        """The term a date falls in, or the next term to start when it falls in a holiday."""
        return self._remembered(("term for reporting", day), lambda: self._term_for_reporting(day))

    def _term_for_reporting(self, day: date) -> TermRef | None:
        for ref in self._terms:
            if day <= self.term_dates(ref).end:
                return ref
        return None

    def is_school_day(self, day: date) -> bool:
        return self._remembered(("school day", day), lambda: self._is_school_day(day))

    def _is_school_day(self, day: date) -> bool:
        if not self.covers(day):
            raise TermDatesMissing(
                f"{self.council} has no term dates covering {day}: the term dates of academic year "
                f"{academic_year_label(academic_year_of(day))} must be set first",
                field="term_dates",
            )
        ref = self.term_containing(day)
        if ref is None:
            return False
        year = self._year(ref.academic_year)
        assert year is not None
        dates = year.dates(ref.season)
        return not dates.in_half_term(day) and is_working_day(day) and day not in year.closure_days

    def add_school_days(self, start: date, count: int) -> date:
        """The ``count``-th school day following ``start`` (``start`` itself is never counted)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        return self._remembered(("add school days", start, count), lambda: self._add_school_days(start, count))

    def _add_school_days(self, start: date, count: int) -> date:
        day = start
        remaining = count
        while remaining:
            day += timedelta(days=1)
            if self.is_school_day(day):
                remaining -= 1
        return day

    def school_days_from(self, first: date, until: date) -> int:
        """School days from ``first`` (counted) up to but not including ``until``."""
        count = 0
        day = first
        while day < until:
            if self.is_school_day(day):
                count += 1
            day += timedelta(days=1)
        return count

    def last_school_day_on_or_before(self, latest: date, not_before: date) -> date:
        return self._remembered(
            ("last school day", latest, not_before), lambda: self._last_school_day_on_or_before(latest, not_before)
        )

    def _last_school_day_on_or_before(self, latest: date, not_before: date) -> date:
        day = latest
        while day >= not_before:
            if self.is_school_day(day):
                return day
            day -= timedelta(days=1)
        raise TermDatesMissing(f"no school day between {not_before} and {latest}", field="term_dates")
