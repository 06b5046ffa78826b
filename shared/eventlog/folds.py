"""A stream as its domain folds it, just before and just after the event a read model is applying.

Read models write their rows from the state decisions are made against (each stream's own
``evolve``), never from a fold of their own, so a rule has one home. ``StreamFolds`` keeps the
last state it folded for each stream, so applying the log in order costs one ``evolve`` per
event; when the event is not the next one after the state it holds (the first event after a
start, a retry after a failed transaction, a rebuild), the stream is read inside the read
model's transaction and folded again up to just before the event.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import asyncpg

from shared.eventlog.records import RecordedEvent, stream_category
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.privacy.sealing import reveal
from shared.events import Event, EventCatalogue

S = TypeVar("S")
Item = TypeVar("Item")
Fold = tuple[Any, Callable[[Any, Event], Any]]
"""A stream category's initial state and the domain's ``evolve``."""

# Streams whose last state is kept between events. A council has some thousands of schools or
# children; beyond this the least recently used are dropped and folded again when next needed.
KEEP_STREAMS = 20_000


@dataclass(frozen=True)
class FoldStep(Generic[S]):
    """One event and its stream's state either side of it."""

    record: RecordedEvent
    before: S
    event: Event
    after: S

    def changed(self, items: Callable[[S], Mapping[str, Item]]) -> Iterator[tuple[Item, Item | None]]:
        """Each item (a request, a run, a review) the event changed or added, with what it was
        before (None when new). Folds share what an event leaves alone, so an unchanged item is
        the same object either side. A mapping that can tell its own changes (``changed_since``,
        as the PP+ budget's collections can, without walking every item) is asked."""
        earlier, now = items(self.before), items(self.after)
        changed_since = getattr(now, "changed_since", None)
        if changed_since is not None:
            yield from changed_since(earlier)
            return
        for item_id, item in now.items():
            if item is not earlier.get(item_id):
                yield item, earlier.get(item_id)


class StreamFolds:
    """The last state folded for each stream of the categories in ``folds``."""

    def __init__(self, catalogue: EventCatalogue, folds: Mapping[str, Fold], *, keep: int = KEEP_STREAMS) -> None:
        self._catalogue = catalogue
        self._folds = dict(folds)
        self._keep = keep
        self._last: OrderedDict[str, tuple[int, Any]] = OrderedDict()

    def folds(self, record: RecordedEvent) -> bool:
        """Whether the event belongs to a stream folded here."""
        return stream_category(record.stream_id) in self._folds

    async def step(self, conn: asyncpg.Connection, record: RecordedEvent) -> FoldStep:
        initial, evolve = self._folds[stream_category(record.stream_id)]
        version, state = self._last.pop(record.stream_id, (0, initial))
        if version != record.stream_version - 1:
            state = await self.state_before(conn, record)
        event = self.decode(record)
        after = evolve(state, event)
        self._last[record.stream_id] = (record.stream_version, after)
        if len(self._last) > self._keep:
            self._last.popitem(last=False)
        return FoldStep(record, state, event, after)

    def forget(self, stream_id: str) -> None:
        """Drop the state kept for a stream, so it is folded again from the log when next needed:
        for a state holding personal data that has since been erased."""
        self._last.pop(stream_id, None)

    async def state_before(self, conn: asyncpg.Connection, record: RecordedEvent) -> Any:
        """The stream's state just before ``record``, folded from the log."""
        initial, evolve = self._folds[stream_category(record.stream_id)]
        rows = await conn.fetch(
            f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE stream_id = $1 AND stream_version < $2"
            " ORDER BY stream_version",
            record.stream_id,
            record.stream_version,
        )
        state = initial
        for record in await reveal(conn, [record_from_row(row) for row in rows]):
            state = evolve(state, self.decode(record))
        return state

    def decode(self, record: RecordedEvent) -> Event:
        return self._catalogue.decode_record(record)


async def write_row(
    conn: asyncpg.Connection,
    table: str,
    row: Mapping[str, Any],
    *,
    key: tuple[str, ...],
    kept: tuple[str, ...] = (),
) -> None:
    """Write an item's row (``table`` named with its schema) as the fold now has it: inserted the
    first time, every other column replaced after that, except the key and the ``kept`` columns
    (e.g. where the item first appeared in the log, which orders lists)."""
    await write_rows(conn, table, [row], key=key, kept=kept)


async def write_rows(
    conn: asyncpg.Connection,
    table: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    key: tuple[str, ...],
    kept: tuple[str, ...] = (),
) -> None:
    """``write_row`` for many items at once, sent together (rows of one table with the same
    columns; at most one row per key)."""
    rows = list(rows)
    if not rows:
        return
    names = list(rows[0])
    changed = [n for n in names if n not in key and n not in kept]
    update = f"DO UPDATE SET {', '.join(f'{n} = EXCLUDED.{n}' for n in changed)}" if changed else "DO NOTHING"
    await conn.executemany(
        f"INSERT INTO {table} ({', '.join(names)}) "
        f"VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))}) "
        f"ON CONFLICT ({', '.join(key)}) {update}",
        [tuple(row[n] for n in names) for row in rows],
    )
