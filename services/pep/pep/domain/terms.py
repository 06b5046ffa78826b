"""A council's term dates: the three terms of each academic year, their half-terms and school days.

Term dates are set by each council (domain.md section 5, *configurable*), so they are data: one
``TermCalendar`` per academic year, gathered in a council's ``SchoolCalendar``. A *school day* is
a weekday inside a term, outside its half-term, that is not a bank holiday in England (Good Friday,
Easter Monday, 19 September 2022 ...) nor a day the council lists as a closure (INSET days).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, model_validator

from shared.calendar import is_working_day
from shared.errors import InvalidInput, RuleViolation


class Season(StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


SEASONS: tuple[Season, ...] = (Season.AUTUMN, Season.SPRING, Season.SUMMER)


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
        return f"{self.season.value} {self.academic_year}/{(self.academic_year + 1) % 100:02d}"


def academic_year_of(day: date) -> int:
    """The academic year (September to August) a date falls in, named by the year it starts."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(academic_year: int) -> str:
    return f"{academic_year}/{(academic_year + 1) % 100:02d}"


def term(academic_year: int, season: Season | str) -> TermRef:
    return TermRef(academic_year=academic_year, season=Season(season))


class TermDates(BaseModel):
    """First and last day of a term and of its half-term holiday (all inclusive)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    half_term_start: date
    half_term_end: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def in_half_term(self, day: date) -> bool:
        return self.half_term_start <= day <= self.half_term_end


class TermCalendar(BaseModel):
    """One academic year of a council's term dates."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    academic_year: int
    autumn: TermDates
    spring: TermDates
    summer: TermDates
    closure_days: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _check_dates(self) -> TermCalendar:
        previous_end: date | None = None
        for season in SEASONS:
            dates = self.dates(season)
            if dates.half_term_start < dates.start:
                raise InvalidInput(
                    f"{season.value} half-term starts before the term does",
                    field=f"{season.value}.half_term_start",
                )
            if dates.half_term_end < dates.half_term_start:
                raise InvalidInput(
                    f"{season.value} half-term ends before it starts", field=f"{season.value}.half_term_end"
                )
            if dates.end < dates.half_term_end:
                raise InvalidInput(
                    f"{season.value} term ends before its half-term does", field=f"{season.value}.end"
                )
            if previous_end is not None and dates.start <= previous_end:
                raise InvalidInput(
                    f"{season.value} term starts before the previous term ends", field=f"{season.value}.start"
                )
            previous_end = dates.end
        if self.autumn.start.year != self.academic_year:
            raise InvalidInput(
                f"autumn term of {self.academic_year}/{(self.academic_year + 1) % 100:02d} must start in "
                f"{self.academic_year}",
                field="autumn.start",
            )
        if self.summer.end.year != self.academic_year + 1:
            raise InvalidInput(f"summer term must end in {self.academic_year + 1}", field="summer.end")
        for index, day in enumerate(self.closure_days):
            if not any(self.dates(season).contains(day) for season in SEASONS):
                raise InvalidInput(f"closure day {day} is not in a term", field=f"closure_days[{index}]")
        return self

    def dates(self, season: Season) -> TermDates:
        return {Season.AUTUMN: self.autumn, Season.SPRING: self.spring, Season.SUMMER: self.summer}[season]

    def refs(self) -> list[TermRef]:
        return [term(self.academic_year, season) for season in SEASONS]


class TermDatesMissing(RuleViolation):
    """A date or term needed for a school-day count is outside the term dates the council has given."""


class SchoolCalendar(BaseModel):
    """A council's term dates over consecutive academic years.

    A council that has not yet given any term dates has a calendar with no years: every question
    that needs a school day or a term is then refused with ``TermDatesMissing`` naming the date or
    term, while working-day rules (the default PEP timings) still apply."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    council: str
    years: tuple[TermCalendar, ...]

    @model_validator(mode="after")
    def _check_years(self) -> SchoolCalendar:
        for index in range(1, len(self.years)):
            expected = self.years[index - 1].academic_year + 1
            if self.years[index].academic_year != expected:
                raise InvalidInput(
                    f"academic years must follow on: expected {expected}",
                    field=f"years[{index}].academic_year",
                )
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

    def _year(self, academic_year: int) -> TermCalendar | None:
        if not self.years:
            return None
        offset = academic_year - self.years[0].academic_year
        if 0 <= offset < len(self.years):
            return self.years[offset]
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
        return [ref for year in self.years for ref in year.refs()]

    def covers(self, day: date) -> bool:
        return bool(self.years) and self.first_day <= day <= self.last_day

    def term_containing(self, day: date) -> TermRef | None:
        for year in self.years:
            for ref in year.refs():
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
