"""A school's stream as the domain folds it, just before and just after the event being applied.

The read models write their rows from the state the decisions are made against (each stream's
own ``evolve``), never from a fold of their own. Each projection keeps the last state it folded
for each stream, so applying the log in order costs one ``evolve`` per event; when the event is
not the next one after the state it holds (the first event after a start, a retry, a rebuild),
the stream is read inside the projection's transaction and folded again up to just before it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg

from schools.domain import categorisation, inspections, performance, register, reviews, support
from shared.eventlog.records import RecordedEvent, stream_category
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.events import Event, EventCatalogue

FOLDS: dict[str, tuple[Any, Callable[[Any, Event], Any]]] = {
    "school": (register.NO_SCHOOL, register.evolve),
    "inspections": (inspections.NO_INSPECTIONS, inspections.evolve),
    "categorisation": (categorisation.NOT_CATEGORISED, categorisation.evolve),
    "support": (support.NO_SUPPORT, support.evolve),
    "performance": (performance.NO_RESULTS, performance.evolve),
    "reviews": (reviews.NO_REVIEWS, reviews.evolve),
}
"""Each school stream category, with its initial state and the domain's fold."""


@dataclass(frozen=True)
class Step:
    """One event and its stream's state either side of it."""

    before: Any
    event: Event
    after: Any


class StreamFolds:
    """The last state folded for each stream, so the next event costs one ``evolve``."""

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue
        self._last: dict[str, tuple[int, Any]] = {}

    async def step(self, conn: asyncpg.Connection, record: RecordedEvent) -> Step:
        initial, evolve = FOLDS[stream_category(record.stream_id)]
        version, state = self._last.get(record.stream_id, (0, initial))
        if version != record.stream_version - 1:
            state = await self._fold_before(conn, record, initial, evolve)
        event = self.decode(record)
        after = evolve(state, event)
        self._last[record.stream_id] = (record.stream_version, after)
        return Step(state, event, after)

    def decode(self, record: RecordedEvent) -> Event:
        return self._catalogue.decode(record.event_type, record.schema_version, record.data)

    async def _fold_before(
        self,
        conn: asyncpg.Connection,
        record: RecordedEvent,
        initial: Any,
        evolve: Callable[[Any, Event], Any],
    ) -> Any:
        rows = await conn.fetch(
            f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE stream_id = $1 AND stream_version < $2"
            " ORDER BY stream_version",
            record.stream_id,
            record.stream_version,
        )
        state = initial
        for row in rows:
            state = evolve(state, self.decode(record_from_row(row)))
        return state
