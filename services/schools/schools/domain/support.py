"""Adviser support: days allocated each academic year from the school's category, and the visits
logged against them. One stream per school, ``support-<urn>``.

How many days each category earns is council policy (*configurable*, domain.md section 1), held
as a table of offers each in force from a date. The default is Kent's published offer (seed 003,
"Allocations of Support for each Category of School"): an Ofsted category 20 days a year,
requires improvement (or satisfactory) 12, good 3, outstanding 3. The table places "At Risk of
Category" in the Ofsted-category column, so a school at risk is supported at that level: that is
the at-risk uplift. Kent offers every academy two days whatever its category ("Academies").
Good and outstanding schools "get more when an inspection is due or concerns arise": an adviser
records such an increase, with its reason, against the year's allocation.

Days are ``Decimal`` in half-day steps (advisers log half-day visits).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import ClassVar

from schools.domain.categorisation import Categorisation, CouncilCategory
from schools.domain.checks import not_in_future, optional_text, required_text
from schools.domain.establishments import is_academy
from schools.domain.refusals import BeyondSupportAllocation, NotCategorised, SchoolNotOpen
from schools.domain.register import School, registered
from schools.domain.school_events import RecordedFields, SchoolCommand, SchoolEvent
from schools.domain.terms import academic_year_label, academic_year_of, academic_year_start
from shared.errors import Conflict, InvalidInput, RuleViolation
from shared.events import Command, Event


def support_stream(urn: str) -> str:
    return f"support-{urn}"


HALF_DAY = Decimal("0.5")


# ---------------------------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportOffer:
    """The days of adviser support each category earns in a year, from ``effective_from``."""

    effective_from: date
    days_by_category: Mapping[CouncilCategory, Decimal]
    academy_days: Decimal
    source: str

    def __post_init__(self) -> None:
        missing = set(CouncilCategory) - set(self.days_by_category)
        if missing:
            raise ValueError(f"the offer of {self.effective_from} has no days for {sorted(missing)}")


@dataclass(frozen=True)
class SupportPolicy:
    """Offers keyed by the date they take effect; a year's allocation follows the offer in force
    on 1 September of that academic year."""

    offers: tuple[SupportOffer, ...]

    def offer_for(self, academic_year: int) -> SupportOffer:
        offer = self.in_force_for(academic_year)
        if offer is None:
            raise RuleViolation(
                f"no support offer was in force for {academic_year_label(academic_year)}",
                field="academic_year",
            )
        return offer

    def in_force_for(self, academic_year: int) -> SupportOffer | None:
        """The offer in force on 1 September of ``academic_year``; None before the first one."""
        start = academic_year_start(academic_year)
        in_force = [o for o in self.offers if o.effective_from <= start]
        return max(in_force, key=lambda o: o.effective_from) if in_force else None


KENT_SUPPORT_OFFER_2013 = SupportOffer(
    effective_from=date(2013, 9, 1),
    days_by_category={
        CouncilCategory.OFSTED_CATEGORY: Decimal(20),
        CouncilCategory.AT_RISK: Decimal(20),
        CouncilCategory.REQUIRES_IMPROVEMENT: Decimal(12),
        CouncilCategory.GOOD: Decimal(3),
        CouncilCategory.OUTSTANDING: Decimal(3),
    },
    academy_days=Decimal(2),
    source="Kent's Strategy for School Improvement, November 2013 (seed 003)",
)

DEFAULT_SUPPORT_POLICY = SupportPolicy(offers=(KENT_SUPPORT_OFFER_2013,))


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


class SupportAllocated(SchoolEvent):
    """The year's allocation from the category (or academy offer); ``previous_days`` is set when
    it replaces an earlier allocation for the same year, e.g. after re-categorisation."""

    event_type: ClassVar[str] = "SupportAllocated"
    effective_field: ClassVar[str] = "allocated_on"

    academic_year: int
    days: Decimal
    category: CouncilCategory | None
    academy: bool
    offer_effective_from: date
    previous_days: Decimal | None = None
    allocated_on: date


class SupportIncrease(RecordedFields):
    """Extra adviser days for a year, why, and who added them when."""

    academic_year: int
    extra_days: Decimal
    reason: str  # e.g. inspection due, additional concerns
    increased_by: str
    increased_on: date


class SupportIncreased(SupportIncrease, SchoolEvent):
    """Extra adviser days added to a year's allocation (an inspection due, concerns arising)."""

    event_type: ClassVar[str] = "SupportIncreased"
    effective_field: ClassVar[str] = "increased_on"


class AdviserVisitLogged(SchoolEvent):
    """An adviser's visit, and the days it used of the year's allocation."""

    event_type: ClassVar[str] = "AdviserVisitLogged"
    effective_field: ClassVar[str] = "visited_on"

    visit_id: str
    academic_year: int
    visited_on: date
    adviser: str
    days: Decimal
    purpose: str
    notes: str | None = None


SUPPORT_EVENTS: tuple[type[Event], ...] = (SupportAllocated, SupportIncreased, AdviserVisitLogged)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


class AllocateSupport(Command):
    urn: str
    academic_year: int  # the year it starts: 2013 is 2013-14
    allocated_on: date


class IncreaseSupport(SupportIncrease, SchoolCommand):
    """Add adviser days to the year's allocation of the school ``urn``."""


class LogAdviserVisit(Command):
    urn: str
    visit_id: str
    visited_on: date
    adviser: str
    days: Decimal
    purpose: str
    notes: str | None = None


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearSupport:
    allocated: Decimal = Decimal(0)
    increased: Decimal = Decimal(0)
    used: Decimal = Decimal(0)
    category: CouncilCategory | None = None  # the category the year's days were last allocated under

    @property
    def total(self) -> Decimal:
        return self.allocated + self.increased

    @property
    def remaining(self) -> Decimal:
        """Days left; negative when a lowered allocation falls below the days already used."""
        return self.total - self.used


