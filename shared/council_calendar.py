"""The council's term dates: one calendar, entered once, read by every service.

Term dates are set by each council (domain.md section 5, *configurable*). They are entered once,
one academic year at a time, on the council's calendar stream (``calendar-council``, written by
the schools service's ``PUT /council/term-dates/{academic_year}``), and every service reads that
stream straight from the log when it decides, so the school-day count of a PEP deadline, the
review cycle of a school's categorisation and the term a PP+ request is made for can never
disagree:

* the pep service counts school days with it (terms, half-terms, closure days);
* the schools service reviews schools each half-term of it (six review cycles a year; three
  where a year has no half-terms);
* the pupil-premium service names its terms by it (``autumn-2024``, ``spring-2025``, ...).

An academic year runs September to August and is named by the year it starts in (2024 is
2024/25). It has three terms, each with an optional half-term holiday; setting a year again
corrects it. Years set by an officer follow on from each other, so that school days can always be
counted from one to the next. Years carried over from the term dates each service used to keep
for itself (``shared.calendar_adoption``) record where they came from (``adopted_from``); they may
lack half-terms (the old pupil-premium and three-term records never had them).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

from shared.errors import InvalidInput, RuleViolation
from shared.events import Command, Event, EventCatalogue

CALENDAR_CATEGORY = "calendar"
CALENDAR_STREAM = f"{CALENDAR_CATEGORY}-council"
UNNAMED_COUNCIL = "the council"
#: Years a council may set: far enough back for historic records, far enough ahead to plan.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100


class Season(StrEnum):
    AUTUMN = "autumn"
    SPRING = "spring"
    SUMMER = "summer"


SEASONS: tuple[Season, ...] = (Season.AUTUMN, Season.SPRING, Season.SUMMER)


def academic_year_of(day: date) -> int:
    """The academic year (September to August) a date falls in, named by the year it starts."""
    return day.year if day.month >= 9 else day.year - 1


def academic_year_label(academic_year: int) -> str:
    return f"{academic_year}/{(academic_year + 1) % 100:02d}"


class TermDates(BaseModel):
    """First and last day of a term, and of its half-term holiday if known (all inclusive)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    start: date
    half_term_start: date | None = None
    half_term_end: date | None = None
    end: date

    @property
    def has_half_term(self) -> bool:
        return self.half_term_start is not None and self.half_term_end is not None

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def in_half_term(self, day: date) -> bool:
        if self.half_term_start is None or self.half_term_end is None:
            return False
        return self.half_term_start <= day <= self.half_term_end


class AcademicYearTerms(BaseModel):
    """One academic year of the council's term dates: three terms and the closure days (INSET)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    academic_year: int
    autumn: TermDates
    spring: TermDates
    summer: TermDates
    closure_days: tuple[date, ...] = ()

    @model_validator(mode="after")
    def _check_dates(self) -> AcademicYearTerms:
        if not EARLIEST_YEAR <= self.academic_year <= LATEST_YEAR:
            raise InvalidInput(
                f"{self.academic_year} is not an academic year between {EARLIEST_YEAR} and {LATEST_YEAR}",
                field="academic_year",
            )
        previous_end: date | None = None
        for season in SEASONS:
            _check_term(season, self.dates(season))
            dates = self.dates(season)
            if previous_end is not None and dates.start <= previous_end:
                raise InvalidInput(
                    f"{season.value} term starts before the previous term ends", field=f"{season.value}.start"
                )
            previous_end = dates.end
        label = academic_year_label(self.academic_year)
        if self.autumn.start.year != self.academic_year:
            raise InvalidInput(
                f"autumn term of {label} must start in {self.academic_year}", field="autumn.start"
            )
        if self.summer.end.year != self.academic_year + 1:
            raise InvalidInput(f"summer term must end in {self.academic_year + 1}", field="summer.end")
        for index, day in enumerate(self.closure_days):
            if not any(self.dates(season).contains(day) for season in SEASONS):
                raise InvalidInput(f"closure day {day} is not in a term", field=f"closure_days[{index}]")
        return self

    def dates(self, season: Season) -> TermDates:
        return {Season.AUTUMN: self.autumn, Season.SPRING: self.spring, Season.SUMMER: self.summer}[season]

    @property
    def first_day(self) -> date:
        return self.autumn.start

    @property
    def last_day(self) -> date:
        return self.summer.end


def _check_term(season: Season, dates: TermDates) -> None:
    name = season.value
    if dates.end < dates.start:
        raise InvalidInput(f"{name} term ends before it starts", field=f"{name}.end")
    if (dates.half_term_start is None) != (dates.half_term_end is None):
        missing = "half_term_end" if dates.half_term_end is None else "half_term_start"
        raise InvalidInput(
            f"{name} half-term needs both its first and its last day", field=f"{name}.{missing}"
        )
    if dates.half_term_start is None or dates.half_term_end is None:
        return
    if dates.half_term_start < dates.start:
        raise InvalidInput(f"{name} half-term starts before the term does", field=f"{name}.half_term_start")
    if dates.half_term_end < dates.half_term_start:
        raise InvalidInput(f"{name} half-term ends before it starts", field=f"{name}.half_term_end")
    if dates.end < dates.half_term_end:
        raise InvalidInput(f"{name} term ends before its half-term does", field=f"{name}.end")


# --- events -----------------------------------------------------------------------------------


class AdoptedRecord(BaseModel):
    """A term-date event a service kept for itself before the council calendar existed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stream_id: str
    stream_version: int
    event_type: str


