"""A school's published results and the flags they raise: one stream per school,
``performance-<urn>``.

Results are recorded per year and key stage as named measures (percentages and progress scores).
Recording them evaluates that year's floor standard (``floor_standards.py``) and flags the school
*below floor* (or back above it), and watches the headline measure for a *downward trend*: lower
in each of three consecutive years (seed 003 names "downward trends" and "close to or below floor"
as what puts a school at risk of category). The flags are events because categorisation uses them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import ClassVar

from schools.domain.floor_standards import FloorStandards, KeyStage
from schools.domain.register import School, registered
from schools.domain.school_events import SchoolEvent
from shared.errors import InvalidInput
from shared.events import Command, Event

#: How many consecutive years of decline make a downward trend.
TREND_YEARS = 3


def performance_stream(urn: str) -> str:
    return f"performance-{urn}"


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


class ResultsRecorded(SchoolEvent):
    """Published results for one year and key stage. ``previous_measures`` is set when these
    replace results recorded before (e.g. validated results replacing provisional ones)."""

    event_type: ClassVar[str] = "ResultsRecorded"
    effective_field: ClassVar[str] = "published_on"

    year: int
    key_stage: KeyStage
    measures: dict[str, Decimal]
    previous_measures: dict[str, Decimal] | None = None
    published_on: date


class FloorOutcome(SchoolEvent):
    """A year's results measured against that year's floor standard: ``results`` and ``floor``
    give each measure of the rule and its minimum. Above or below, the same facts are recorded."""

    effective_field: ClassVar[str] = "published_on"

    year: int
    key_stage: KeyStage
    results: dict[str, Decimal]
    floor: dict[str, Decimal]
    published_on: date


class SchoolBelowFloor(FloorOutcome):
    """The school's results fell below that year's floor standard. ``results`` and ``floor`` give
    each measure of the rule and its minimum."""

    event_type: ClassVar[str] = "SchoolBelowFloor"


class SchoolAboveFloor(FloorOutcome):
    """The school's results met that year's floor standard (recorded when the year is first
    evaluated, or when corrected results change the outcome)."""

    event_type: ClassVar[str] = "SchoolAboveFloor"


class DownwardTrendIdentified(SchoolEvent):
    """The headline measure fell in each of ``TREND_YEARS`` consecutive years."""

    event_type: ClassVar[str] = "DownwardTrendIdentified"
    effective_field: ClassVar[str] = "published_on"

    key_stage: KeyStage
    measure: str
    years: list[int]
    values: list[Decimal]
    published_on: date


PERFORMANCE_EVENTS: tuple[type[Event], ...] = (
    ResultsRecorded,
    SchoolBelowFloor,
    SchoolAboveFloor,
    DownwardTrendIdentified,
)


# ---------------------------------------------------------------------------------------------
# Commands and state
# ---------------------------------------------------------------------------------------------


class RecordResults(Command):
    urn: str
    year: int  # the summer the tests or examinations were sat
    key_stage: KeyStage
    measures: dict[str, Decimal]
    published_on: date


@dataclass(frozen=True)
class Trend:
    """A downward trend as it was flagged: the headline measure and its values year by year."""

    measure: str
    years: tuple[int, ...]
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class PerformanceRecord:
    results: Mapping[tuple[int, KeyStage], Mapping[str, Decimal]] = field(default_factory=dict)
    below_floor: Mapping[tuple[int, KeyStage], bool] = field(default_factory=dict)
    trends_flagged: frozenset[tuple[KeyStage, int]] = frozenset()  # (key stage, last year)
    trends: Mapping[KeyStage, Trend] = field(default_factory=dict)
    """The latest trend flagged for each key stage (the one ending in the latest year)."""

    def is_below_floor(self) -> bool:
        """Below floor in the latest evaluated year of any key stage."""
        latest = {ks: max(year for year, k in self.below_floor if k == ks) for _, ks in self.below_floor}
        return any(self.below_floor[(year, ks)] for ks, year in latest.items())

    def has_current_downward_trend(self) -> bool:
        """A trend is current while no later year's results have been recorded for its key stage."""
        for key_stage, trend in self.trends.items():
            years = [year for year, ks in self.results if ks == key_stage]
            if years and trend.years[-1] >= max(years):
                return True
        return False

    def latest_floor_outcome(self, key_stage: KeyStage) -> tuple[int, bool] | None:
        """The latest evaluated year for the key stage and whether it was below floor."""
        years = [(year, below) for (year, ks), below in self.below_floor.items() if ks == key_stage]
        return max(years) if years else None


