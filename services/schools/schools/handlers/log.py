"""The schools service's streams, loaded and appended through the shared event store.

Handlers fold the streams a decision needs (the register entry, the Ofsted history, the
council's configuration) and append to the one stream the decision changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from schools.domain import categorisation, configuration, inspections, performance, register, reviews, support
from schools.domain.categorisation import categorisation_stream
from schools.domain.inspections import inspections_stream
from schools.domain.performance import performance_stream
from schools.domain.register import school_stream
from schools.domain.reviews import reviews_stream
from schools.domain.support import support_stream
from shared.eventlog.records import NewEvent, RecordedEvent
from shared.eventlog.store import EventStore
from shared.events import Event, EventCatalogue
from shared.web.commands import Loaded, Outcome, execute, load
from shared.web.context import CommandContext

S = TypeVar("S")
PAGE = 1000


@dataclass(frozen=True)
class SchoolsLog:
    store: EventStore
    catalogue: EventCatalogue

    async def load(
        self, stream_id: str, initial: S, evolve: Callable[[S, Event], S], **cutoffs: Any
    ) -> Loaded[S]:
        return await load(self.store, self.catalogue, stream_id, initial, evolve, **cutoffs)

    async def school(self, urn: str) -> Loaded[register.School]:
        return await self.load(school_stream(urn), register.NO_SCHOOL, register.evolve)

    async def inspections(self, urn: str) -> Loaded[inspections.InspectionHistory]:
        return await self.load(inspections_stream(urn), inspections.NO_INSPECTIONS, inspections.evolve)

    async def categorisation(self, urn: str) -> Loaded[categorisation.Categorisation]:
        return await self.load(
            categorisation_stream(urn), categorisation.NOT_CATEGORISED, categorisation.evolve
        )

    async def support(self, urn: str) -> Loaded[support.SupportRecord]:
        return await self.load(support_stream(urn), support.NO_SUPPORT, support.evolve)

    async def performance(self, urn: str) -> Loaded[performance.PerformanceRecord]:
        return await self.load(performance_stream(urn), performance.NO_RESULTS, performance.evolve)

    async def reviews(self, urn: str) -> Loaded[reviews.ReviewRecord]:
        return await self.load(reviews_stream(urn), reviews.NO_REVIEWS, reviews.evolve)

    async def configuration(self) -> Loaded[configuration.CouncilConfiguration]:
        return await self.load(
            configuration.CONFIGURATION_STREAM, configuration.DEFAULT_CONFIGURATION, configuration.evolve
        )

    async def all_schools(self) -> dict[str, Loaded[register.School]]:
        """Every school on the register with its stream version, read a page at a time."""
        schools: dict[str, Loaded[register.School]] = {}
        after = 0
        while True:
            page = await self.store.read_all(after=after, limit=PAGE, categories=["school"])
            for record in page:
                current = schools.get(record.stream_id, Loaded(register.NO_SCHOOL, 0))
                event = self.decode(record)
                schools[record.stream_id] = Loaded(
                    register.evolve(current.state, event), record.stream_version
                )
            if len(page) < PAGE:
                break
            after = page[-1].position
        return {loaded.state.urn: loaded for loaded in schools.values() if loaded.state.urn}

    def decode(self, record: RecordedEvent) -> Event:
        return self.catalogue.decode(record.event_type, record.schema_version, record.data)

    async def execute(
        self,
        ctx: CommandContext,
        stream_id: str,
        *,
        initial: S,
        evolve: Callable[[S, Event], S],
        decide: Callable[[S], Sequence[Event]],
        operation: str,
    ) -> Outcome[S]:
        """Load, decide, append (``shared.web.commands.execute``, which answers a request
        retried with a used Idempotency-Key with what the first one recorded)."""
        return await execute(
            self.store,
            self.catalogue,
            ctx,
            stream_id,
            initial=initial,
            evolve=evolve,
            decide=decide,
            operation=operation,
        )

    async def append(
        self,
        stream_id: str,
        events: Sequence[Event],
        *,
        expected_version: int,
        today: date,
        metadata: dict[str, Any],
        idempotency_key: str,
    ) -> list[RecordedEvent]:
        """Append decided events outside a request (policies and scheduled jobs)."""
        return await self.store.append(
            stream_id,
            [NewEvent.from_event(e, default_effective_date=today) for e in events],
            expected_version=expected_version,
            metadata=metadata,
            idempotency_key=idempotency_key,
        )
