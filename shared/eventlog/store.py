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

Idempotency: an append carrying an idempotency key that is already in the log appends nothing
and returns the events the first append recorded.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

import asyncpg
import orjson

from shared.errors import Conflict
from shared.eventlog.hashing import GENESIS_HASH, event_hash
from shared.eventlog.records import ANY_VERSION, NewEvent, RecordedEvent, StreamAppend
from shared.tasks import cancel_and_wait

# Arbitrary but fixed: the advisory lock every appender takes (the ASCII of "EVLG").
APPEND_LOCK_KEY = 0x45564C47
NOTIFY_CHANNEL = "eventlog_appended"

EVENT_COLUMNS = (
    "position, stream_id, stream_version, event_type, schema_version, data, metadata, "
    "effective_date, recorded_at, subjects, prev_hash, hash"
)


class WrongExpectedVersion(Conflict):
    """The stream has moved on since the caller read it: re-read and decide again."""

    def __init__(self, stream_id: str, expected: int | None, actual: int) -> None:
        super().__init__(
            f"{stream_id} is at version {actual}, not {expected}: it was changed by someone else; "
            "reload it and try again",
            field="If-Match",
        )
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


async def init_connection(conn: asyncpg.Connection) -> None:
    """Decode jsonb to Python values on every connection of every pool that reads the log."""
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=orjson.loads, schema="pg_catalog")


def record_from_row(row: asyncpg.Record) -> RecordedEvent:
    # Columns are selected in field order (EVENT_COLUMNS), so the row maps straight across.
    return RecordedEvent._make(row)


@dataclass
class _PendingAppend:
    streams: tuple[StreamAppend, ...]
    metadata: dict[str, Any]
    idempotency_key: str | None
    future: asyncio.Future[list[RecordedEvent]] = field(repr=False)


