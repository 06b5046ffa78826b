"""Route -> handler -> load the stream, fold it, decide, append. The same few steps everywhere.

Every service's handlers go through ``ServiceLog`` (built once, in the service's ``wiring.py``)
and get one result type back, ``Outcome``; the routes answer with ``answered`` (ETag and status).

``ServiceLog.execute`` does them with optimistic concurrency: it appends expecting the version it
folded. If the caller sent If-Match, a stale version is refused with 409; if not, a clash with a
concurrent writer is resolved by folding again and deciding again (so two officers acting at
once are serialised, and the second decision sees the first - e.g. a budget approval that no
longer fits is refused rather than overspending).

The state each stream was last folded to is kept in memory (``shared.web.aggregates``), so a
command reads only the events after it, and a decision taken again after a clash reads only what
the other writer appended. Commands of one process on one stream take turns, so they never clash
with each other: only another process's command can make one decide again.
"""

from __future__ import annotations

import asyncio
import functools
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from fastapi import Response

from shared.eventlog.records import ANY_VERSION, NewEvent, RecordedEvent, StreamAppend
from shared.eventlog.store import EventStore, QueuedAppend, WrongExpectedVersion
from shared.eventlog.written import note_written
from shared.errors import DomainError
from shared.events import Event, EventCatalogue
from shared.observability import tracing
from shared.web.aggregates import Fold, folded_streams, holds_personal_data, read_after
from shared.web.context import CommandContext

S = TypeVar("S")
# Clashes are retried by deciding again. Many officers acting on one stream at the same moment
# (a panel approving a batch against one budget) need several rounds; a short random pause
# spreads them out.
MAX_ATTEMPTS = 30


@dataclass(frozen=True)
class Loaded(Generic[S]):
    state: S
    version: int


@dataclass(frozen=True)
class Outcome(Generic[S]):
    """What a command did: the stream's state and version after it, and the events it recorded
    (none when the decision changed nothing; on a retried request, what the first one recorded)."""

    stream_id: str
    state: S
    version: int
    recorded: list[RecordedEvent]

    @property
    def etag(self) -> str:
        return etag(self.version)


