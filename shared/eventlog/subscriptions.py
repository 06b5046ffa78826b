"""Subscriptions: read models and policies that follow the log.

A subscription reads the events after its checkpoint and applies them in the same database
transaction that advances the checkpoint, so each event's effect happens exactly once: a
consumer killed mid-batch leaves neither the read-model changes nor the checkpoint behind, and
starts again from where its last commit left it.

It is woken by LISTEN/NOTIFY (every append notifies ``eventlog_appended``) and also polls, so a
lost notification or a dropped listening connection only delays it by one poll interval.

It reads only the event types it handles (``event_types``), up to the head of the log as it stood
when it looked. When none of the new events concerns it, it moves its checkpoint past them in a
transaction of its own that does not wait for the disk; otherwise it applies all it handles, up to
``batch_size`` of them, in one transaction with the checkpoint. So a command costs each
subscription it does not concern no flush, and its checkpoint still reaches the head at once:
``/ready``, ``python -m shared.ops lag`` and ``Min-Log-Position`` see it caught up, never behind.

No subscription transaction waits for its commit to reach the disk (``synchronous_commit`` off
for that transaction only). That loses nothing: what it reads is the log, already durable; what it
writes - read-model rows, the checkpoint, a dead letter - commits or is lost as one, so after a
crash the subscription starts again from the checkpoint that survived and writes the same rows
again; and a policy's commands are appended by the store in its own durable transaction, with an
idempotency key naming the source event, so delivering that event again appends nothing twice.

A batch is first applied in one savepoint, every event one after the other (a projection with an
``apply_batch`` is given them all at once, to write each changed row once). If anything in it
fails, that savepoint is rolled back and the batch applied again one event at a time, each in its
own savepoint, as follows.

An event whose handler fails (each try in its own savepoint, so a failure undoes only that
event) ends the batch there: the events before it are committed with the checkpoint just
before it, and the subscription waits a little longer each time (exponential backoff with
jitter, capped) before trying it again. Many failures are passing ones - a deadlock, a
serialization failure, something it reads not there yet - and clear within a few tries. (The
database being away or over a limit is not the event's fault and does not count as a try: the
batch fails and starts again from its checkpoint.) An event
that still fails after ``max_attempts`` tries is parked in the service's ``dead_letters`` table
with the error, in the transaction that moves the checkpoint past it, and the subscription goes
on: one bad event never stops a read model, and never disappears silently either. Operators see
parked events in ``/ready`` and act on them through ``/operations/dead-letters``.

Each try is made inside a span that continues the trace the event's metadata carries
(shared/observability/tracing.py), so a reaction shows in the trace of the request that caused it.
"""

from __future__ import annotations

import asyncio
import logging
import random
import traceback
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Protocol

import asyncpg
from structlog.contextvars import bind_contextvars, bound_contextvars

from shared.database import connection_lost
from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EVENT_COLUMNS, NOTIFY_CHANNEL, record_from_row
from shared.privacy.sealing import read_as_needed
from shared.observability.tracing import applying
from shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)
# The listening connection gives up on an unanswered connection attempt after this long and tries
# again; meanwhile subscriptions poll.
CONNECT_TIMEOUT_SECONDS = 5.0


class Projection(Protocol):
    """Something that folds events into tables: a read model, or a policy that reacts to events.

    ``name`` identifies its checkpoint; ``schema`` is the service schema holding its tables,
    its checkpoint and its dead letters; ``tables`` are emptied when it is rebuilt (policies
    that append commands instead of writing tables list none and are not rebuilt).
    ``event_types`` limits what it is given (``None`` means every event).
    """

    name: str
    schema: str
    tables: Sequence[str]
    event_types: frozenset[str] | None

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None: ...


class BatchProjection(Projection, Protocol):
    """A projection that can also be given a whole batch of its events in order, in one
    transaction, and write each row they change once. Its result must be what ``apply`` of each
    event in turn gives: when the batch fails, the subscription applies the events one by one."""

    async def apply_batch(self, conn: asyncpg.Connection, events: Sequence[RecordedEvent]) -> None: ...


