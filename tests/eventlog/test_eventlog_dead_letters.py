"""A failing event is tried again with growing waits before it is parked: a passing failure
applies the event exactly once and parks nothing; a lasting one is parked after the configured
number of tries and the subscription goes on with the events after it."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import date

import asyncpg
import pytest

from shared.eventlog import NewEvent, RecordedEvent, Subscription
from shared.eventlog.tables import current_subscription_tables_ddl

SCHEMA = "parking"


class Tally:
    """Adds each event's ``n`` to its stream's total: applying an event twice shows in the sum.

    ``fail`` says how many more times the event carrying a given ``n`` fails (``None``: always).
    """

    name = "parking-tally"
    schema = SCHEMA
    tables = ("totals",)
    event_types = frozenset({"Tallied"})

    def __init__(self, fail: dict[int, int | None] | None = None, pool: asyncpg.Pool | None = None) -> None:
        self.fail = dict(fail or {})
        self.tries: Counter[int] = Counter()
        self.checkpoint_seen_on_retry: list[int] = []
        self._pool = pool

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        n = event.data["n"]
        self.tries[n] += 1
        await conn.execute(
            "INSERT INTO parking.totals (stream_id, events, total) VALUES ($1, 1, $2) "
            "ON CONFLICT (stream_id) DO UPDATE SET events = totals.events + 1, total = totals.total + $2",
            event.stream_id,
            n,
        )
        if n in self.fail:
            if self._pool is not None and self.tries[n] > 1:
                # Seen from another connection: what the failed batches committed.
                self.checkpoint_seen_on_retry.append(
                    await self._pool.fetchval("SELECT position FROM parking.subscription_checkpoints")
                )
            remaining = self.fail[n]
            if remaining is None or remaining > 0:
                if remaining is not None:
                    self.fail[n] = remaining - 1
                raise RuntimeError(f"the tally of {n} cannot be written just now")


class RecordingBackoff(Subscription):
    """Records the waits it asks for instead of judging how long they took."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.waits: list[tuple[int, float]] = []

    def backoff(self, failures: int) -> float:
        wait = super().backoff(failures)
        self.waits.append((failures, wait))
        return wait