class EventStore:
    """Append to and read from the log. One instance per process; call ``start`` before use."""

    def __init__(
        self,
        pool: asyncpg.Pool,
        *,
        clock: Callable[[], datetime] = utc_now,
        max_group: int = 2000,
    ) -> None:
        self._pool = pool
        self._clock = clock
        self._max_group = max_group
        self._queue: asyncio.Queue[_PendingAppend] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None

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
        while not self._queue.empty():
            pending = self._queue.get_nowait()
            if not pending.future.done():
                pending.future.set_exception(RuntimeError("the event store was closed"))

    @property
    def running(self) -> bool:
        return self._writer is not None and not self._writer.done()

    # -- appending -----------------------------------------------------------------------------

    async def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        *,
        expected_version: int | None = ANY_VERSION,
        metadata: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> list[RecordedEvent]:
        """Append events to one stream. ``expected_version`` 0 means "the stream must be new"."""
        return await self.append_streams(
            [StreamAppend(stream_id, tuple(events), expected_version)],
            metadata=metadata,
            idempotency_key=idempotency_key,
        )

    async def append_streams(
        self,
        streams: Sequence[StreamAppend],
        *,
        metadata: dict[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> list[RecordedEvent]:
        """Append to several streams atomically: all of them are written, or none."""
        if not streams or any(not s.events for s in streams):
            raise ValueError("an append needs at least one event for each stream")
        if len({s.stream_id for s in streams}) != len(streams):
            raise ValueError("a stream may appear only once in an append")
        if self._writer is None:
            raise RuntimeError("EventStore.start() has not been called")
        meta = dict(metadata or {})
        if idempotency_key is not None:
            meta["idempotency_key"] = idempotency_key
        future: asyncio.Future[list[RecordedEvent]] = asyncio.get_running_loop().create_future()
        await self._queue.put(_PendingAppend(tuple(streams), meta, idempotency_key, future))
        return await future

    async def _write_forever(self) -> None:
        # The writer keeps one connection of its own: no pool hand-over per transaction.
        conn: asyncpg.Connection | None = None
        try:
            while True:
                group = [await self._queue.get()]
                # Let callers whose previous append just completed queue their next one, so a
                # busy process fills each transaction instead of committing one event at a time.
                await asyncio.sleep(0)
                while len(group) < self._max_group and not self._queue.empty():
                    group.append(self._queue.get_nowait())
                try:
                    if conn is None or conn.is_closed():
                        conn = await self._pool.acquire()
                    await self._write_group(conn, group)
                except asyncio.CancelledError:
                    for pending in group:
                        if not pending.future.done():
                            pending.future.set_exception(RuntimeError("the event store was closed"))
                    raise
                except Exception as exc:  # the whole transaction failed: every caller hears why
                    for pending in group:
                        if not pending.future.done():
                            pending.future.set_exception(exc)
                    if conn is not None and (conn.is_closed() or isinstance(exc, OSError)):
                        await self._pool.release(conn)
                        conn = None
        finally:
            if conn is not None:
                await self._pool.release(conn)

    async def _write_group(self, conn: asyncpg.Connection, group: list[_PendingAppend]) -> None:
        outcomes: dict[int, list[RecordedEvent] | BaseException] = {}
        replays: dict[int, tuple[int, int]] = {}
        keys = [p.idempotency_key for p in group if p.idempotency_key is not None]
        stream_ids = sorted({s.stream_id for p in group for s in p.streams})
        async with conn.transaction():
            # The lock must be held before the head is read: in READ COMMITTED each statement
            # takes a fresh snapshot, so the next statement sees every earlier committed append.
            await conn.execute("SELECT pg_advisory_xact_lock($1)", APPEND_LOCK_KEY)
            position, prev_hash, versions, known_keys = _parse_state(
                await conn.fetch(_READ_STATE, stream_ids, keys)
            )

            rows: list[tuple[Any, ...]] = []
            new_keys: list[tuple[str, int, int]] = []
            recorded_at = self._clock()
            for index, pending in enumerate(group):
                key = pending.idempotency_key
                if key is not None and key in known_keys:
                    replays[index] = known_keys[key]
                    continue
                conflict = _first_conflict(pending.streams, versions)
                if conflict is not None:
                    outcomes[index] = conflict
                    continue
                recorded: list[RecordedEvent] = []
                for stream in pending.streams:
                    version = versions.get(stream.stream_id, 0)
                    for new in stream.events:
                        position += 1
                        version += 1
                        record = _record(
                            new, stream.stream_id, position, version, pending.metadata,
                            recorded_at, prev_hash,
                        )
                        prev_hash = record.hash
                        recorded.append(record)
                        rows.append(_row(record))
                    versions[stream.stream_id] = version
                outcomes[index] = recorded
                if key is not None:
                    known_keys[key] = (recorded[0].position, recorded[-1].position)
                    new_keys.append((key, recorded[0].position, recorded[-1].position))

            if rows:
                columns = [list(column) for column in zip(*rows, strict=True)]
                key_columns = [list(c) for c in zip(*new_keys, strict=True)] if new_keys else [[], [], []]
                await conn.execute(_WRITE, *columns, *key_columns, NOTIFY_CHANNEL, str(position))

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

        for index, pending in enumerate(group):
            if pending.future.done():
                continue
            outcome = outcomes[index]
            if isinstance(outcome, BaseException):
                pending.future.set_exception(outcome)
            else:
                pending.future.set_result(outcome)

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
        return [record_from_row(r) for r in rows]

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
            f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position > $1"
            " AND ($3::text[] IS NULL OR event_type = ANY($3))"
            " AND ($4::text[] IS NULL OR split_part(stream_id, '-', 1) = ANY($4))"
            " AND ($5::text IS NULL OR subjects @> ARRAY[$5::text])"
            " AND ($6::bigint IS NULL OR position <= $6)"
            " ORDER BY position LIMIT $2",
            after,
            limit,
            list(event_types) if event_types is not None else None,
            list(categories) if categories is not None else None,
            subject,
            up_to_position,
        )
        return [record_from_row(r) for r in rows]

    async def read_subject(
        self, subject: str, *, after: int = 0, limit: int = 10_000
    ) -> list[RecordedEvent]:
        """Every event about one child (``child:<id>``) or school (``school:<urn>``), any stream."""
        return await self.read_all(after=after, limit=limit, subject=subject)

    async def recorded_for_key(self, idempotency_key: str) -> list[RecordedEvent] | None:
        """The events an earlier append with this idempotency key recorded, or None."""
        span = await self._pool.fetchrow(
            "SELECT first_position, last_position FROM eventlog.idempotency_keys WHERE key = $1",
            idempotency_key,
        )
        if span is None:
            return None
        rows = await self._pool.fetch(
            f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position BETWEEN $1 AND $2 ORDER BY position",
            span["first_position"],
            span["last_position"],
        )
        return [record_from_row(r) for r in rows]

    async def head_position(self) -> int:
        value = await self._pool.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events")
        return int(value)


def new_correlation_id() -> str:
    return str(uuid.uuid4())


def _first_conflict(
    streams: tuple[StreamAppend, ...], versions: dict[str, int]
) -> WrongExpectedVersion | None:
    for stream in streams:
        actual = versions.get(stream.stream_id, 0)
        if stream.expected_version is not None and stream.expected_version != actual:
            return WrongExpectedVersion(stream.stream_id, stream.expected_version, actual)
    return None


def _record(
    new: NewEvent,
    stream_id: str,
    position: int,
    version: int,
    metadata: dict[str, Any],
    recorded_at: datetime,
    prev_hash: bytes,
) -> RecordedEvent:
    digest = event_hash(
        prev_hash=prev_hash,
        position=position,
        stream_id=stream_id,
        stream_version=version,
        event_type=new.event_type,
        schema_version=new.schema_version,
        data=new.data,
        metadata=metadata,
        effective_date=new.effective_date,
        recorded_at=recorded_at,
        subjects=new.subjects,
    )
    return RecordedEvent(
        position=position,
        stream_id=stream_id,
        stream_version=version,
        event_type=new.event_type,
        schema_version=new.schema_version,
        data=new.data,
        metadata=metadata,
        effective_date=new.effective_date,
        recorded_at=recorded_at,
        subjects=tuple(new.subjects),
        prev_hash=prev_hash,
        hash=digest,
    )


def _row(r: RecordedEvent) -> tuple[Any, ...]:
    return (
        r.position,
        r.stream_id,
        r.stream_version,
        r.event_type,
        r.schema_version,
        orjson.dumps(r.data).decode(),
        orjson.dumps(r.metadata).decode(),
        r.effective_date,
        r.recorded_at,
        # text[][] cannot be ragged, so subjects travel as one JSON array text per event.
        orjson.dumps(list(r.subjects)).decode(),
        r.prev_hash,
        r.hash,
    )


# Everything the writer needs to know, read in one statement under the lock: the head of the
# log, each stream's version (one backward index probe per stream) and known idempotency keys.
_READ_STATE = """
SELECT 'head' AS kind, NULL::text AS name, position AS a, NULL::bigint AS b, hash
  FROM (SELECT position, hash FROM eventlog.events ORDER BY position DESC LIMIT 1) AS head
UNION ALL
SELECT 'stream', s.id, (SELECT e.stream_version FROM eventlog.events e
                         WHERE e.stream_id = s.id ORDER BY e.stream_version DESC LIMIT 1), NULL, NULL
  FROM unnest($1::text[]) AS s(id)
UNION ALL
SELECT 'key', k.key, k.first_position, k.last_position, NULL
  FROM eventlog.idempotency_keys k WHERE k.key = ANY($2::text[])
"""

# The events, their idempotency keys and the wake-up notification, in one statement.
_WRITE = f"""
WITH appended AS (
    INSERT INTO eventlog.events ({EVENT_COLUMNS})
    SELECT p, s, v, t, sv, d::jsonb, m::jsonb, ed, ra,
           ARRAY(SELECT jsonb_array_elements_text(subj::jsonb)), ph, h
    FROM unnest($1::bigint[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[], $7::text[],
                $8::date[], $9::timestamptz[], $10::text[], $11::bytea[], $12::bytea[])
         AS u(p, s, v, t, sv, d, m, ed, ra, subj, ph, h)
    RETURNING position
), keyed AS (
    INSERT INTO eventlog.idempotency_keys (key, first_position, last_position)
    SELECT * FROM unnest($13::text[], $14::bigint[], $15::bigint[])
    RETURNING key
)
SELECT pg_notify($16, $17), (SELECT count(*) FROM appended), (SELECT count(*) FROM keyed)
"""


def _parse_state(rows: list[asyncpg.Record]):
    position, prev_hash = 0, GENESIS_HASH
    versions: dict[str, int] = {}
    known_keys: dict[str, tuple[int, int]] = {}
    for row in rows:
        if row["kind"] == "head":
            position, prev_hash = row["a"], bytes(row["hash"])
        elif row["kind"] == "stream":
            versions[row["name"]] = row["a"] or 0
        else:
            known_keys[row["name"]] = (row["a"], row["b"])
    return position, prev_hash, versions, known_keys