@dataclass(frozen=True)
class ServiceLog:
    """A service's view of the event log: its store and the catalogue it reads with. The one way
    handlers, policies and deadline jobs load streams and record decisions: what they record goes
    through ``append_streams``, so every event carries the trace of what caused it."""

    store: EventStore
    catalogue: EventCatalogue

    def decode(self, record: RecordedEvent) -> Event:
        return self.catalogue.decode_record(record)

    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        expected_version: int | None = ANY_VERSION,
        metadata: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
        request_fingerprint: bytes | None = None,
    ) -> list[RecordedEvent]:
        """Record events in one stream (``EventStore.append``)."""
        return await self.append_streams(
            [StreamAppend(stream_id, tuple(events), expected_version)],
            metadata=metadata,
            idempotency_key=idempotency_key,
            request_fingerprint=request_fingerprint,
        )

    async def submit(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        expected_version: int | None,
        metadata: dict[str, Any],
        idempotency_key: str | None,
        request_fingerprint: bytes | None,
        after: QueuedAppend | None,
    ) -> QueuedAppend:
        """Queue events for one stream (``EventStore.submit_streams``, ``after`` the append they
        were decided after): awaiting what it returns gives what was recorded, once written."""
        streams = [StreamAppend(stream_id, tuple(events), expected_version)]
        with tracing.appending(streams):
            return await self.store.submit_streams(
                streams,
                metadata={**metadata, **tracing.trace_context()},
                idempotency_key=idempotency_key,
                request_fingerprint=request_fingerprint,
                after=after,
            )

    async def append_streams(
        self,
        streams: Sequence[StreamAppend],
        *,
        metadata: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
        request_fingerprint: bytes | None = None,
    ) -> list[RecordedEvent]:
        """Record events in several streams at once (``EventStore.append_streams``), in a span of
        the current trace whose context goes into the events' metadata: a subscription applying
        them, in any service, continues that trace."""
        with tracing.appending(streams):
            return await self.store.append_streams(
                streams,
                metadata={**(metadata or {}), **tracing.trace_context()},
                idempotency_key=idempotency_key,
                request_fingerprint=request_fingerprint,
            )

    async def load(
        self, stream_id: str, initial: S, evolve: Callable[[S, Event], S], **cutoffs
    ) -> Loaded[S]:
        """Fold a stream to its current state (or as of a version / position / date). The current
        state is folded on from the one kept for the stream, reading only the events after it."""
        if any(value is not None for value in cutoffs.values()):
            state, version = initial, 0
            for record in await self.store.read_stream(stream_id, **cutoffs):
                state = evolve(state, self.decode(record))
                version = record.stream_version
            return Loaded(state, version)
        fold = Fold(self.catalogue, initial, evolve)
        return await self._caught_up(stream_id, fold, self._kept(stream_id, fold))

    def _kept(self, stream_id: str, fold: Fold) -> Loaded | None:
        kept = folded_streams(self.store).kept(stream_id, fold)
        return None if kept is None else Loaded(*kept)

    async def _caught_up(self, stream_id: str, fold: Fold, loaded: Loaded | None) -> Loaded:
        """``loaded`` (the initial state when None) with the events after it folded on."""
        state, version = (fold.initial, 0) if loaded is None else (loaded.state, loaded.version)
        records = await read_after(self.store, stream_id, version)
        return Loaded(*self._fold_on(stream_id, fold, state, version, records))

    def _fold_on(
        self, stream_id: str, fold: Fold, state: S, version: int, records: Sequence[RecordedEvent]
    ) -> tuple[S, int]:
        """Fold ``records`` on from ``state`` and keep the result, if it may be kept."""
        personal = False
        for record in records:
            event = self.decode(record)
            state = fold.evolve(state, event)
            version = record.stream_version
            personal = personal or holds_personal_data(record, event)
        kept = folded_streams(self.store)
        if personal:
            kept.forget(stream_id, fold)
        elif records:
            kept.keep(stream_id, fold, version, state)
        return state, version

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
        """Load, decide, append; returns the new state and what was recorded (nothing, if the
        decision produced no events, e.g. an import row that changes nothing)."""
        store = self.store
        key = ctx.scoped_idempotency_key(operation)

        async def answered_before() -> Outcome[S] | None:
            # A retry of a request that already succeeded is answered as the first time was,
            # without deciding again (the second decision might refuse: "already recorded").
            earlier = (
                await store.recorded_for_key(key, request_fingerprint=ctx.request_fingerprint)
                if key is not None
                else None
            )
            return None if earlier is None else await answered_with(earlier)

        async def answered_with(earlier: list[RecordedEvent]) -> Outcome[S]:
            note_written(earlier[-1].position)
            mine = [r for r in earlier if r.stream_id == stream_id]
            last = mine[-1] if mine else earlier[-1]
            loaded = await self.load(stream_id, initial, evolve, up_to_position=last.position)
            return Outcome(stream_id, loaded.state, loaded.version, mine)

        fold = Fold(self.catalogue, initial, evolve)
        streams = folded_streams(store)
        # A second request with this key waits here for the first, and is then answered from it.
        async with store.exclusive_key(key):
            if (earlier := await answered_before()) is not None:
                return earlier
            clashed = False
            for attempt in range(MAX_ATTEMPTS):
                # Each command on the stream waits its turn, and decides on the state this
                # process kept (or the state the appends it has queued will leave: see
                # shared.web.aggregates), without reading the log. The append expects that
                # version, so if another process has appended since, the append is refused and
                # the command reads what that process appended and decides again. A refusal, or
                # a decision to record nothing, is only given on the state as the log has it now.
                async with streams.turn(stream_id):
                    decided = await self._decide(ctx, stream_id, fold, decide, answered_before, clashed)
                    if isinstance(decided, Outcome):
                        return decided
                    loaded, base, decided_after, events = decided
                    new = [NewEvent.from_event(e, default_effective_date=ctx.today) for e in events]
                    queued = await self.submit(
                        stream_id,
                        new,
                        expected_version=loaded.version,
                        metadata=ctx.metadata(),
                        idempotency_key=key,
                        request_fingerprint=ctx.request_fingerprint,
                        after=decided_after,
                    )
                    ahead = after = None
                    if ctx.if_match is None and self._kept(stream_id, fold) is not None and not any(
                        e.personal for e in new
                    ):
                        # The turn ends here: the next command decides on the state this append
                        # will leave, while it is being written.
                        # Folded when first needed: by the next command, or once this is accepted.
                        after = functools.cache(functools.partial(self._folded, fold, loaded.state, new))
                        ahead = streams.go_ahead(stream_id, fold, base, after, loaded.version + len(new), queued)
                    else:
                        # Personal data is never decided ahead (it is never kept), and an If-Match
                        # is answered on the version the log has: the turn waits for the answer.
                        await asyncio.wait({queued.answer})
                try:
                    recorded = await queued
                except WrongExpectedVersion:
                    if ahead is not None:
                        streams.answered(stream_id, ahead, queued, accepted=False)
                    if ctx.if_match is not None or attempt == MAX_ATTEMPTS - 1:
                        raise
                    await _pause(attempt)
                    clashed = True  # the next attempt reads what the other writer appended
                    continue
                except BaseException:
                    if ahead is not None:
                        streams.answered(stream_id, ahead, queued, accepted=False)
                    raise
                if recorded[0].stream_version != loaded.version + 1:
                    # Another process recorded this key's request first: answered with its events.
                    if ahead is not None:
                        streams.answered(stream_id, ahead, queued, accepted=False)
                    return await answered_with(recorded)
                # The events just recorded follow the version decided on (the append expected
                # it), so the state after them is kept: the next command starts from there.
                if ahead is not None:
                    state, version = after(), recorded[-1].stream_version
                    streams.keep(stream_id, fold, version, state)
                    streams.answered(stream_id, ahead, queued, accepted=True)
                else:
                    state, version = self._fold_on(stream_id, fold, loaded.state, loaded.version, recorded)
                return Outcome(stream_id, state, version, recorded)
            raise AssertionError("unreachable")

    async def _decide(
        self,
        ctx: CommandContext,
        stream_id: str,
        fold: Fold,
        decide: Callable[[S], Sequence[Event]],
        answered_before: Callable[[], Awaitable[Outcome[S] | None]],
        clashed: bool,
    ) -> Outcome[S] | tuple[Loaded[S], tuple[S, int], QueuedAppend | None, list[Event]]:
        """In the stream's turn: the events to record, the state they were decided on, the
        committed state that one follows from and the queued append that leaves the stream at the
        state decided on (None when it is committed); or the outcome, when nothing is to be recorded.
        Raises the decision's refusal, given only on the state the log has. After a clash the
        state kept is behind the log: what the other writer appended is read first."""
        streams = folded_streams(self.store)
        ahead = streams.ahead(stream_id, fold)
        if ahead is not None and clashed:
            # Another process is appending to this stream too: decide on what is committed, not
            # ahead of it, or each of its appends could turn every one queued here into a clash.
            await ahead.answered()
            loaded, current = await self._caught_up(stream_id, fold, Loaded(ahead.base_state, ahead.base_version)), True
            ahead = None
        elif ahead is not None:
            loaded, current = Loaded(ahead.state(), ahead.version), False
        else:
            kept = self._kept(stream_id, fold)
            if kept is None or clashed:
                loaded, current = await self._caught_up(stream_id, fold, kept), True
            else:
                loaded, current = kept, False

        async def log_as_it_is() -> tuple[Loaded[S], bool]:
            """The state as the log has it, and whether it may differ from the one decided on:
            what is queued ahead is answered first, and the stream read on from the committed
            state it followed (or from the one kept)."""
            if ahead is not None:
                await ahead.answered()
                return await self._caught_up(stream_id, fold, Loaded(ahead.base_state, ahead.base_version)), True
            now = await self._caught_up(stream_id, fold, loaded)
            return now, now.version != loaded.version

        while True:
            if ctx.if_match is not None and ctx.if_match != loaded.version and not current:
                (loaded, _), current, ahead = await log_as_it_is(), True, None
            if ctx.if_match is not None and ctx.if_match != loaded.version:
                raise WrongExpectedVersion(stream_id, ctx.if_match, loaded.version)
            try:
                events = list(decide(loaded.state))
            except DomainError:
                if not current:
                    (loaded, moved), current, ahead = await log_as_it_is(), True, None
                    if moved:
                        continue
                # A retry sent before the first attempt answered may be refused because that
                # first attempt has just succeeded: then its answer is right.
                if (earlier := await answered_before()) is not None:
                    return earlier
                raise
            if not events:
                if not current:
                    (loaded, moved), current, ahead = await log_as_it_is(), True, None
                    if moved:
                        continue
                return Outcome(stream_id, loaded.state, loaded.version, [])
            if ahead is not None:
                return loaded, (ahead.base_state, ahead.base_version), ahead.last, events
            return loaded, (loaded.state, loaded.version), None, events

    def _folded(self, fold: Fold, state: S, events: Sequence[NewEvent]) -> S:
        """The state after events not yet recorded, decoded as they will be read back (they hold
        no personal data, so what is stored is exactly their data)."""
        for event in events:
            state = fold.evolve(state, self.catalogue.decode(event.event_type, event.schema_version, event.data))
        return state

    async def execute_many(
        self,
        ctx: CommandContext,
        decide: Callable[[], Sequence[tuple[str, int, Sequence[Event]]]],
        *,
        operation: str,
    ) -> list[RecordedEvent]:
        """Several streams changed atomically. ``decide`` loads what it needs and returns, per
        stream, the version it read and the events to append; clashes are retried as in
        ``execute`` (the callable is simply run again)."""
        store = self.store
        key = ctx.scoped_idempotency_key(operation)
        async with store.exclusive_key(key):
            if key is not None:
                earlier = await store.recorded_for_key(key, request_fingerprint=ctx.request_fingerprint)
                if earlier is not None:
                    if earlier:
                        note_written(earlier[-1].position)
                    return earlier
            for attempt in range(MAX_ATTEMPTS):
                plan = [(sid, version, list(events)) for sid, version, events in await _maybe_await(decide())]
                plan = [(sid, version, events) for sid, version, events in plan if events]
                if not plan:
                    return []
                try:
                    return await self.append_streams(
                        [
                            StreamAppend(
                                sid,
                                tuple(NewEvent.from_event(e, default_effective_date=ctx.today) for e in events),
                                version,
                            )
                            for sid, version, events in plan
                        ],
                        metadata=ctx.metadata(),
                        idempotency_key=key,
                        request_fingerprint=ctx.request_fingerprint,
                    )
                except WrongExpectedVersion:
                    if attempt == MAX_ATTEMPTS - 1:
                        raise
                    await _pause(attempt)
            raise AssertionError("unreachable")


def etag(version: int) -> str:
    """ETags are the stream's version in quotes; send one back as If-Match on the next write."""
    return f'"{version}"'


def answered(response: Response, outcome: Outcome, *, created: bool = False) -> None:
    """Set a write's ETag (the stream's new version) and status: 201 when ``created`` and something
    new was recorded, 200 when the request changed nothing (or repeated an earlier one)."""
    response.headers["ETag"] = etag(outcome.version)
    if created and outcome.recorded:
        response.status_code = 201


async def _pause(attempt: int) -> None:
    await asyncio.sleep(random.uniform(0, 0.002 * min(attempt + 1, 10)))


async def _maybe_await(value):
    if hasattr(value, "__await__"):
        return await value
    return value
