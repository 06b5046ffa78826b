"""What every route, handler, policy and deadline job of the schools service works with, in one value.

Built from the app's state once the lifespan has opened the pool and the event store, so nothing
here exists at import time. Handlers fold the streams a decision needs (the register entry, the
Ofsted history, the council's configuration) through it and append to the one stream the decision
changes, through ``log``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request

from schools.domain import (
    categorisation,
    configuration,
    inspections,
    known_schools,
    performance,
    register,
    reviews,
    rise,
    support,
)
from schools.domain.categorisation import categorisation_stream
from schools.domain.inspections import inspections_stream
from schools.domain.known_schools import known_school_stream
from schools.domain.performance import performance_stream
from schools.domain.register import school_stream
from schools.domain.reviews import reviews_stream
from schools.domain.rise import rise_stream
from schools.domain.support import support_stream
from shared.council_calendar import CALENDAR_STREAM, NO_CALENDAR, CouncilCalendar
from shared.council_calendar import evolve as calendar_evolve
from shared.eventlog.records import NewEvent, RecordedEvent
from shared.events import Event
from shared.web.commands import Loaded, ServiceLog

# The register is read a page at a time when every school is needed (the national import).
PAGE = 1000


@dataclass(frozen=True)
class Schools:
    log: ServiceLog
    pool: asyncpg.Pool
    clock: Any
    """The app's clock (``.now()``, ``.today()``); a test's clock when a test set one."""

    def today(self) -> date:
        return self.clock.today()

    async def school(self, urn: str) -> Loaded[register.School]:
        return await self.log.load(school_stream(urn), register.NO_SCHOOL, register.evolve)

    async def inspections(self, urn: str) -> Loaded[inspections.InspectionHistory]:
        return await self.log.load(inspections_stream(urn), inspections.NO_INSPECTIONS, inspections.evolve)

    async def categorisation(self, urn: str) -> Loaded[categorisation.Categorisation]:
        return await self.log.load(
            categorisation_stream(urn), categorisation.NOT_CATEGORISED, categorisation.evolve
        )

    async def support(self, urn: str) -> Loaded[support.SupportRecord]:
        return await self.log.load(support_stream(urn), support.NO_SUPPORT, support.evolve)

    async def performance(self, urn: str) -> Loaded[performance.PerformanceRecord]:
        return await self.log.load(performance_stream(urn), performance.NO_RESULTS, performance.evolve)

    async def reviews(self, urn: str) -> Loaded[reviews.ReviewRecord]:
        return await self.log.load(reviews_stream(urn), reviews.NO_REVIEWS, reviews.evolve)

    async def rise(self, urn: str) -> Loaded[rise.RiseRecord]:
        return await self.log.load(rise_stream(urn), rise.NO_RISE, rise.evolve)

    async def configuration(self) -> Loaded[configuration.CouncilConfiguration]:
        """The configuration in force, with the council calendar's years as review cycles; the
        version is the configuration stream's (its ETag)."""
        own = await self.log.load(
            configuration.CONFIGURATION_STREAM, configuration.DEFAULT_CONFIGURATION, configuration.evolve
        )
        with_calendar = await self.log.load(CALENDAR_STREAM, own.state, configuration.evolve)
        return Loaded(with_calendar.state, own.version)

    async def calendar(self) -> Loaded[CouncilCalendar]:
        """The council calendar (``calendar-council``), which this service keeps for every service."""
        return await self.log.load(CALENDAR_STREAM, NO_CALENDAR, calendar_evolve)

    async def all_schools(self) -> dict[str, Loaded[register.School]]:
        """Every school on the register with its stream version, read a page at a time."""
        schools: dict[str, Loaded[register.School]] = {}
        after = 0
        while True:
            page = await self.log.store.read_all(after=after, limit=PAGE, categories=["school"])
            for record in page:
                current = schools.get(record.stream_id, Loaded(register.NO_SCHOOL, 0))
                schools[record.stream_id] = Loaded(
                    register.evolve(current.state, self.log.decode(record)), record.stream_version
                )
            if len(page) < PAGE:
                break
            after = page[-1].position
        return {loaded.state.urn: loaded for loaded in schools.values() if loaded.state.urn}

    async def known_school(self, urn: str) -> Loaded[known_schools.KnownSchool]:
        return await self.log.load(known_school_stream(urn), known_schools.NO_KNOWN_SCHOOL, known_schools.evolve)

    async def register_entries(
        self, urns: Sequence[str]
    ) -> tuple[dict[str, Loaded[register.School]], dict[str, Loaded[known_schools.KnownSchool]]]:
        """For a batch of URNs, each one's entry on the council's register and as a known school
        (those that have one), with its stream version: read in one query, for the national
        register import, which decides a thousand rows at a time."""
        streams = {school_stream(urn): urn for urn in urns} | {known_school_stream(urn): urn for urn in urns}
        on_register: dict[str, Loaded[register.School]] = {}
        known: dict[str, Loaded[known_schools.KnownSchool]] = {}
        for record in await self.log.store.read_streams(list(streams)):
            urn, event = streams[record.stream_id], self.log.decode(record)
            if record.stream_id == school_stream(urn):
                current = on_register.get(urn, Loaded(register.NO_SCHOOL, 0))
                on_register[urn] = Loaded(register.evolve(current.state, event), record.stream_version)
            else:
                held = known.get(urn, Loaded(known_schools.NO_KNOWN_SCHOOL, 0))
                known[urn] = Loaded(known_schools.evolve(held.state, event), record.stream_version)
        return on_register, known

    async def record(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        today: date,
        metadata: dict[str, Any],
        idempotency_key: str,
    ) -> list[RecordedEvent]:
        """Append what a policy or a scheduled job decided, outside any request: the idempotency
        key names the cause (the source event, or the deadline), so it is recorded once; ``today``
        is the day it was decided, its effective date unless an event names another."""
        return await self.log.append(
            stream_id,
            [NewEvent.from_event(e, default_effective_date=today) for e in events],
            expected_version=expected_version,
            metadata=metadata,
            idempotency_key=idempotency_key,
        )


def from_state(state: Any) -> Schools:
    return Schools(log=ServiceLog(state.store, state.catalogue), pool=state.pool, clock=state.clock)


def _root(request: Request) -> Schools:
    return from_state(request.app.state)


SchoolsDep = Annotated[Schools, Depends(_root)]