async def create_schema(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute(f"CREATE SCHEMA {SCHEMA}")
        for statement in current_subscription_tables_ddl(SCHEMA):
            await conn.execute(statement)
        await conn.execute(
            "CREATE TABLE parking.totals (stream_id text PRIMARY KEY, events int NOT NULL, total bigint NOT NULL)"
        )


def tallied(n: int) -> NewEvent:
    return NewEvent(event_type="Tallied", data={"n": n}, effective_date=date(2026, 11, 2))


async def append_tallies(store, numbers) -> list[int]:
    positions = []
    for n in numbers:
        [recorded] = await store.append(f"tally-{n % 3}", [tallied(n)])
        positions.append(recorded.position)
    return positions


async def totals(pool) -> tuple[int, int]:
    row = await pool.fetchrow("SELECT coalesce(sum(events), 0) AS events, coalesce(sum(total), 0) AS total FROM parking.totals")
    return row["events"], row["total"]


async def test_an_event_that_fails_twice_then_succeeds_is_applied_once_and_nothing_is_parked(store, pool):
    await create_schema(pool)
    positions = await append_tallies(store, range(1, 11))
    tally = Tally(fail={5: 2}, pool=pool)
    subscription = RecordingBackoff(pool, tally, batch_size=100, backoff_initial=0.01, backoff_max=0.05)

    await subscription.catch_up()

    assert tally.tries[5] == 3
    assert await totals(pool) == (10, sum(range(1, 11)))  # every event once, 5 included
    assert await pool.fetchval("SELECT count(*) FROM parking.dead_letters") == 0
    assert await pool.fetchval("SELECT position FROM parking.subscription_checkpoints") == positions[-1]
    # It waited before each new try, and the events before the failing one were committed at once
    # (checkpoint just before it) rather than held back or undone with it.
    assert [failures for failures, _ in subscription.waits] == [1, 2]
    assert tally.checkpoint_seen_on_retry == [positions[3], positions[3]]


async def test_an_event_that_keeps_failing_is_parked_after_the_set_tries_and_later_events_still_apply(store, pool):
    await create_schema(pool)
    positions = await append_tallies(store, range(1, 21))
    tally = Tally(fail={7: None})
    subscription = RecordingBackoff(
        pool, tally, batch_size=5, max_attempts=4, backoff_initial=0.01, backoff_max=0.02
    )

    await subscription.catch_up()  # ends: the failing event is parked rather than retried for ever

    assert tally.tries[7] == 4
    assert [failures for failures, _ in subscription.waits] == [1, 2, 3]  # a wait between tries
    [letter] = await pool.fetch("SELECT * FROM parking.dead_letters")
    assert (letter["position"], letter["event_type"], letter["stream_id"]) == (positions[6], "Tallied", "tally-1")
    assert letter["attempts"] == 4
    assert letter["status"] == "parked"
    assert "RuntimeError: the tally of 7 cannot be written just now" == letter["error"]
    assert await totals(pool) == (19, sum(range(1, 21)) - 7)  # none of 7's tries left a trace
    assert await pool.fetchval("SELECT position FROM parking.subscription_checkpoints") == positions[-1]


async def test_a_running_subscription_parks_an_event_and_goes_on_with_later_ones(store, pool):
    await create_schema(pool)
    tally = Tally(fail={2: None})
    subscription = Subscription(pool, tally, poll_interval=0.05, max_attempts=3, backoff_initial=0.01)
    subscription.start()
    try:
        await append_tallies(store, [1, 2, 3])
        for _ in range(500):
            if await totals(pool) == (2, 4):
                break
            await asyncio.sleep(0.02)
        assert await totals(pool) == (2, 4)
        assert await pool.fetchval("SELECT attempts FROM parking.dead_letters") == 3
        assert subscription.running
    finally:
        await subscription.stop()


class LosesItsConnectionOnce(Tally):
    """The database drops the subscription's connection the first time it applies n=2; the
    next try fails on its own account, the one after succeeds."""

    def __init__(self) -> None:
        super().__init__(fail={2: 1})
        self.connection_lost = False

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        if event.data["n"] == 2 and not self.connection_lost:
            self.connection_lost = True
            await conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        await super().apply(conn, event)


async def test_a_lost_connection_fails_the_batch_and_does_not_count_against_the_event(store, pool):
    await create_schema(pool)
    await append_tallies(store, [1, 2, 3])
    tally = LosesItsConnectionOnce()
    subscription = Subscription(pool, tally, max_attempts=2, backoff_initial=0.01)

    with pytest.raises((asyncpg.PostgresError, asyncpg.InterfaceError, OSError)):
        await subscription.catch_up()
    # The database is back. Two tries are allowed and the lost connection was not one of them:
    # the event fails once more on its own account, then applies - once, and nothing is parked.
    await subscription.catch_up()

    assert tally.tries[2] == 2
    assert await pool.fetchval("SELECT count(*) FROM parking.dead_letters") == 0
    assert await totals(pool) == (3, 6)


def test_the_wait_doubles_from_the_first_to_the_cap_with_jitter_below_each_step():
    subscription = Subscription(None, Tally(), backoff_initial=0.1, backoff_max=5.0)
    for failures, ceiling in [(1, 0.1), (2, 0.2), (3, 0.4), (4, 0.8), (6, 3.2), (7, 5.0), (30, 5.0)]:
        waits = {subscription.backoff(failures) for _ in range(50)}
        assert all(ceiling / 2 <= w <= ceiling for w in waits), (failures, waits)
        assert len(waits) > 1  # jittered: two instances retrying the same event drift apart


def test_a_subscription_needs_at_least_one_try():
    with pytest.raises(ValueError, match="max_attempts"):
        Subscription(None, Tally(), max_attempts=0)
