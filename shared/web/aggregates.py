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

**Deciding ahead of the disk.** A command's turn ends once its append is in the writer's queue,
not when it is committed: the next command decides on the state the queued append will leave
(``ahead``) and queues its own append after it (``EventStore.submit_streams``), so a busy
stream's commands follow each other group after group instead of waiting for the command
before them to be answered. Nothing is answered before its own append is committed. If an
append is refused (another process appended first, the database failed), every append queued
after it on that stream is refused too, without being written; each of those commands decides
again on the log as it is. A refusal or a decision
to record nothing is never given on a state ahead of the log: the command waits for what is
queued to be answered and decides on what was committed. Streams holding personal data are
never decided ahead, as they are never kept.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EVENT_COLUMNS, EventStore, QueuedAppend, record_from_row
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


@dataclass
class Ahead:
    """A stream's state as the appends queued on it, not yet answered, will leave it: ``state()``
    at ``version`` (folded when first asked for). ``base`` is the committed state at
    ``base_version`` the first of them was decided on, from which the log is read again if they
    must be waited for."""

    fold: Fold
    base_state: Any
    base_version: int
    state: Callable[[], Any]
    version: int
    last: QueuedAppend  # the append that leaves the stream at ``state``
    queued: set[QueuedAppend] = field(default_factory=set)

    async def answered(self) -> None:
        """Wait until every append queued on this state is answered (accepted or refused)."""
        if self.queued:
            await asyncio.wait({queued.answer for queued in self.queued})


class FoldedStreams:
    """The kept states and the turns of one process's event store."""

    def __init__(self, *, keep: int = KEEP_STREAMS) -> None:
        self._keep = keep
        # By stream and ``evolve``: one entry for each way a stream is folded, replaced when the
        # initial state or the catalogue is another.
        self._kept: OrderedDict[tuple[str, int], _Kept] = OrderedDict()
        self._turns: dict[str, tuple[asyncio.Lock, int]] = {}
        self._ahead: dict[tuple[str, int], Ahead] = {}

    def ahead(self, stream_id: str, fold: Fold) -> Ahead | None:
        """The state the stream's queued appends will leave, if any are queued (see above)."""
        entry = self._ahead.get((stream_id, id(fold.evolve)))
        return entry if entry is not None and entry.fold.same(fold) else None

    def go_ahead(
        self,
        stream_id: str,
        fold: Fold,
        base: tuple[Any, int],
        state: Callable[[], Any],
        version: int,
        queued: QueuedAppend,
    ) -> Ahead:
        """Note an append queued on the stream: the next command decides on ``state``. ``base`` is
        the committed state the command decided on when nothing else was queued."""
        key = (stream_id, id(fold.evolve))
        entry = self._ahead.get(key)
        if entry is None or not entry.fold.same(fold):
            entry = self._ahead[key] = Ahead(fold, base[0], base[1], state, version, queued)
        entry.state, entry.version, entry.last = state, version, queued
        entry.queued.add(queued)
        return entry

    def answered(self, stream_id: str, entry: Ahead, queued: QueuedAppend, *, accepted: bool) -> None:
        """An append queued ahead was answered. Refused, nothing queued after it can be accepted,
        so no later command may decide on this state; accepted with nothing queued after it, the
        kept state has caught up with it."""
        entry.queued.discard(queued)
        key = (stream_id, id(entry.fold.evolve))
        if self._ahead.get(key) is entry and (not accepted or not entry.queued):
            del self._ahead[key]

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