class CouncilTermDatesSet(Event):
    """The council's term dates for one academic year, replacing any set before for that year."""

    event_type: ClassVar[str] = "CouncilTermDatesSet"

    council: str
    academic_year: int
    autumn: TermDates
    spring: TermDates
    summer: TermDates
    closure_days: tuple[date, ...] = ()
    set_by: str
    set_on: date
    # Empty when an officer set the year; otherwise the events it was carried over from.
    adopted_from: tuple[AdoptedRecord, ...] = ()

    def terms(self) -> AcademicYearTerms:
        return AcademicYearTerms(
            academic_year=self.academic_year,
            autumn=self.autumn,
            spring=self.spring,
            summer=self.summer,
            closure_days=self.closure_days,
        )

    def effective_on(self) -> date:
        return self.set_on


CALENDAR_EVENTS: tuple[type[Event], ...] = (CouncilTermDatesSet,)


def calendar_catalogue() -> EventCatalogue:
    """For the services that read the calendar: ``include`` it in their reading catalogue."""
    return EventCatalogue("calendar", CALENDAR_EVENTS)


# --- command, state, decide, evolve -------------------------------------------------------------


class SetCouncilTermDates(Command):
    council: str
    terms: AcademicYearTerms
    set_by: str
    set_on: date


@dataclass(frozen=True)
class CouncilCalendar:
    """The years the council has set (a year never set is not here: each service says what it
    does without it)."""

    council: str = UNNAMED_COUNCIL
    years: dict[int, AcademicYearTerms] = field(default_factory=dict)

    def in_order(self) -> tuple[AcademicYearTerms, ...]:
        return tuple(self.years[year] for year in sorted(self.years))


NO_CALENDAR = CouncilCalendar()


def evolve(calendar: CouncilCalendar, event: Event) -> CouncilCalendar:
    if isinstance(event, CouncilTermDatesSet):
        return replace(
            calendar, council=event.council, years={**calendar.years, event.academic_year: event.terms()}
        )
    return calendar


def decide(command: SetCouncilTermDates, calendar: CouncilCalendar) -> list[Event]:
    """Set one year; the same dates again append nothing."""
    terms = command.terms
    year = terms.academic_year
    held = sorted(calendar.years)
    if (
        held
        and year not in calendar.years
        and year - 1 not in calendar.years
        and year + 1 not in calendar.years
    ):
        raise RuleViolation(
            f"term dates are held for {_spans(held)}; set a year next "
            "to one of them, so that school days can be counted without a gap",
            field="academic_year",
        )
    _check_neighbours(terms, calendar)
    council = command.council.strip() or calendar.council
    if calendar.years.get(year) == terms and council == calendar.council:
        return []
    set_by = command.set_by.strip()
    if not set_by:
        raise InvalidInput("say who set the term dates", field="set_by")
    return [
        CouncilTermDatesSet(
            council=council,
            academic_year=year,
            autumn=terms.autumn,
            spring=terms.spring,
            summer=terms.summer,
            closure_days=terms.closure_days,
            set_by=set_by,
            set_on=command.set_on,
        )
    ]


def _check_neighbours(terms: AcademicYearTerms, calendar: CouncilCalendar) -> None:
    """A year's terms end before the next year's begin."""
    before = calendar.years.get(terms.academic_year - 1)
    if before is not None and terms.first_day <= before.last_day:
        raise InvalidInput(
            f"the autumn term starts on or before the last day of "
            f"{academic_year_label(before.academic_year)} ({before.last_day.isoformat()})",
            field="autumn.start",
        )
    after = calendar.years.get(terms.academic_year + 1)
    if after is not None and terms.last_day >= after.first_day:
        raise InvalidInput(
            f"the summer term ends on or after the first day of "
            f"{academic_year_label(after.academic_year)} ({after.first_day.isoformat()})",
            field="summer.end",
        )


def _spans(years: list[int]) -> str:
    """``2019/20 to 2021/22, 2024/25``: the runs of consecutive years held."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(
        academic_year_label(run[0])
        if len(run) == 1
        else f"{academic_year_label(run[0])} to {academic_year_label(run[-1])}"
        for run in runs
    )