def describe_error(exc: BaseException) -> str:
    """The error as recorded on a dead letter: its type and message, never a traceback."""
    return "".join(traceback.format_exception_only(type(exc), exc)).strip()


@dataclass(frozen=True)
class _Batch:
    passed: int  # events the checkpoint moved past (applied, not of interest, or parked)
    retry_in: float | None = None  # an event failed and is to be tried again after this long


class Subscription:
    def __init__(
        self,
        pool: asyncpg.Pool,
        projection: Projection,
        *,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        max_attempts: int = 5,
        backoff_initial: float = 0.1,
        backoff_max: float = 5.0,
    ) -> None:
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._pool = pool
        self.projection = projection
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._max_attempts = max_attempts
        self._backoff_initial = backoff_initial
        self._backoff_max = backoff_max
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        # Failed tries of events not yet applied or parked, by log position. Kept in memory
        # only: after a restart an event gets its tries afresh, which costs a few seconds.
        self._failures: dict[int, int] = {}

    @property
    def name(self) -> str:
        return self.projection.name

    @property
    def max_attempts(self) -> int:
        return self._max_attempts

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run_forever(), name=f"subscription-{self.name}")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    def wake(self) -> None:
        self._wake.set()

    async def wait_caught_up(self, timeout: float = 10.0) -> None:
        """For callers that need the read model current (tests, rebuild tools)."""
        async with asyncio.timeout(timeout):
            await self.catch_up()

    def backoff(self, failures: int) -> float:
        """How long to wait before the next try of an event that has failed ``failures`` times:
        doubling from ``backoff_initial`` up to ``backoff_max``, with jitter so that several
        instances of a service retrying the same event do not hit the database in step."""
        ceiling = min(self._backoff_max, self._backoff_initial * 2 ** (failures - 1))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    async def _run_forever(self) -> None:
        # The task's own context: every line it logs names the subscription.
        bind_contextvars(subscription=self.name)
        while True:
            try:
                while True:
                    batch = await self._next_batch()
                    if batch.retry_in is not None:
                        # Not cut short by a wake-up: on a busy log notifications arrive all the
                        # time, and the failing event would be hammered.
                        await asyncio.sleep(batch.retry_in)
                    elif not batch.passed:
                        break
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("subscription %s failed a batch; retrying", self.name)
            # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation
            # that arrives just as the wake-up is set, and the task would never stop.
            try:
                async with asyncio.timeout(self._poll_interval):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()

    async def catch_up(self) -> int:
        """Apply everything up to the head of the log; returns the number of events passed.

        An event that fails is retried with the same backoff as the running subscription until
        it applies or is parked, so this always ends (after at most ``max_attempts`` tries of
        each failing event).
        """
        total = 0
        while True:
            batch = await self._next_batch()
            total += batch.passed
            if batch.retry_in is not None:
                await asyncio.sleep(batch.retry_in)
            elif not batch.passed:
                return total

    async def process_batch(self) -> int:
        """Apply one batch after the checkpoint, in one transaction. Returns the events passed;
        0 also when the next event failed and is waiting to be tried again."""
        return (await self._next_batch()).passed

    async def _next_batch(self) -> _Batch:
        p = self.projection
        async with self._pool.acquire() as conn:
            while True:
                where = await conn.fetchrow(_WHERE_IT_STANDS.format(schema=p.schema), p.name, self._types)
                if where is None:  # its first batch ever: the checkpoint starts at the beginning
                    await conn.execute(
                        f'INSERT INTO "{p.schema}".subscription_checkpoints (name, position) '
                        "VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
                        p.name,
                    )
                    continue
                checkpoint, head = where["checkpoint"], where["head"]
                if head <= checkpoint:
                    return _Batch(0)
                if where["next_handled"] is not None:
                    return await self._apply_batch(conn, head)
                if await self._pass_over(conn, checkpoint, head):
                    return _Batch(head - checkpoint)
                # Someone else moved the checkpoint meanwhile (another instance, a rebuild, a
                # retried dead letter): look again from where they left it.

    @property
    def _types(self) -> list[str] | None:
        types = self.projection.event_types
        return None if types is None else sorted(types)

    async def _pass_over(self, conn: asyncpg.Connection, checkpoint: int, head: int) -> bool:
        """Move the checkpoint past events none of which concerns this subscription, unless
        someone else has moved it since it was read. Nothing is applied, so nothing waits for
        the disk (see the module's docstring)."""
        p = self.projection
        async with _transaction(conn):
            moved = await conn.execute(
                f'UPDATE "{p.schema}".subscription_checkpoints SET position = $3, updated_at = now() '
                "WHERE name = $1 AND position = $2",
                p.name,
                checkpoint,
                head,
            )
        return moved != "UPDATE 0"

    async def _apply_batch(self, conn: asyncpg.Connection, head: int) -> _Batch:
        """Apply the next events it handles, up to ``head``, in one transaction with the
        checkpoint, which moves past the events between them too."""
        p = self.projection
        async with _transaction(conn):
            checkpoint = await conn.fetchval(
                f'SELECT position FROM "{p.schema}".subscription_checkpoints WHERE name = $1 FOR UPDATE',
                p.name,
            )
            self._forget_failures_up_to(checkpoint)
            if checkpoint >= head:  # a rebuild or another instance got there first
                return _Batch(0)
            rows = await conn.fetch(
                f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position > $1 AND position <= $2 "
                "AND ($3::text[] IS NULL OR event_type = ANY($3::text[])) ORDER BY position LIMIT $4",
                checkpoint,
                head,
                self._types,
                self._batch_size,
            )
            # A full page may stop short of events it handles before the head; otherwise
            # everything up to the head that it does not handle is passed with it.
            reached = rows[-1]["position"] if len(rows) == self._batch_size else head
            # The page's personal fields are opened in one query; for a read model that writes
            # nothing personal (``personal_data = False``) they are left sealed and read as unknown.
            events = await read_as_needed(
                conn, [record_from_row(row) for row in rows], personal_data=getattr(p, "personal_data", True)
            )
            passed_to, retry_in = reached, None
            again = await self._apply_all(conn, events)
            if again is not None:
                # The events before it are passed; it is tried again after the wait.
                passed_to, retry_in = again[0].position - 1, again[1]
            if passed_to > checkpoint:
                await conn.execute(
                    f'UPDATE "{p.schema}".subscription_checkpoints '
                    "SET position = $2, updated_at = now() WHERE name = $1",
                    p.name,
                    passed_to,
                )
            return _Batch(passed_to - checkpoint, retry_in)

    def _forget_failures_up_to(self, checkpoint: int) -> None:
        # Another instance (or a catch_up beside the running task) may have dealt with them, or
        # they have since been applied.
        if self._failures:
            self._failures = {pos: n for pos, n in self._failures.items() if pos > checkpoint}

    async def _apply_all(
        self, conn: asyncpg.Connection, events: Sequence[RecordedEvent]
    ) -> tuple[RecordedEvent, float] | None:
        """Apply the events in order, parking those that have failed their last try. None when
        all are applied or parked; otherwise the event that failed and is to be tried again, and
        how long to wait first (the events after it are left for then)."""
        if await self._applied_as_batch(conn, events):
            return None
        while events:
            applied, error = await self._apply_run(conn, events)
            if error is None:
                return None
            failed = events[applied]
            with bound_contextvars(subscription=self.name, position=failed.position, event_type=failed.event_type):
                retry_in = await self._failed(conn, failed, error)
            if retry_in is not None:
                return failed, retry_in
            events = events[applied + 1 :]
        return None

    async def _applied_as_batch(self, conn: asyncpg.Connection, events: Sequence[RecordedEvent]) -> bool:
        """Give a projection that takes batches (``BatchProjection``) all the events at once, in
        one savepoint. False, with nothing applied, when it takes them one at a time or failed:
        the failure is found, counted and recorded when they are applied one at a time."""
        apply_batch = getattr(self.projection, "apply_batch", None)
        if apply_batch is None or not events:
            return False
        try:
            with bound_contextvars(subscription=self.name, positions=_span_of(events)):
                async with conn.transaction():
                    if len(events) == 1:  # the usual case while following the log
                        with applying(self.name, events[0]):
                            await apply_batch(conn, events)
                    else:
                        await apply_batch(conn, events)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if conn.is_closed() or connection_lost(exc):
                raise
            return False
        if len(events) > 1:
            # Each event's span, once they are all applied, so the trace of the request that
            # caused each still shows its reaction (the batch's time is not split between them).
            for event in events:
                with applying(self.name, event):
                    pass
        return True

    async def _apply_run(
        self, conn: asyncpg.Connection, events: Sequence[RecordedEvent]
    ) -> tuple[int, Exception | None]:
        """Apply events one after the other in one savepoint, as many as succeed: how many were
        applied, and the error of the one after them (None when all were). When an event fails,
        the savepoint is rolled back and the events before it applied again without it, so a
        failure undoes only its own event, as a savepoint of its own would, at one savepoint a
        batch rather than one an event."""
        p = self.projection
        upto, error = len(events), None
        while True:
            reached = 0
            try:
                async with conn.transaction():
                    for event in events[:upto]:
                        with (
                            bound_contextvars(
                                subscription=self.name, position=event.position, event_type=event.event_type
                            ),
                            applying(p.name, event),
                        ):
                            await p.apply(conn, event)
                        reached += 1
                return upto, error
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if conn.is_closed() or connection_lost(exc):
                    # The database went away: not the event's fault, so it does not count towards
                    # parking it. The batch fails and is tried again from its checkpoint. (A lock
                    # or statement timeout does count: an event that always times out must end up
                    # parked and visible, not retried unseen for ever.)
                    raise
                upto, error = min(reached, upto - 1), exc

    async def _failed(self, conn: asyncpg.Connection, event: RecordedEvent, exc: Exception) -> float | None:
        """Count a failed try of an event: how long to wait before trying it again, or None when
        that was its last try and it is now parked."""
        p = self.projection
        error = describe_error(exc)
        failures = self._failures.get(event.position, 0) + 1
        if failures < self._max_attempts:
            self._failures[event.position] = failures
            delay = self.backoff(failures)
            log.warning(
                "subscription %s could not apply event %s (try %d of %d), trying again in %.1fs: %s",
                p.name, event.position, failures, self._max_attempts, delay, error,
            )
            return delay
        self._failures.pop(event.position, None)
        log.error(
            "subscription %s parked event %s after %d tries: %s", p.name, event.position, failures, error
        )
        await conn.execute(
            f'INSERT INTO "{p.schema}".dead_letters '
            "(subscription, position, event_type, stream_id, error, attempts) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            p.name,
            event.position,
            event.event_type,
            event.stream_id,
            error,
            failures,
        )
        return None


