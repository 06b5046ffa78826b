"""Carrying the term dates each service used to keep for itself into the council calendar.

Before the council calendar (``shared.council_calendar``) existed, term dates were typed three
times, each service in its own shape: the schools service's ``TermDatesSet`` (named review
terms, usually six a year), the pep service's ``PepTermDatesSet`` (three terms with half-terms and
closure days) and the pupil-premium service's ``PupilPremiumTermDatesSet`` (three terms named by
calendar year). Those events stay in the log, unchanged, as history. This step, run by
``python -m shared.migrate`` after the schema migrations, appends to ``calendar-council`` one
``CouncilTermDatesSet`` for each academic year they held that the calendar does not hold yet,
naming in ``adopted_from`` every event it was made from (the one the dates were taken from
first). Where the copies disagree, the richest wins: the pep service's (half-terms and closure
days), then the schools service's (half-terms from the gap between a term's two halves), then
the pupil-premium service's (no half-terms). A year none of them can give three terms for is
reported and left for an officer to set.

It is safe to run any number of times, from several places at once: a year the calendar holds is
never adopted again, and each year's append expects the calendar's version it read.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import asyncpg

from shared.council_calendar import (
    CALENDAR_STREAM,
    NO_CALENDAR,
    SEASONS,
    UNNAMED_COUNCIL,
    AcademicYearTerms,
    AdoptedRecord,
    CouncilTermDatesSet,
    Season,
    TermDates,
    evolve,
)
from shared.database import open_pool
from shared.errors import DomainError
from shared.eventlog.records import NewEvent
from shared.eventlog.store import EventStore, WrongExpectedVersion

log = logging.getLogger(__name__)

#: The retired event types, most trusted first.
LEGACY_TYPES = ("PepTermDatesSet", "TermDatesSet", "PupilPremiumTermDatesSet")
ADOPTION_ACTOR = "migration:council-calendar"


@dataclass(frozen=True)
class LegacyRecord:
    """One retired term-date event as stored in the log."""

    stream_id: str
    stream_version: int
    event_type: str
    data: Mapping[str, Any]

    @property
    def reference(self) -> AdoptedRecord:
        return AdoptedRecord(
            stream_id=self.stream_id, stream_version=self.stream_version, event_type=self.event_type
        )


@dataclass(frozen=True)
class Adoption:
    """What adopting one academic year came to: the event to append, or why there is none."""

    academic_year: int
    event: CouncilTermDatesSet | None
    not_adopted_because: str | None = None

    def describe(self) -> str:
        if self.event is None:
            return f"{self.academic_year} not adopted ({self.not_adopted_because}): an officer must set it"
        return f"{self.academic_year} adopted from {self.event.adopted_from[0].event_type}"


def plan_adoption(
    records: Iterable[LegacyRecord], held_years: Iterable[int], council: str = UNNAMED_COUNCIL
) -> list[Adoption]:
    """For each academic year the retired events name and the calendar does not hold, oldest
    year first: the calendar event to append (or the reason none can be made)."""
    held = set(held_years)
    by_year: dict[int, list[LegacyRecord]] = defaultdict(list)
    for record in records:
        year = int(record.data["academic_year"])
        if year not in held:
            by_year[year].append(record)
    return [_adopt_year(year, by_year[year], council) for year in sorted(by_year)]


def _adopt_year(year: int, records: list[LegacyRecord], council: str) -> Adoption:
    # The latest event of the most trusted kind first: it sets the dates; the rest are named.
    ranked = sorted(enumerate(records), key=lambda item: (LEGACY_TYPES.index(item[1].event_type), -item[0]))
    reasons = []
    for _index, chosen in ranked:
        try:
            terms = _terms_of(chosen)
        except (DomainError, ValueError, KeyError, TypeError) as unusable:
            reasons.append(
                f"{chosen.event_type} at {chosen.stream_id} version {chosen.stream_version}: {unusable}"
            )
            continue
        others = [record for record in records if record is not chosen]
        event = CouncilTermDatesSet(
            council=str(chosen.data.get("council") or council),
            academic_year=year,
            autumn=terms.autumn,
            spring=terms.spring,
            summer=terms.summer,
            closure_days=terms.closure_days,
            set_by=str(chosen.data.get("set_by") or f"recorded as {chosen.event_type}"),
            set_on=date.fromisoformat(str(chosen.data["set_on"])),
            adopted_from=(chosen.reference, *(record.reference for record in others)),
        )
        return Adoption(year, event)
    return Adoption(year, None, "; ".join(reasons))


def _terms_of(record: LegacyRecord) -> AcademicYearTerms:
    data = record.data
    year = int(data["academic_year"])
    if record.event_type == "PepTermDatesSet":
        return AcademicYearTerms(
            academic_year=year,
            autumn=TermDates.model_validate(data["autumn"]),
            spring=TermDates.model_validate(data["spring"]),
            summer=TermDates.model_validate(data["summer"]),
            closure_days=tuple(date.fromisoformat(day) for day in data.get("closure_days", ())),
        )
    if record.event_type == "TermDatesSet":
        pieces: dict[Season, list[tuple[date, date]]] = defaultdict(list)
        for term in data["terms"]:
            starts, ends = date.fromisoformat(term["starts_on"]), date.fromisoformat(term["ends_on"])
            pieces[_season_starting_in(starts.month)].append((starts, ends))
        return AcademicYearTerms(academic_year=year, **{s.value: _joined(s, pieces[s]) for s in SEASONS})
    if record.event_type == "PupilPremiumTermDatesSet":
        seasons = {term["term"].split("-")[0]: term for term in data["terms"]}
        return AcademicYearTerms(
            academic_year=year,
            **{
                season.value: TermDates(
                    start=date.fromisoformat(seasons[season.value]["starts_on"]),
                    end=date.fromisoformat(seasons[season.value]["ends_on"]),
                )
                for season in SEASONS
            },
        )
    raise ValueError(f"{record.event_type} is not a retired term-date event")


def _season_starting_in(month: int) -> Season:
    """Autumn terms start from August to December, spring from January to March, summer later."""
    if month >= 8:
        return Season.AUTUMN
    return Season.SPRING if month <= 3 else Season.SUMMER


def _joined(season: Season, pieces: list[tuple[date, date]]) -> TermDates:
    """One season's terms as one term: its two halves either side of a half-term, or one term."""
    pieces.sort()
    if len(pieces) == 1:
        return TermDates(start=pieces[0][0], end=pieces[0][1])
    if len(pieces) == 2 and pieces[1][0] - pieces[0][1] > timedelta(days=1):
        (first_start, first_end), (second_start, second_end) = pieces
        return TermDates(
            start=first_start,
            half_term_start=first_end + timedelta(days=1),
            half_term_end=second_start - timedelta(days=1),
            end=second_end,
        )
    raise ValueError(
        f"{len(pieces)} terms start in the {season.value} (one, or two around a half-term, expected)"
    )


