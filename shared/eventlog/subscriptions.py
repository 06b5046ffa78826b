"""Subscriptions: read models and policies that follow the log.

A subscription reads the events after its checkpoint and applies them in the same database
transaction that advances the checkpoint, so each event's effect happens exactly once: a
consumer killed mid-batch leaves neither the read-model changes nor the checkpoint behind, and
starts again from where its last commit left it.

It is woken by LISTEN/NOTIFY (every append notifies ``eventlog_appended``) and also polls, so a
lost notification or a dropped listening connection only delays it by one poll interval.

An event whose handler keeps failing is retried (each try in its own savepoint), then parked in
the service's ``dead_letters`` table with the error, and the subscription goes on: one bad event
never stops a read model, and never disappears silently either.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Sequence
from typing import Protocol

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EVENT_COLUMNS, NOTIFY_CHANNEL, record_from_row
from shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)


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


class Subscription:
    def __init__(
        self,
        pool: asyncpg.Pool,
        projection: Projection,
        *,
        batch_size: int = 500,
        poll_interval: float = 1.0,
        max_attempts: int = 3,
    ) -> None:
        self._pool = pool
        self.projection = projection
        self._batch_size = batch_size
        self._poll_interval = poll_interval
        self._max_attempts = max_attempts
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._caught_up = asyncio.Event()

    @property
    def name(self) -> str:
        return self.projection.name

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

    async def _run_forever(self) -> None:
        while True:
            try:
                while await self.process_batch():
                    pass
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
        """Apply everything up to the head of the log; returns the number of events read."""
        total = 0
        while True:
            count = await self.process_batch()
            total += count
            if count == 0:
                return total

    async def process_batch(self) -> int:
        """Apply one batch after the checkpoint, in one transaction. Returns events read."""
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
                rows = await conn.fetch(
                    f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position > $1 "
                    "ORDER BY position LIMIT $2",
                    checkpoint,
                    self._batch_size,
                )
                if not rows:
                    return 0
                for row in rows:
                    if p.event_types is None or row["event_type"] in p.event_types:
                        await self._apply_one(conn, record_from_row(row))
                await conn.execute(
                    f'UPDATE "{p.schema}".subscription_checkpoints '
                    "SET position = $2, updated_at = now() WHERE name = $1",
                    p.name,
                    rows[-1]["position"],
                )
                return len(rows)

    async def _apply_one(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        p = self.projection
        error = ""
        for _attempt in range(self._max_attempts):
            try:
                async with conn.transaction():  # a savepoint: a failure undoes only this event
                    await p.apply(conn, event)
                return
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                error = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        log.error("subscription %s parked event %s: %s", p.name, event.position, error)
        await conn.execute(
            f'INSERT INTO "{p.schema}".dead_letters '
            "(subscription, position, event_type, stream_id, error, attempts) "
            "VALUES ($1, $2, $3, $4, $5, $6)",
            p.name,
            event.position,
            event.event_type,
            event.stream_id,
            error,
            self._max_attempts,
        )


async def rebuild(pool: asyncpg.Pool, projection: Projection, *, batch_size: int = 2000) -> int:
    """Empty a read model, forget its checkpoint and dead letters, and replay it from the log.

    The emptying happens in one transaction holding the checkpoint's row lock, so a live
    subscription of the same projection waits rather than interleaving.
    """
    p = projection
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute(
                f'INSERT INTO "{p.schema}".subscription_checkpoints (name, position) '
                "VALUES ($1, 0) ON CONFLICT (name) DO NOTHING",
                p.name,
            )
            await conn.execute(
                f'SELECT 1 FROM "{p.schema}".subscription_checkpoints WHERE name = $1 FOR UPDATE',
                p.name,
            )
            if p.tables:
                tables = ", ".join(f'"{p.schema}"."{t}"' for t in p.tables)
                await conn.execute(f"TRUNCATE {tables}")
            await conn.execute(
                f'UPDATE "{p.schema}".subscription_checkpoints SET position = 0 WHERE name = $1',
                p.name,
            )
            await conn.execute(
                f'DELETE FROM "{p.schema}".dead_letters WHERE subscription = $1', p.name
            )
    return await Subscription(pool, projection, batch_size=batch_size).catch_up()


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
                conn = await asyncpg.connect(self._dsn)
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
