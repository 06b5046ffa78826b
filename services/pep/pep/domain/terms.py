"""School days, counted on the council's term dates (domain.md section 5, *configurable*).

The term dates themselves are the council's one calendar (``shared.council_calendar``: three terms
a year, their half-terms and closure days), entered once and read from the log. Here they are
gathered into a ``SchoolCalendar``. A *school day* is a weekday inside a term, outside its
half-term, that is not a bank holiday in England (Good Friday, Easter Monday, 19 September 2022
...) nor a day the council lists as a closure (INSET days).
"""

from __future__ import annotations

from datetime import date, timedelta

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


def term(academic_year: int, season: Season | str) -> TermRef:
    return TermRef(academic_year=academic_year, season=Season(season))


def refs_of(year: AcademicYearTerms) -> list[TermRef]:
    return [term(year.academic_year, season) for season in SEASONS]


class SchoolCalendar(BaseModel):
    """A council's term dates over its academic years, in order.

    A council that has not yet given any term dates has a calendar with no years: every question
    that needs a school day or a term is then refused with ``TermDatesMissing`` naming the date or
    term, while working-day rules (the default PEP timings) still apply. So is a question about a
    year the calendar does not hold (years carried over from older records may leave a gap)."""

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

    def _year(self, academic_year: int) -> AcademicYearTerms | None:
        for year in self.years:
            if year.academic_year == academic_year:
                return year
        return None

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
        return [ref for year in self.years for ref in refs_of(year)]

    def covers(self, day: date) -> bool:
        return (
            bool(self.years)
            and self.first_day <= day <= self.last_day
            and self._year(academic_year_of(day)) is not None
        )

    def term_containing(self, day: date) -> TermRef | None:
        for year in self.years:
            for ref in refs_of(year):
                if year.dates(ref.season).contains(day):
                    return ref
        return None

    def term_for_reporting(self, day: date) -> TermRef | None:
        """The term a date falls in, or the next term to start when it falls in a holiday."""
        for ref in self.terms():
            if day <= self.term_dates(ref).end:
                return ref
        return None

    def is_school_day(self, day: date) -> bool:
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
        day = latest
        while day >= not_before:
            if self.is_school_day(day):
                return day
            day -= timedelta(days=1)
        raise TermDatesMissing(f"no school day between {not_before} and {latest}", field="term_dates")
