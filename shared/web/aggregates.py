"""Each stream's last folded state, kept in memory, and one command at a time on each stream.

A command decides against its stream's state now. Folding the whole stream for every command
costs in proportion to the stream, and a PP+ budget's stream grows all year; so the state each
fold last gave each stream is kept here with its version, and the next command reads only the
events after that version (usually none) and folds those on. A command that clashed with
another process reads only what that process appended.

**Which fold.** A state is kept for the fold that made it, the very objects: the catalogue that
decoded the events, the initial state and the ``evolve`` function. A state folded by other code,
or decoded by another catalogue, is never given to a command; after a deployment the process is
new and so is the memory. The kept entry holds those objects, so none of them can be collected
and its identity taken by another while the entry exists.

**Personal data.** A stream any of whose events holds personal data (a field sealed with a
child's key, or named personal by its event type) is never kept: when the data protection officer
erases a child, their key is destroyed and every read from then on shows those fields erased; a
state kept in memory would go on showing what was erased. Such streams (a child's record, a PEP)
are a child's own and short, so folding them each time costs little. The streams that grow with
the council, the budgets, hold none.

**Cut-off reads** (as of a version, a position or a date) are folded from the log as before and
never kept: they are not the stream's state now.

**One command at a time.** ``turn`` queues the commands of one process on one stream, so they
never clash with each other (each decides against the state the previous one left) and only a
command of another process can make one decide again. Turns are taken in the order asked for.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EVENT_COLUMNS, EventStore, record_from_row
from shared.events import Event, EventCatalogue
from shared.privacy import sealing

# Streams whose state is kept. A council has thousands of schools and children; past this the
# least recently used are dropped and folded from the log again when next needed.
KEEP_STREAMS = 20_000

_READ_AFTER = (
    f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE stream_id = $1 AND stream_version > $2"
    " ORDER BY stream_version"
)


@dataclass(frozen=True)
class Fold:
    """What turns a stream's events into its state: the catalogue that decodes them, the initial
    state and ``evolve``."""

    catalogue: EventCatalogue
    initial: Any
    evolve: Callable[[Any, Event], Any]

    def same(self, other: Fold) -> bool:
        return (
            self.catalogue is other.catalogue and self.initial is other.initial and self.evolve is other.evolve
        )


@dataclass(frozen=True)
class _Kept:
    fold: Fold
    version: int
    state: Any


def holds_personal_data(record: RecordedEvent, event: Event) -> bool:
    """Whether a stream's state folded with this event may hold personal data (see above)."""
    return bool(record.sealed or record.erased or type(event).personal_fields)


class FoldedStreams:
    """The kept states and the turns of one process's event store."""

    def __init__(self, *, keep: int = KEEP_STREAMS) -> None:
        self._keep = keep
        # By stream and ``evolve``: one entry for each way a stream is folded, replaced when the
        # initial state or the catalogue is another.
        self._kept: OrderedDict[tuple[str, int], _Kept] = OrderedDict()
        self._turns: dict[str, tuple[asyncio.Lock, int]] = {}

    def kept(self, stream_id: str, fold: Fold) -> tuple[Any, int] | None:
        """The state kept for the stream by this fold and its version; None when there is none."""
        key = (stream_id, id(fold.evolve))
        entry = self._kept.get(key)
        if entry is None or not entry.fold.same(fold):
            return None
        self._kept.move_to_end(key)
        return entry.state, entry.version

    def keep(self, stream_id: str, fold: Fold, version: int, state: Any) -> None:
        """Keep a state, unless a later one is already kept (two reads at once: the later wins)."""
        key = (stream_id, id(fold.evolve))
        entry = self._kept.get(key)
        if entry is not None and entry.fold.same(fold) and entry.version >= version:
            return
        self._kept[key] = _Kept(fold, version, state)
        self._kept.move_to_end(key)
        if len(self._kept) > self._keep:
            self._kept.popitem(last=False)

    def forget(self, stream_id: str, fold: Fold) -> None:
        key = (stream_id, id(fold.evolve))
        entry = self._kept.get(key)
        if entry is not None and entry.fold.same(fold):
            del self._kept[key]

    def __len__(self) -> int:
        return len(self._kept)

    @asynccontextmanager
    async def turn(self, stream_id: str) -> AsyncIterator[None]:
        """Hold the stream for one command; the next command on it waits its turn."""
        lock, users = self._turns.get(stream_id, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._turns[stream_id] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._turns[stream_id]
            if users == 1:
                del self._turns[stream_id]
            else:
                self._turns[stream_id] = (lock, users - 1)


_BY_STORE: WeakKeyDictionary[EventStore, FoldedStreams] = WeakKeyDictionary()


def folded_streams(store: EventStore) -> FoldedStreams:
    """The kept states of a store: one for the process, however many ``ServiceLog`` values are
    made over it (the services make one per request)."""
    streams = _BY_STORE.get(store)
    if streams is None:
        streams = _BY_STORE[store] = FoldedStreams()
    return streams


async def read_after(store: EventStore, stream_id: str, version: int) -> Sequence[RecordedEvent]:
    """The stream's events after ``version``, in order, their personal fields opened."""
    rows = await store.pool.fetch(_READ_AFTER, stream_id, version)
    if not rows:
        return ()
    return await sealing.reveal(store.pool, [record_from_row(row) for row in rows])