async def adopt_legacy_term_dates(store: EventStore, pool: asyncpg.Pool) -> list[Adoption]:
    """Append the calendar years the retired events hold and the calendar does not."""
    rows = await pool.fetch(
        "SELECT stream_id, stream_version, event_type, data FROM eventlog.events "
        "WHERE event_type = ANY($1::text[]) ORDER BY position",
        list(LEGACY_TYPES),
    )
    records = [
        LegacyRecord(row["stream_id"], row["stream_version"], row["event_type"], row["data"]) for row in rows
    ]
    if not records:
        return []
    calendar, version = NO_CALENDAR, 0
    for recorded in await store.read_stream(CALENDAR_STREAM):
        calendar = evolve(calendar, CouncilTermDatesSet.model_validate(recorded.data))
        version = recorded.stream_version
    plan = plan_adoption(records, calendar.years, calendar.council)
    for adoption in plan:
        if adoption.event is None:
            log.warning(
                "term dates of %s not adopted: %s", adoption.academic_year, adoption.not_adopted_because
            )
            continue
        try:
            recorded_events = await store.append(
                CALENDAR_STREAM,
                [NewEvent.from_event(adoption.event, default_effective_date=adoption.event.set_on)],
                expected_version=version,
                metadata={"actor": ADOPTION_ACTOR, "role": "service", "service": "migrate"},
                idempotency_key=f"calendar-adoption:{adoption.academic_year}",
            )
        except WrongExpectedVersion:
            # Someone else changed the calendar meanwhile (an officer, or another run): start over
            # from what it holds now, so no year is adopted over one set since.
            return await adopt_legacy_term_dates(store, pool)
        version = max(version, recorded_events[-1].stream_version)
    return plan


async def run(database_url: str) -> list[Adoption]:
    pool = await open_pool(database_url, max_size=2)
    store = EventStore(pool)
    store.start()
    try:
        return await adopt_legacy_term_dates(store, pool)
    finally:
        await store.close()
        await pool.close()


def adopt(database_url: str) -> list[Adoption]:
    return asyncio.run(run(database_url))