NO_RESULTS = PerformanceRecord()


def evolve(record: PerformanceRecord, event: Event) -> PerformanceRecord:
    match event:
        case ResultsRecorded():
            key = (event.year, event.key_stage)
            return replace(record, results={**record.results, key: dict(event.measures)})
        case SchoolBelowFloor() | SchoolAboveFloor():
            key = (event.year, event.key_stage)
            below = isinstance(event, SchoolBelowFloor)
            return replace(record, below_floor={**record.below_floor, key: below})
        case DownwardTrendIdentified():
            flag = (event.key_stage, event.years[-1])
            trends = record.trends
            earlier = trends.get(event.key_stage)
            if earlier is None or earlier.years[-1] <= event.years[-1]:
                trend = Trend(event.measure, tuple(event.years), tuple(event.values))
                trends = {**trends, event.key_stage: trend}
            return replace(record, trends_flagged=record.trends_flagged | {flag}, trends=trends)
    return record


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def decide(
    command: RecordResults,
    record: PerformanceRecord,
    *,
    school: School,
    floor_standards: FloorStandards,
    today: date,
) -> list[Event]:
    """``floor_standards`` holds the rule for each year (the 2011 KS2 rule by default)."""
    urn = registered(school, command.urn).urn
    if command.published_on > today:
        raise InvalidInput("results cannot be published in the future", field="published_on")
    if command.published_on.year < command.year:
        raise InvalidInput(
            f"results for {command.year} are published in or after {command.year}",
            field="published_on",
        )
    measures = _measures(command.measures)
    rule = floor_standards.rule_for(command.year, command.key_stage)
    if rule is not None:
        for measure in rule.measures:
            if measure not in measures:
                raise InvalidInput(
                    f"the {command.year} {command.key_stage.value} floor standard needs {measure}",
                    field=f"measures.{measure}",
                )
    key = (command.year, command.key_stage)
    previous = record.results.get(key)
    if previous is not None and dict(previous) == measures:
        return []
    recorded = ResultsRecorded(
        urn=urn,
        year=command.year,
        key_stage=command.key_stage,
        measures=measures,
        previous_measures=dict(previous) if previous is not None else None,
        published_on=command.published_on,
    )
    events: list[Event] = [recorded]
    if rule is not None:
        below = rule.is_below(measures)
        if record.below_floor.get(key) != below:
            flag = SchoolBelowFloor if below else SchoolAboveFloor
            events.append(
                flag(
                    urn=urn,
                    year=command.year,
                    key_stage=command.key_stage,
                    results={m: measures[m] for m in rule.measures},
                    floor={rule.attainment.measure: rule.attainment.minimum}
                    | {t.measure: t.minimum for t in rule.progress},
                    published_on=command.published_on,
                )
            )
    after = evolve(record, recorded)
    events.extend(_new_trends(after, urn, command, floor_standards))
    return events


def _new_trends(
    record: PerformanceRecord, urn: str, command: RecordResults, floor_standards: FloorStandards
) -> list[Event]:
    """Every run of ``TREND_YEARS`` consecutive years including the year just recorded in which
    the headline measure fell each year, and that was not flagged before."""
    flags: list[Event] = []
    ks = command.key_stage
    for last in range(command.year, command.year + TREND_YEARS):
        if (ks, last) in record.trends_flagged:
            continue
        measure = floor_standards.headline_measure(last, ks)
        years = list(range(last - TREND_YEARS + 1, last + 1))
        values = [record.results.get((y, ks), {}).get(measure) for y in years] if measure else []
        if not values or any(v is None for v in values):
            continue
        if all(earlier > later for earlier, later in pairwise(values)):
            flags.append(
                DownwardTrendIdentified(
                    urn=urn,
                    key_stage=ks,
                    measure=measure,
                    years=years,
                    values=values,
                    published_on=command.published_on,
                )
            )
    return flags


def _measures(measures: dict[str, Decimal]) -> dict[str, Decimal]:
    if not measures:
        raise InvalidInput("give at least one measure", field="measures")
    cleaned: dict[str, Decimal] = {}
    for name, value in measures.items():
        if not name.strip():
            raise InvalidInput("a measure needs a name", field="measures")
        if not value.is_finite():
            raise InvalidInput(f"{value} is not a number", field=f"measures.{name}")
        if name.startswith("pct_") and not Decimal(0) <= value <= Decimal(100):
            raise InvalidInput(f"{value} is not a percentage", field=f"measures.{name}")
        cleaned[name.strip()] = value
    return cleaned
