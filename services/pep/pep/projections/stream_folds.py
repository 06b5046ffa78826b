"""A stream's state as the domain folds it, just before and just after the event being applied.

The read models write their rows from the state the decisions are made against (the domain's own
``evolve``), never from a fold of their own. Each keeps the last state it folded for each stream,
so applying the log in order costs one ``evolve`` per event; when the event is not the next one
after the state it holds (the first event after a start, a retry, a rebuild), the stream is read
and folded again up to just before the event.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.events import Event, EventCatalogue

from .log_reads import stream_events

State = TypeVar("State")
Item = TypeVar("Item")


@dataclass(frozen=True)
class Step(Generic[State]):
    """One event and its stream's state either side of it."""

    before: State
    event: Event
    after: State

    def changed(self, items: Callable[[State], Mapping[str, Item]]) -> Iterator[tuple[Item, Item | None]]:
        """Each item the event changed or added, with what it was before (None when new). The
        fold shares what an event leaves alone, so an unchanged item is the same object either
        side."""
        earlier = items(self.before)
        for item_id, item in items(self.after).items():
            if item is not earlier.get(item_id):
                yield item, earlier.get(item_id)

    def removed(self, items: Callable[[State], Mapping[str, Any]]) -> list[str]:
        """The ids of the items the event took away."""
        later = items(self.after)
        return [item_id for item_id in items(self.before) if item_id not in later]


class StreamFolds(Generic[State]):
    """The last state folded for each stream, so the next event costs one ``evolve``."""

    def __init__(
        self, catalogue: EventCatalogue, initial: State, evolve: Callable[[State, Event], State]
    ) -> None:
        self._catalogue = catalogue
        self._initial = initial
        self._evolve = evolve
        self._last: dict[str, tuple[int, State]] = {}

    async def step(self, conn: asyncpg.Connection, record: RecordedEvent) -> Step[State]:
        version, state = self._last.get(record.stream_id, (0, self._initial))
        if version != record.stream_version - 1:
            state = self._initial
            for _earlier, event in await stream_events(
                conn, self._catalogue, [record.stream_id], record.position - 1
            ):
                state = self._evolve(state, event)
        event = self._catalogue.decode(record.event_type, record.schema_version, record.data)
        after = self._evolve(state, event)
        self._last[record.stream_id] = (record.stream_version, after)
        return Step(state, event, after)


async def write_row(
    conn: asyncpg.Connection,
    table: str,
    row: Mapping[str, Any],
    *,
    key: tuple[str, ...],
    kept: tuple[str, ...] = (),
) -> None:
    """Write an item's row as the fold now has it: inserted the first time, every other column
    replaced after that, except the key and the ``kept`` columns."""
    names = list(row)
    await conn.execute(
        f"INSERT INTO pep.{table} ({', '.join(names)}) "
        f"VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET "
        + ", ".join(f"{n} = EXCLUDED.{n}" for n in names if n not in key and n not in kept),
        *row.values(),
    )