def _span_of(events: Sequence[RecordedEvent]) -> str:
    return f"{events[0].position}-{events[-1].position}"


@asynccontextmanager
async def _transaction(conn: asyncpg.Connection) -> AsyncIterator[None]:
    """A subscription's transaction, whose commit does not wait for the disk (the module's
    docstring says why that loses nothing). Inside a caller's transaction - a rebuild's - it is a
    savepoint, and the caller's commit is left as the caller chose."""
    if conn.is_in_transaction():
        async with conn.transaction():
            yield
        return
    async with conn.transaction():
        await conn.execute("SET LOCAL synchronous_commit TO off")
        yield


# Where a subscription stands, in one snapshot: its checkpoint, the head of the log, and the first
# event after the checkpoint that it handles (up to the head). Appends are committed in the order
# of their positions (shared/eventlog/store.py), so every event up to the head is visible here.
_WHERE_IT_STANDS = """
SELECT c.position AS checkpoint, head.position AS head,
       (SELECT e.position FROM eventlog.events e
         WHERE e.position > c.position AND e.position <= head.position
           AND ($2::text[] IS NULL OR e.event_type = ANY($2::text[]))
         ORDER BY e.position LIMIT 1) AS next_handled
FROM "{schema}".subscription_checkpoints c
CROSS JOIN (SELECT coalesce(max(position), 0) AS position FROM eventlog.events) AS head
WHERE c.name = $1
"""


