"""Subscriptions: read models and policies that follow the log.

A subscription reads the events after its checkpoint and applies them in the same database
transaction that advances the checkpoint, so each event's effect happens exactly once: a
consumer killed mid-batch leaves neither the read-model changes nor the checkpoint behind, and
starts again from where its last commit left it.

It is woken by LISTEN/NOTIFY (every append notifies ``eventlog_appended``) and also polls, so a
lost notification or a dropped listening connection only delays it by one poll interval.

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
from shared.privacy.sealing import reveal
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
            async with conn.transaction():
                await conn.execute(
                    f'INSERT INTO "{p.schema}".subscription_checkpoints (name, position) '
                    "VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
                    p.name,
                )
                checkpoint = await conn.fetchval(
                    f'SELECT position FROM "{p.schema}".subscription_checkpoints '
                    "WHERE name = $1 FOR UPDATE",
                    p.name,
                )
                self._forget_failures_up_to(checkpoint)
                rows = await conn.fetch(
                    f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position > $1 "
                    "ORDER BY position LIMIT $2",
                    checkpoint,
                    self._batch_size,
                )
                if not rows:
                    return _Batch(0)
                passed_to, passed, retry_in = checkpoint, 0, None
                # The page's personal fields are opened in one query for the events it applies.
                wanted = await reveal(
                    conn,
                    [
                        record_from_row(row) for row in rows
                        if p.event_types is None or row["event_type"] in p.event_types
                    ],
                )
                applying = {record.position: record for record in wanted}
                for row in rows:
                    if (record := applying.get(row["position"])) is not None:
                        retry_in = await self._apply_one(conn, record)
                        if retry_in is not None:
                            break
                    passed_to, passed = row["position"], passed + 1
                if passed:
                    await conn.execute(
                        f'UPDATE "{p.schema}".subscription_checkpoints '
                        "SET position = $2, updated_at = now() WHERE name = $1",
                        p.name,
                        passed_to,
                    )
                return _Batch(passed, retry_in)

    def _forget_failures_up_to(self, checkpoint: int) -> None:
        # Another instance (or a catch_up beside the running task) may have dealt with them.
        if self._failures:
            self._failures = {pos: n for pos, n in self._failures.items() if pos > checkpoint}

    async def _apply_one(self, conn: asyncpg.Connection, event: RecordedEvent) -> float | None:
        # Every line logged meanwhile (here or by the read model or policy) names the
        # subscription and the event's position and type; never its data, which may be personal.
        with bound_contextvars(subscription=self.name, position=event.position, event_type=event.event_type):
            return await self._try_one(conn, event)

    async def _try_one(self, conn: asyncpg.Connection, event: RecordedEvent) -> float | None:
        """Apply one event in a savepoint. None when it is applied or parked; otherwise how long
        to wait before trying it again."""
        p = self.projection
        try:
            with applying(p.name, event):
                async with conn.transaction():  # a savepoint: a failure undoes only this event
                    await p.apply(conn, event)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            if conn.is_closed() or connection_lost(exc):
                # The database went away: not the event's fault, so it does not count towards
                # parking it. The batch fails and is tried again from its checkpoint. (A lock or
                # statement timeout does count: an event that always times out must end up
                # parked and visible, not retried unseen for ever.)
                raise
            error = describe_error(exc)
        else:
            self._failures.pop(event.position, None)
            return None
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


async def rebuild(pool: asyncpg.Pool, projection: Projection, *, batch_size: int = 2000) -> int:
    """Empty a read model, forget its checkpoint and dead letters, and replay it from the log, in
    one transaction (``rebuild_in_transaction``). Returns the events replayed."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            return await rebuild_in_transaction(conn, projection, batch_size=batch_size)


async def rebuild_in_transaction(
    conn: asyncpg.Connection, projection: Projection, *, batch_size: int = 2000
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