@dataclass(frozen=True)
class SupportRecord:
    years: Mapping[int, YearSupport] = field(default_factory=dict)
    visit_ids: frozenset[str] = frozenset()

    def year(self, academic_year: int) -> YearSupport | None:
        return self.years.get(academic_year)


NO_SUPPORT = SupportRecord()


def evolve(record: SupportRecord, event: Event) -> SupportRecord:
    match event:
        case SupportAllocated():
            year = record.years.get(event.academic_year, YearSupport())
            return _with_year(
                record, event.academic_year, replace(year, allocated=event.days, category=event.category)
            )
        case SupportIncreased():
            year = record.years.get(event.academic_year, YearSupport())
            return _with_year(
                record,
                event.academic_year,
                replace(year, increased=year.increased + event.extra_days),
            )
        case AdviserVisitLogged():
            year = record.years.get(event.academic_year, YearSupport())
            updated = _with_year(record, event.academic_year, replace(year, used=year.used + event.days))
            return replace(updated, visit_ids=record.visit_ids | {event.visit_id})
    return record


def _with_year(record: SupportRecord, academic_year: int, year: YearSupport) -> SupportRecord:
    return replace(record, years={**record.years, academic_year: year})


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def decide(
    command: AllocateSupport | IncreaseSupport | LogAdviserVisit,
    record: SupportRecord,
    *,
    school: School,
    categorisation: Categorisation,
    policy: SupportPolicy,
    today: date,
) -> list[Event]:
    """``categorisation`` gives the school's current approved category; ``policy`` the offers."""
    registered(school, command.urn)
    match command:
        case AllocateSupport():
            return _allocate(command, record, school, categorisation, policy, today)
        case IncreaseSupport():
            return _increase(command, record, today)
        case LogAdviserVisit():
            return _log_visit(command, record, today)
    raise TypeError(f"not a support command: {type(command).__name__}")


def _allocate(
    command: AllocateSupport,
    record: SupportRecord,
    school: School,
    categorisation: Categorisation,
    policy: SupportPolicy,
    today: date,
) -> list[Event]:
    if not school.is_open:
        raise SchoolNotOpen("a closed school is allocated no support", field="urn")
    not_in_future(command.allocated_on, today, "allocated_on")
    current_year = academic_year_of(command.allocated_on)
    if command.academic_year not in (current_year, current_year + 1):
        raise InvalidInput(
            f"support is allocated for the current or the coming academic year "
            f"({academic_year_label(current_year)} or {academic_year_label(current_year + 1)})",
            field="academic_year",
        )
    offer = policy.offer_for(command.academic_year)
    academy = is_academy(school.details.establishment_type)
    category = categorisation.category
    if academy:
        days = offer.academy_days
    elif category is None:
        raise NotCategorised("the school has no approved category yet: categorise it first", field="category")
    else:
        days = offer.days_by_category[category]
    existing = record.year(command.academic_year)
    if existing is not None and existing.allocated == days:
        return []
    return [
        SupportAllocated(
            urn=command.urn,
            academic_year=command.academic_year,
            days=days,
            category=category,
            academy=academy,
            offer_effective_from=offer.effective_from,
            previous_days=existing.allocated if existing is not None else None,
            allocated_on=command.allocated_on,
        )
    ]


def _increase(command: IncreaseSupport, record: SupportRecord, today: date) -> list[Event]:
    if record.year(command.academic_year) is None:
        raise BeyondSupportAllocation(
            f"no support is allocated for {academic_year_label(command.academic_year)}: allocate it first",
            field="academic_year",
        )
    not_in_future(command.increased_on, today, "increased_on")
    return [
        SupportIncreased(
            urn=command.urn,
            academic_year=command.academic_year,
            extra_days=_half_days(command.extra_days, "extra_days"),
            reason=required_text(command.reason, "reason"),
            increased_by=required_text(command.increased_by, "increased_by"),
            increased_on=command.increased_on,
        )
    ]


def _log_visit(command: LogAdviserVisit, record: SupportRecord, today: date) -> list[Event]:
    visit_id = required_text(command.visit_id, "visit_id")
    if visit_id in record.visit_ids:
        raise Conflict(f"visit {visit_id} is already logged", field="visit_id")
    not_in_future(command.visited_on, today, "visited_on")
    days = _half_days(command.days, "days")
    academic_year = academic_year_of(command.visited_on)
    year = record.year(academic_year)
    if year is None:
        raise BeyondSupportAllocation(
            f"no support is allocated for {academic_year_label(academic_year)}", field="visited_on"
        )
    if days > year.remaining:
        raise BeyondSupportAllocation(
            f"{days} days would exceed the allocation: {max(year.remaining, Decimal(0))} of "
            f"{year.total} days remain; record an increase first",
            field="days",
        )
    return [
        AdviserVisitLogged(
            urn=command.urn,
            visit_id=visit_id,
            academic_year=academic_year,
            visited_on=command.visited_on,
            adviser=required_text(command.adviser, "adviser"),
            days=days,
            purpose=required_text(command.purpose, "purpose"),
            notes=optional_text(command.notes),
        )
    ]


def _half_days(days: Decimal, field: str) -> Decimal:
    if days <= 0 or days % HALF_DAY != 0:
        raise InvalidInput(f"{days} is not a positive number of days in half-day steps", field=field)
    return days