# A rebuild is one transaction whatever its batches, so they are large: a read model that works
# out each concerned row once per batch (``apply_batch``) works out each fewer times.
REBUILD_BATCH = 10_000


async def rebuild(pool: asyncpg.Pool, projection: Projection, *, batch_size: int = REBUILD_BATCH) -> int:
    """Empty a read model, forget its checkpoint and dead letters, and replay it from the log, in
    one transaction (``rebuild_in_transaction``). Returns the events replayed."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            return await rebuild_in_transaction(conn, projection, batch_size=batch_size)


async def rebuild_in_transaction(
    conn: asyncpg.Connection, projection: Projection, *, batch_size: int = REBUILD_BATCH
) -> int:
    """Rebuild a read model inside the caller's transaction, safely beside the running service.

    The checkpoint's row lock, which every batch of the live subscription (and a retry of a parked
    event) takes, is held from the start to the commit: the live subscription waits, and goes on
    from where the rebuild left the checkpoint. The rows are deleted rather than truncated, so
    readers see the old read model until the rebuilt one is committed in its place, never an
    empty or half-built one. The replay is the subscription's own, so an event that still fails
    is parked again; what operators did about the forgotten letters stays in
    ``dead_letter_actions``. Returns the events replayed (applied, not of interest, or parked).
    """
    p = projection
    if not p.tables:
        raise ValueError(f"{p.name} keeps no tables (it reacts to events): there is nothing to rebuild")
    if not conn.is_in_transaction():
        raise RuntimeError("rebuild_in_transaction needs a transaction, so the rebuild commits as a whole")
    await conn.execute(
        f'INSERT INTO "{p.schema}".subscription_checkpoints (name, position) '
        "VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
        p.name,
    )
    await conn.execute(
        f'SELECT 1 FROM "{p.schema}".subscription_checkpoints WHERE name = $1 FOR UPDATE', p.name
    )
    for table in p.tables:
        await conn.execute(f'DELETE FROM "{p.schema}"."{table}"')
    await conn.execute(
        f'UPDATE "{p.schema}".subscription_checkpoints SET position = 0, updated_at = now() WHERE name = $1',
        p.name,
    )
    await conn.execute(f'DELETE FROM "{p.schema}".dead_letters WHERE subscription = $1', p.name)
    replay = Subscription(_ThisConnection(conn), projection, batch_size=batch_size)  # type: ignore[arg-type]
    return await replay.catch_up()


class _ThisConnection:
    """A pool of the one connection a rebuild runs on: each batch the replaying subscription
    opens becomes a savepoint of the rebuild's transaction."""

    def __init__(self, conn: asyncpg.Connection) -> None:
        self._conn = conn

    @asynccontextmanager
    async def acquire(self) -> AsyncIterator[asyncpg.Connection]:
        yield self._conn


