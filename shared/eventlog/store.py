"""The append-only event log in PostgreSQL.

Appends are serialised: every appending transaction first takes one transaction-scoped advisory
lock, then reads the head of the log (last position and hash), numbers its events after it and
chains their hashes. Two things follow, and both are why this mechanism was chosen:

* **No reader ever skips an event.** Positions are handed out and committed one transaction at a
  time, in order, and the lock is released only after the commit is visible. A transaction that
  holds position N has committed before any transaction can take N+1, so a follower reading
  "after position P" can never see N+1 while N is still in flight. (With a plain sequence, a
  slow transaction holding a lower number commits after a faster one holding a higher number
  and a follower that has moved past it never sees it.)
* **The hash chain is well-defined.** Each event's hash needs the previous event's hash, which
  only exists once appends are ordered.

Serialising would cap throughput at one commit (one disk flush) per event, so this process
gathers the appends of all concurrent callers into one transaction ("group commit"): a single
writer task takes everything queued, writes it in one transaction and resolves each caller's
future with its own result or its own error. A caller whose expected version is wrong gets a
``WrongExpectedVersion`` and the others in the same group are unaffected.

A group is one statement, sent as its own transaction: ``eventlog.append_group`` (migration 0009)
takes the lock, reads the head, the versions and the keys, decides each append and inserts, so
the lock is held for one round trip and the commit rather than five round trips, and the
appends of other processes wait that much less. Only the database knows where the events go,
so the writer sends each event's content in pieces around its position and version
(``hashing.content_pieces``) and the function chains the hashes.

Back-pressure: at most ``max_queued`` appends wait for the writer; past that an append is
refused at once with ``StoreUnavailable`` (503, Retry-After), nothing recorded.

Idempotency: an append carrying an idempotency key that is already in the log appends nothing
and returns the events the first append recorded.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import time
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, NamedTuple

import asyncpg

from shared.database import connection_lost, database_unavailable, init_connection
from shared.errors import Conflict, InvalidInput, ServiceUnavailable
from shared.eventlog.hashing import NotStorable, canonical_json, content_pieces, find_unstorable, text_problem
from shared.eventlog.records import ANY_VERSION, NewEvent, RecordedEvent, StreamAppend
from shared.eventlog.written import note_written
# As a module: shared.privacy.sealing imports this package's records in turn.
from shared.privacy import sealing
from shared.tasks import cancel_and_wait

__all__ = ["EventStore", "IdempotencyKeyReused", "StoreUnavailable", "WrongExpectedVersion", "init_connection"]

log = logging.getLogger(__name__)

# Arbitrary but fixed: the advisory lock every appender takes (the ASCII of "EVLG").
APPEND_LOCK_KEY = 0x45564C47
NOTIFY_CHANNEL = "eventlog_appended"

EVENT_COLUMNS = (
    "position, stream_id, stream_version, event_type, schema_version, data, metadata, "
    "effective_date, recorded_at, subjects, prev_hash, hash"
)

# The same columns, with data and metadata as the JSON text PostgreSQL holds.
STORED_COLUMNS = EVENT_COLUMNS.replace("data, metadata", "data::text AS data, metadata::text AS metadata")

_READ_ALL = (
    "SELECT {columns} FROM eventlog.events WHERE position > $1"
    " AND ($3::text[] IS NULL OR event_type = ANY($3))"
    " AND ($4::text[] IS NULL OR split_part(stream_id, '-', 1) = ANY($4))"
    " AND ($5::text IS NULL OR subjects @> ARRAY[$5::text])"
    " AND ($6::bigint IS NULL OR position <= $6)"
    " ORDER BY position LIMIT $2"
)


def _read_all_arguments(
    after: int,
    limit: int,
    event_types: Sequence[str] | None,
    categories: Sequence[str] | None,
    subject: str | None,
    up_to_position: int | None,
) -> tuple[Any, ...]:
    return (
        after,
        limit,
        list(event_types) if event_types is not None else None,
        list(categories) if categories is not None else None,
        subject,
        up_to_position,
    )


class WrongExpectedVersion(Conflict):
    """The stream has moved on since the caller read it: re-read and decide again."""

    problem_type = "version-conflict"

    def __init__(self, stream_id: str, expected: int | None, actual: int) -> None:
        super().__init__(
            f"{stream_id} is at version {actual}, not {expected}: it was changed by someone else; "
            "reload it and try again",
            field="If-Match",
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


class StoreUnavailable(ServiceUnavailable):
    """The log's database could not be reached. Whether anything was recorded is said in the
    detail; repeating the request with the same Idempotency-Key is always safe."""


class IdempotencyKeyReused(InvalidInput):
    """The same Idempotency-Key came with a different request: answering with the first
    request's result would silently drop this one (a second payment, say), so it is refused."""

    problem_type = "idempotency-key-reused"

    def __init__(self) -> None:
        super().__init__(
            "this Idempotency-Key was already used for a different request; a retry must repeat the "
            "first request exactly, and a new request needs a new key",
            field="Idempotency-Key",
        )


NOT_RECORDED = (
    "the event log's database is not reachable just now, so nothing was recorded; "
    "try again shortly"
)
OUTCOME_UNKNOWN = (
    "the connection to the event log's database was lost while this request was being recorded, "
    "so it may or may not have been recorded; repeat it with the same Idempotency-Key to get the "
    "first answer (or a check of the record first, if it was sent without one)"
)


WRITER_BUSY = (
    "the event log's writer has as many appends waiting as it takes, so nothing was recorded; "
    "try again shortly"
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def record_from_row(row: asyncpg.Record) -> RecordedEvent:
    # Columns are selected in field order (EVENT_COLUMNS), so the row maps straight across; as
    # stored, nothing has been revealed (``sealed``) or found erased.
    return RecordedEvent._make((*row, None, ()))


@dataclass
class _PendingAppend:
    streams: tuple[StreamAppend, ...]
    metadata: dict[str, Any]
    idempotency_key: str | None
    fingerprint: bytes | None
    future: asyncio.Future[list[RecordedEvent]] = field(repr=False)
    # The append queued before this one that this one was decided after (see ``submit_streams``).
    after: _PendingAppend | None = field(default=None, repr=False)
    # Its events were written by this append (not found already in the log for its key).
    written: bool = False


@dataclass(frozen=True, eq=False)
class QueuedAppend:
    """An append in the writer's queue (``EventStore.submit_streams``): awaiting it gives what was
    recorded, once written, or raises why not."""

    answer: asyncio.Task[list[RecordedEvent]]
    pending: _PendingAppend = field(repr=False)

    def __await__(self):
        return self.answer.__await__()


@dataclass
class _Attempt:
    """One try at writing a group: what it planned and how far it got, so that after a lost
    connection the writer can tell whether the group was committed."""

    outcomes: dict[int, list[RecordedEvent] | BaseException] = field(default_factory=dict)
    plan: _GroupPlan | None = None  # set as the group is sent: from then on it may be in the log
    committed: bool = False


class EventStore:
    """Append to and read from the log. One instance per process; call ``start`` before use.

    The writer task outlives its database connection: when the connection breaks, callers whose
    append was in flight are told whether it was recorded (it is checked once the database
    answers again) or get ``StoreUnavailable`` (503, retry with the same Idempotency-Key); later
    appends reconnect, with a growing pause between attempts while the database stays away,
    during which they are answered ``StoreUnavailable`` at once rather than left waiting.

    ``group_observer``, when set, is told after each group how long the writer took over it
    (retries and reconnecting included) and how many appends it held: the service's metrics.
    """

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        clock: Callable[[], datetime] = utc_now,
        max_group: int = 2000,
        acquire_timeout: float = 10.0,
        reconnect_backoff: tuple[float, float] = (0.1, 5.0),
        max_queued: int = 10_000,
        busy_retry_after: int = 1,
    ) -> None:
        self._pool = pool
        self._clock = clock
        self._max_group = max_group
        self._acquire_timeout = acquire_timeout
        self._backoff_first, self._backoff_max = reconnect_backoff
        self._backoff = self._backoff_first
        self._down_until = 0.0
        self._max_queued = max_queued
        self._busy_retry_after = busy_retry_after
        self._queue: asyncio.Queue[_PendingAppend] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._in_flight: list[_PendingAppend] = []
        self._key_locks: dict[str, tuple[asyncio.Lock, int]] = {}
        # The highest position this writer has written: nothing it sends later can lie at or
        # before it, which narrows the search after a lost connection.
        self._seen_head = 0
        self.group_observer: Callable[[float, int], None] | None = None

    @property
    def pool(self) -> asyncpg.Pool:
        return self._pool

    # -- lifecycle -----------------------------------------------------------------------------

    def start(self) -> None:
        if self._writer is None:
            self._writer = asyncio.create_task(self._write_forever(), name="eventlog-writer")

    async def close(self) -> None:
        await cancel_and_wait(self._writer)
        self._writer = None
        _fail(self._in_flight, RuntimeError("the event store was closed"))
        while not self._queue.empty():
            _fail([self._queue.get_nowait()], RuntimeError("the event store was closed"))

    @property
    def running(self) -> bool:
        return self._writer is not None and not self._writer.done()

    @property
    def queue_depth(self) -> int:
        """Appends waiting for the writer to take them into a group."""
        return self._queue.qsize()

    # -- appending -----------------------------------------------------------------------------

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
        """Append events to one stream. ``expected_version`` 0 means "the stream must be new"."""
        return await self.append_streams(
            [StreamAppend(stream_id, tuple(events), expected_version)],
            metadata=metadata,
            idempotency_key=idempotency_key,
            request_fingerprint=request_fingerprint,
        )

    async def append_streams(
        self,
        streams: Sequence[StreamAppend],
        *,
        metadata: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
        request_fingerprint: bytes | None = None,
    ) -> list[RecordedEvent]:
        """Append to several streams atomically: all of them are written, or none.

        ``request_fingerprint`` identifies the request behind ``idempotency_key``: the same key
        with another fingerprint is refused (``IdempotencyKeyReused``) instead of answered with
        the first request's events.
        """
        answer = await self.submit_streams(
            streams, metadata=metadata, idempotency_key=idempotency_key, request_fingerprint=request_fingerprint
        )
        return await answer

    async def submit_streams(
        self,
        streams: Sequence[StreamAppend],
        *,
        metadata: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
        request_fingerprint: bytes | None = None,
        after: QueuedAppend | None = None,
    ) -> QueuedAppend:
        """``append_streams`` in two steps: this returns once the append is checked, sealed and in
        the writer's queue; awaiting what it returns gives the answer.

        ``after`` is an append queued earlier that this one was decided after, before it was
        answered: this one expects the version that one will leave. It is written only if that one
        was, leaving each of this one's streams exactly at the version this one expects; if not,
        it is refused with ``WrongExpectedVersion`` without being sent. (A version alone would not
        do: another process's append could have brought the stream to the same version with other
        events.) It is never written in the same group as that one, whose outcome it waits for."""
        if not streams or any(not s.events for s in streams):
            raise ValueError("an append needs at least one event for each stream")
        if len({s.stream_id for s in streams}) != len(streams):
            raise ValueError("a stream may appear only once in an append")
        if self._writer is None:
            raise RuntimeError("EventStore.start() has not been called")
        meta = dict(metadata or {})
        if idempotency_key is not None:
            meta["idempotency_key"] = idempotency_key
        # Refused here, in the caller's own task, so that one caller's unstorable value can never
        # fail the other appends that share its transaction.
        _check_appendable(streams, meta)
        # Personal fields are sealed before the writer hashes them, so the chain covers what is
        # stored. Keys are fetched (or made) here too: the writer's transaction never waits on
        # a key store.
        sealed = await self._seal(streams)
        if self._queue.qsize() >= self._max_queued:
            # The writer is this far behind: a caller told now can retry elsewhere or later,
            # where one more in the queue would only wait longer than anyone would.
            raise StoreUnavailable(WRITER_BUSY, retry_after=self._busy_retry_after)
        future: asyncio.Future[list[RecordedEvent]] = asyncio.get_running_loop().create_future()
        pending = _PendingAppend(
            tuple(sealed), meta, idempotency_key, request_fingerprint, future, after.pending if after else None
        )
        self._queue.put_nowait(pending)
        return QueuedAppend(asyncio.ensure_future(self._answer(future, streams, sealed)), pending)

    async def _answer(
        self, future: asyncio.Future[list[RecordedEvent]], streams: Sequence[StreamAppend],
        sealed: Sequence[StreamAppend],
    ) -> list[RecordedEvent]:
        recorded = await future
        note_written(recorded[-1].position)
        return await sealing.as_written(self._pool, streams, sealed, recorded)

    async def _seal(self, streams: Sequence[StreamAppend]) -> Sequence[StreamAppend]:
        try:
            return await sealing.seal_appends(self._pool, streams)
        except Exception as exc:
            # Nothing is recorded before the keys are in hand: a retry is safe.
            if database_unavailable(exc) or isinstance(exc, OSError | asyncio.TimeoutError):
                raise StoreUnavailable(NOT_RECORDED, retry_after=1) from exc
            raise

    @asynccontextmanager
    async def exclusive_key(self, idempotency_key: str | None) -> AsyncIterator[None]:
        """Hold off a second request with the same idempotency key while the first is still being
        decided in this process, so the second is answered from the first's result rather than
        deciding again (and perhaps being refused because the first has just succeeded)."""
        if idempotency_key is None:
            yield
            return
        lock, users = self._key_locks.get(idempotency_key, (asyncio.Lock(), 0))
        self._key_locks[idempotency_key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._key_locks[idempotency_key]
            if users == 1:
                del self._key_locks[idempotency_key]
            else:
                self._key_locks[idempotency_key] = (lock, users - 1)

    async def _write_forever(self) -> None:
        # The writer keeps one connection of its own: no pool hand-over per transaction.
        conn: asyncpg.Connection | None = None
        try:
            held: _PendingAppend | None = None
            while True:
                group = [held if held is not None else await self._queue.get()]
                held = None
                # Let callers whose previous append just completed queue their next one, so a
                # busy process fills each transaction instead of committing one event at a time.
                await asyncio.sleep(0)
                while len(group) < self._max_group and not self._queue.empty():
                    pending = self._queue.get_nowait()
                    if pending.after is not None and any(p is pending.after for p in group):
                        # Decided after an append in this group: it waits for that one's outcome,
                        # and starts the next group (nothing queued after it jumps ahead of it).
                        held = pending
                        break
                    group.append(pending)
                self._in_flight = group
                started = time.perf_counter()
                try:
                    conn = await self._write_with_recovery(conn, group)
                except Exception as exc:  # never let the writer die: this group hears why
                    log.exception("the event log writer failed a group of %d appends", len(group))
                    _fail(group, exc)
                self._in_flight = []
                if self.group_observer is not None:
                    self.group_observer(time.perf_counter() - started, len(group))
        except asyncio.CancelledError:
            _fail(self._in_flight, RuntimeError("the event store was closed"))
            raise
        finally:
            if conn is not None:
                await self._discard(conn, broken=False)

    async def _write_with_recovery(
        self, conn: asyncpg.Connection | None, group: list[_PendingAppend], *, retries: int = 1
    ) -> asyncpg.Connection | None:
        """Write a group and settle every caller's future; returns the connection to keep."""
        group = _refuse_broken_chains(group)
        if not group:
            return conn
        if conn is None:
            try:
                conn = await self._connect()
            except StoreUnavailable as exc:
                _fail(group, exc)
                return None
        attempt = _Attempt()
        try:
            await self._write_group(conn, group, attempt)
            return conn
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if _connection_lost(conn, exc):
                await self._discard(conn)
                return await self._after_lost_connection(group, attempt, exc, retries)
            if database_unavailable(exc):
                # The connection is alive and the transaction was rolled back (a lock or
                # statement timeout, say): nothing was recorded, and the caller may retry.
                _fail(group, StoreUnavailable(NOT_RECORDED, retry_after=1))
                return conn
            if len(group) > 1 and not attempt.committed:
                # The database refused something in this transaction. It belongs to one caller,
                # so the others must not fail with it: write each on its own.
                log.warning("a group of %d appends failed (%s); writing each alone", len(group), exc)
                for pending in group:
                    if not pending.future.done():
                        conn = await self._write_with_recovery(conn, [pending], retries=retries)
                return conn
            _fail(group, _callers_error(exc))
            return conn

    async def _after_lost_connection(
        self, group: list[_PendingAppend], attempt: _Attempt, exc: BaseException, retries: int
    ) -> asyncpg.Connection | None:
        log.warning("the event log writer lost its database connection: %s", exc)
        if attempt.committed:
            # Committed, and those appended were answered; only re-reading earlier answers
            # for repeated idempotency keys failed, and repeating those is safe.
            _fail(group, StoreUnavailable(NOT_RECORDED, retry_after=1))
            return None
        unknown = OUTCOME_UNKNOWN if attempt.plan is not None else NOT_RECORDED
        try:
            conn = await self._connect()
        except StoreUnavailable:
            _fail(group, StoreUnavailable(unknown))
            return None
        try:
            found = await self._find_written(conn, group, attempt)
        except Exception as check_failed:
            log.warning("could not check whether a group was recorded: %s", check_failed)
            await self._discard(conn)
            _fail(group, StoreUnavailable(unknown))
            return None
        for index in found:  # found by the content this writer sent: this append's own events
            group[index].written = True
        _settle(group, found)
        # The rest were not recorded: either the group never committed, or it did and they were
        # answered there with a conflict or an earlier key's events. Deciding them again against
        # the log as it now is gives each the answer it would get from a later group.
        rest = [pending for index, pending in enumerate(group) if index not in found]
        if not rest:
            return conn
        if retries > 0:
            # The database is back: write them again rather than fail callers for a blip.
            return await self._write_with_recovery(conn, rest, retries=retries - 1)
        _fail(rest, StoreUnavailable(NOT_RECORDED))
        return conn

    async def _find_written(
        self, conn: asyncpg.Connection, group: list[_PendingAppend], attempt: _Attempt
    ) -> dict[int, list[RecordedEvent]]:
        """The appends of a group whose statement was cut off that are in the log, with their
        events. Each is found by its first event's stream, time of recording and content: the
        stored hash must be the hash of exactly the content this writer sent, at the place the
        event was stored, and the event must lie beyond the head this writer last saw (before
        that, nothing of this group can be)."""
        plan = attempt.plan
        if plan is None:
            return {}
        async with conn.transaction():
            # Taking the append lock waits out the old connection's statement, if the server has
            # not yet noticed it is gone, so what we read next is final.
            await conn.execute("SELECT pg_advisory_xact_lock($1)", APPEND_LOCK_KEY)
            candidates = await conn.fetch(
                "SELECT position, stream_id, stream_version, prev_hash, hash FROM eventlog.events "
                "WHERE stream_id = ANY($1::text[]) AND recorded_at = $2 AND position > $3",
                plan.stream_ids,
                plan.recorded_at,
                plan.seen_head,
            )
            found: dict[int, list[RecordedEvent]] = {}
            for index in range(len(group)):
                first = plan.first_event_of(index)
                for row in candidates:
                    if row["stream_id"] == first.stream_id and first.is_hash_of(
                        bytes(row["prev_hash"]), row["position"], row["stream_version"], bytes(row["hash"])
                    ):
                        rows = await conn.fetch(
                            f"SELECT {EVENT_COLUMNS} FROM eventlog.events "
                            "WHERE position BETWEEN $1 AND $2 ORDER BY position",
                            row["position"],
                            row["position"] + plan.event_count(index) - 1,
                        )
                        found[index] = [record_from_row(r) for r in rows]
                        break
        return found

    async def _connect(self) -> asyncpg.Connection:
        now = time.monotonic()
        if now < self._down_until:
            raise StoreUnavailable(NOT_RECORDED, retry_after=max(1, math.ceil(self._down_until - now)))
        try:
            conn = await self._pool.acquire(timeout=self._acquire_timeout)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._down_until = time.monotonic() + self._backoff
            log.warning(
                "the event log writer cannot reach the database (%s); next attempt in %.1f s",
                exc, self._backoff,
            )
            self._backoff = min(self._backoff * 2, self._backoff_max)
            raise StoreUnavailable(NOT_RECORDED, retry_after=max(1, math.ceil(self._backoff))) from exc
        self._backoff = self._backoff_first
        self._down_until = 0.0
        return conn

    async def _discard(self, conn: asyncpg.Connection, *, broken: bool = True) -> None:
        try:
            if broken and not _is_closed(conn):
                conn.terminate()
            await self._pool.release(conn)
        except Exception:  # a pool being closed, or a connection it already dropped
            log.debug("could not hand a connection back to the pool", exc_info=True)

    async def _write_group(
        self, conn: asyncpg.Connection, group: list[_PendingAppend], attempt: _Attempt
    ) -> None:
        outcomes = attempt.outcomes
        replays: dict[int, tuple[int, int]] = {}
        plan = _GroupPlan(group, self._clock().astimezone(timezone.utc), self._seen_head)
        attempt.plan = plan
        # One statement, its own transaction: the append lock is held for it and the commit only.
        answers = await conn.fetch(_APPEND_GROUP, APPEND_LOCK_KEY, plan.recorded_at, NOTIFY_CHANNEL, *plan.arguments)
        attempt.committed = True
        for answer in answers:
            index = answer["append_index"] - 1
            pending = group[index]
            if answer["outcome"] == "appended":
                pending.written = True
                outcomes[index] = plan.recorded(index, answer)
                self._seen_head = max(self._seen_head, answer["last_position"])
            elif answer["outcome"] == "conflict":
                stream_id = plan.stream_ids[answer["stream_index"] - 1]
                expected = next(s.expected_version for s in pending.streams if s.stream_id == stream_id)
                outcomes[index] = WrongExpectedVersion(stream_id, expected, answer["first_position"])
            else:  # the idempotency key is already in the log (perhaps from earlier in this group)
                stored = answer["digest"]
                if _different_request(bytes(stored) if stored is not None else None, pending.fingerprint):
                    outcomes[index] = IdempotencyKeyReused()
                else:
                    replays[index] = (answer["first_position"], answer["last_position"])
        # Answer everyone whose outcome is settled before anything else can go wrong.
        _settle(group, outcomes)

        # Replays are read after commit: a key first used earlier in this same group is only
        # readable once the group has committed.
        for index, (first, last) in replays.items():
            rows_ = await conn.fetch(
                f"SELECT {EVENT_COLUMNS} FROM eventlog.events "
                "WHERE position BETWEEN $1 AND $2 ORDER BY position",
                first,
                last,
            )
            outcomes[index] = [record_from_row(r) for r in rows_]
        _settle(group, outcomes)

    # -- reading -------------------------------------------------------------------------------

    async def stream_version(self, stream_id: str) -> int:
        """The stream's current version: 0 when it has no events."""
        value = await self._pool.fetchval(
            "SELECT coalesce(max(stream_version), 0) FROM eventlog.events WHERE stream_id = $1",
            stream_id,
        )
        return int(value)

    async def read_stream(
        self,
        stream_id: str,
        *,
        up_to_version: int | None = None,
        up_to_position: int | None = None,
        effective_on_or_before: date | None = None,
        recorded_at_or_before: datetime | None = None,
    ) -> list[RecordedEvent]:
        """Every event of a stream in version order, optionally cut off at a version, a global
        position, an effective date ("what was true then") or a recording time ("what was known
        then")."""
        rows = await self._pool.fetch(
            f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE stream_id = $1"
            " AND ($2::int IS NULL OR stream_version <= $2)"
            " AND ($3::bigint IS NULL OR position <= $3)"
            " AND ($4::date IS NULL OR effective_date <= $4)"
            " AND ($5::timestamptz IS NULL OR recorded_at <= $5)"
            " ORDER BY stream_version",
            stream_id,
            up_to_version,
            up_to_position,
            effective_on_or_before,
            recorded_at_or_before,
        )
        return await sealing.reveal(self._pool, [record_from_row(r) for r in rows])

    async def read_streams(self, stream_ids: Sequence[str]) -> list[RecordedEvent]:
        """Every event of the streams named, in log order (so each stream's in version order), in
        one query: for a decision over many streams at once (a batch of the national register's
        schools), where a query per stream would cost a round trip each."""
        rows = await self._pool.fetch(
            f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE stream_id = ANY($1::text[]) ORDER BY position",
            list(stream_ids),
        )
        return await sealing.reveal(self._pool, [record_from_row(r) for r in rows])

    async def read_all(
        self,
        *,
        after: int = 0,
        limit: int = 1000,
        event_types: Sequence[str] | None = None,
        categories: Sequence[str] | None = None,
        subject: str | None = None,
        up_to_position: int | None = None,
        connection: asyncpg.Connection | None = None,
    ) -> list[RecordedEvent]:
        """Events in global order after ``after``, a page at a time (keyset pagination)."""
        conn = connection or self._pool
        rows = await conn.fetch(
            _READ_ALL.format(columns=EVENT_COLUMNS),
            *_read_all_arguments(after, limit, event_types, categories, subject, up_to_position),
        )
        return await sealing.reveal(conn, [record_from_row(r) for r in rows])

    async def read_all_stored(
        self,
        *,
        after: int = 0,
        limit: int = 1000,
        event_types: Sequence[str] | None = None,
        categories: Sequence[str] | None = None,
        subject: str | None = None,
        up_to_position: int | None = None,
    ) -> list[asyncpg.Record]:
        """The same page as ``read_all``, as stored and undecoded: ``data`` and ``metadata`` are
        the JSON text PostgreSQL holds, personal fields still sealed. For readers that pass the
        stored form on (an auditor's stored copy, a relay) rather than read the values: no
        document is parsed and no key is fetched, several times faster than building records."""
        return await self._pool.fetch(
            _READ_ALL.format(columns=STORED_COLUMNS),
            *_read_all_arguments(after, limit, event_types, categories, subject, up_to_position),
        )

    async def read_subject(
        self, subject: str, *, after: int = 0, limit: int = 10_000
    ) -> list[RecordedEvent]:
        """Every event about one child (``child:<id>``) or school (``school:<urn>``), any stream."""
        return await self.read_all(after=after, limit=limit, subject=subject)

    async def recorded_for_key(
        self, idempotency_key: str, *, request_fingerprint: bytes | None = None
    ) -> list[RecordedEvent] | None:
        """The events an earlier append with this idempotency key recorded, or None. Raises
        ``IdempotencyKeyReused`` if that append came from a different request."""
        span = await self._pool.fetchrow(
            "SELECT first_position, last_position, request_fingerprint "
            "FROM eventlog.idempotency_keys WHERE key = $1",
            idempotency_key,
        )
        if span is None:
            return None
        stored = span["request_fingerprint"]
        if _different_request(bytes(stored) if stored is not None else None, request_fingerprint):
            raise IdempotencyKeyReused()
        rows = await self._pool.fetch(
            f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position BETWEEN $1 AND $2 ORDER BY position",
            span["first_position"],
            span["last_position"],
        )
        return await sealing.reveal(self._pool, [record_from_row(r) for r in rows])

    async def head_position(self) -> int:
        value = await self._pool.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events")
        return int(value)


def new_correlation_id() -> str:
    return str(uuid.uuid4())


class _PlannedEvent(NamedTuple):
    """One event of a group as sent: its stream and its content around the place the database
    gives it (hashing.content_pieces)."""

    stream_id: str
    new: NewEvent
    data_json: str
    subjects_json: str
    pieces: tuple[bytes, bytes, bytes]

    def hash_at(self, prev_hash: bytes, position: int, stream_version: int) -> bytes:
        head, middle, tail = self.pieces
        return hashlib.sha256(
            b"".join((prev_hash, head, str(position).encode(), middle, str(stream_version).encode(), tail))
        ).digest()

    def is_hash_of(self, prev_hash: bytes, position: int, stream_version: int, stored: bytes) -> bool:
        return self.hash_at(prev_hash, position, stream_version) == stored


class _GroupPlan:
    """A group of appends as the arguments of ``eventlog.append_group`` (migration 0009), and
    the records each append becomes once the database has placed it."""

    def __init__(self, group: Sequence[_PendingAppend], recorded_at: datetime, seen_head: int) -> None:
        self.recorded_at = recorded_at
        self.seen_head = seen_head
        self.stream_ids: list[str] = list(dict.fromkeys(s.stream_id for p in group for s in p.streams))
        stream_index = {stream_id: n for n, stream_id in enumerate(self.stream_ids, start=1)}
        self.events: list[_PlannedEvent] = []
        self._first_event: list[int] = []
        append_entries: list[int] = []
        entry_streams: list[int] = []
        entry_expected: list[int | None] = []
        entry_events: list[int] = []
        metadata_texts: list[str] = []
        for pending in group:
            metadata_json = canonical_json(pending.metadata)
            metadata_texts.append(metadata_json.decode())
            append_entries.append(len(entry_streams) + 1)
            self._first_event.append(len(self.events))
            for stream in pending.streams:
                entry_streams.append(stream_index[stream.stream_id])
                entry_expected.append(stream.expected_version)
                entry_events.append(len(self.events) + 1)
                for new in stream.events:
                    data_json = canonical_json(new.data)
                    subjects_json = canonical_json(list(new.subjects))
                    pieces = content_pieces(
                        stream_id=stream.stream_id,
                        event_type=new.event_type,
                        schema_version=new.schema_version,
                        data_json=data_json,
                        metadata_json=metadata_json,
                        effective_date=new.effective_date,
                        recorded_at=recorded_at,
                        subjects_json=subjects_json,
                    )
                    self.events.append(
                        _PlannedEvent(stream.stream_id, new, data_json.decode(), subjects_json.decode(), pieces)
                    )
        append_entries.append(len(entry_streams) + 1)
        entry_events.append(len(self.events) + 1)
        self._first_event.append(len(self.events))
        self._group = group
        self.arguments = (
            self.stream_ids,
            [p.idempotency_key for p in group],
            [p.fingerprint for p in group],
            metadata_texts,
            append_entries,
            entry_streams,
            entry_expected,
            entry_events,
            [e.new.event_type for e in self.events],
            [e.new.schema_version for e in self.events],
            [e.data_json for e in self.events],
            [e.new.effective_date for e in self.events],
            [e.subjects_json for e in self.events],
            [e.pieces[0] for e in self.events],
            [e.pieces[1] for e in self.events],
            [e.pieces[2] for e in self.events],
        )

    def first_event_of(self, index: int) -> _PlannedEvent:
        return self.events[self._first_event[index]]

    def event_count(self, index: int) -> int:
        return self._first_event[index + 1] - self._first_event[index]

    def recorded(self, index: int, answer: asyncpg.Record) -> list[RecordedEvent]:
        """The records of an append the database wrote, placed and chained as it answered."""
        metadata = self._group[index].metadata
        planned = self.events[self._first_event[index] : self._first_event[index + 1]]
        prev_hash = bytes(answer["digest"])
        records: list[RecordedEvent] = []
        for offset, (event, digest, version) in enumerate(
            zip(planned, answer["hashes"], answer["stream_versions"], strict=True)
        ):
            new = event.new
            records.append(
                RecordedEvent(
                    position=answer["first_position"] + offset,
                    stream_id=event.stream_id,
                    stream_version=version,
                    event_type=new.event_type,
                    schema_version=new.schema_version,
                    data=new.data,
                    metadata=metadata,
                    effective_date=new.effective_date,
                    recorded_at=self.recorded_at,
                    subjects=tuple(new.subjects),
                    prev_hash=prev_hash,
                    hash=bytes(digest),
                )
            )
            prev_hash = bytes(digest)
        return records


_APPEND_GROUP = (
    "SELECT append_index, outcome, stream_index, first_position, last_position, digest, hashes, "
    "stream_versions FROM eventlog.append_group("
    + ", ".join(f"${n}" for n in range(1, 20))
    + ")"
)


def _different_request(stored: bytes | None, offered: bytes | None) -> bool:
    # Keys recorded before fingerprints were kept (or appends made by code, not a request)
    # have none: those cannot be compared and are taken as the same request.
    return stored is not None and offered is not None and stored != offered


def _refuse_broken_chains(group: list[_PendingAppend]) -> list[_PendingAppend]:
    """The appends of a group that may be written: each one decided after another append is
    refused unless that one was written, leaving every stream of this one at the version this one
    expects (see ``submit_streams``)."""
    writable = []
    for pending in group:
        if pending.future.done():
            continue
        if pending.after is not None:
            left = _versions_left(pending.after)
            for stream in pending.streams:
                if left.get(stream.stream_id) != stream.expected_version:
                    pending.future.set_exception(
                        WrongExpectedVersion(stream.stream_id, stream.expected_version, left.get(stream.stream_id, -1))
                    )
                    break
            if pending.future.done():
                continue
        writable.append(pending)
    return writable


def _versions_left(earlier: _PendingAppend) -> dict[str, int]:
    """The version each stream was left at by an append, if it wrote its events; nothing when it
    did not (refused, failed, not yet answered, or answered with the events another attempt
    of its request wrote)."""
    future = earlier.future
    if not earlier.written or not future.done() or future.cancelled() or future.exception() is not None:
        return {}
    return {record.stream_id: record.stream_version for record in future.result()}


def _fail(group: Sequence[_PendingAppend], exc: BaseException) -> None:
    for pending in group:
        if not pending.future.done():
            pending.future.set_exception(exc)


def _settle(
    group: Sequence[_PendingAppend],
    outcomes: dict[int, list[RecordedEvent] | BaseException],
    *,
    missing: BaseException | None = None,
) -> None:
    """Answer each caller whose outcome is known; those without one get ``missing``, if given."""
    for index, pending in enumerate(group):
        if pending.future.done():
            continue
        outcome = outcomes.get(index, missing)
        if outcome is None:
            continue
        if isinstance(outcome, BaseException):
            pending.future.set_exception(outcome)
        else:
            pending.future.set_result(outcome)


def _connection_lost(conn: asyncpg.Connection, exc: BaseException) -> bool:
    """The connection is gone, so whether the transaction committed is not known from here."""
    return _is_closed(conn) or connection_lost(exc)


def _is_closed(conn: asyncpg.Connection) -> bool:
    try:
        return conn.is_closed()
    except asyncpg.InterfaceError:  # the pool has already taken back a connection that died
        return True


def _callers_error(exc: BaseException) -> BaseException:
    """What one caller hears when the database refused their append alone."""
    if isinstance(exc, asyncpg.DataError | asyncpg.exceptions.ProgramLimitExceededError):
        return InvalidInput(f"a value could not be stored: {exc}", field="body")
    return exc


MAX_NAME_LENGTH = 200  # stream ids, event types, subjects


def _check_appendable(streams: Sequence[StreamAppend], metadata: dict[str, Any]) -> None:
    """Refuse, as the caller's own error, anything PostgreSQL would refuse or store changed."""
    for stream in streams:
        _check_name(stream.stream_id, "stream_id")
        for event in stream.events:
            _check_name(event.event_type, "event_type")
            for subject in event.subjects:
                _check_name(subject, "subjects")
            _refuse_first(find_unstorable(event.data))
    _refuse_first(find_unstorable(metadata, "metadata"))


def _check_name(value: str, what: str) -> None:
    if not value or len(value) > MAX_NAME_LENGTH:
        raise InvalidInput(f"{what} must be 1 to {MAX_NAME_LENGTH} characters", field=what)
    if (reason := text_problem(value)) is not None:
        raise InvalidInput(f"{what} {reason}", field=what)


def _refuse_first(problems: Any) -> None:
    for problem in problems:
        problem: NotStorable
        raise InvalidInput(f"{problem.path or 'body'} {problem.reason}", field=problem.path or "body")