class LogNotifier:
    """One LISTEN connection per process that wakes every subscription when the log grows.

    If the connection drops, subscriptions still poll; the notifier reconnects on its own.
    """

    def __init__(self, dsn: str, subscriptions: Sequence[Subscription]) -> None:
        self._dsn = dsn
        self._subscriptions = list(subscriptions)
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None and self._subscriptions:
            self._task = asyncio.create_task(self._listen_forever(), name="eventlog-notifier")

    @property
    def running(self) -> bool:
        """With nothing to wake there is no task, and nothing is missing."""
        return not self._subscriptions or (self._task is not None and not self._task.done())

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    def _wake_all(self, *_: object) -> None:
        for subscription in self._subscriptions:
            subscription.wake()

    async def _listen_forever(self) -> None:
        while True:
            conn: asyncpg.Connection | None = None
            try:
                conn = await asyncpg.connect(self._dsn, timeout=CONNECT_TIMEOUT_SECONDS)
                await conn.add_listener(NOTIFY_CHANNEL, self._wake_all)
                while not conn.is_closed():
                    await asyncio.sleep(5)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("event log listener lost its connection; subscriptions poll meanwhile")
                await asyncio.sleep(1)
            finally:
                if conn is not None and not conn.is_closed():
                    await conn.close()
