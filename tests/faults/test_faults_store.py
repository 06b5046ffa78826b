"""The event store through a database fault: PostgreSQL restarted (cleanly or as a crash) or
every connection cut, while writers append and a subscription follows.

A caller whose append was in flight hears either its result or the retryable "unavailable"
error, never a hang and never a raw driver error; retrying with the same idempotency key (as a
client does) gives exactly one copy in the log; the writer reconnects by itself; the hash chain
stays whole; and the subscription applies every event exactly once.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

import asyncpg
import pytest

from shared.database import DatabaseTimeouts, open_pool
from shared.eventlog import EventStore, LogNotifier, NewEvent, Subscription
from shared.eventlog.store import APPEND_LOCK_KEY

sys.path.insert(0, str(Path(__file__).parent))
from fault_support import (  # noqa: E402
    AppliedPositions,
    Tally,
    append_until_acknowledged,
    assert_chain_verifies,
    assert_no_dead_letters,
    assert_no_key_appended_twice,
    create_applied_schema,
    wait_for,
)

WRITERS = 8
# Each writer keeps appending until the fault is over and it has had this many more answers,
# so appends are in flight before, during and after the fault.
AFTER_FAULT = 15
MAX_PER_WRITER = 400  # a bound, in case the fault never completes


def marked(marker: str, writer: int, n: int) -> NewEvent:
    return NewEvent("FaultMarked", {"marker": marker, "writer": writer, "n": n}, date(2026, 11, 2))


async def run_writers_through(fault, store, tally: Tally) -> dict[int, int]:
    """Writers append to their own streams with an expected version and an idempotency key
    while ``fault`` runs once most have started; returns each writer's appends after it."""
    started = asyncio.Event()
    done = asyncio.Event()
    after: dict[int, int] = {w: 0 for w in range(WRITERS)}
    begun: set[int] = set()

    async def writer(w: int) -> None:
        for k in range(MAX_PER_WRITER):
            key = f"fault-{w}-{k}"
            # expected_version k: a retry of an append that did commit must be answered from
            # its key, not refused as a clash with itself.
            recorded = await append_until_acknowledged(
                store, tally, key, f"faulty-{w}", [marked(key, w, k)], expected_version=k
            )
            if recorded is None:
                return
            if k >= 3:
                begun.add(w)
                if len(begun) == WRITERS:
                    started.set()
            if done.is_set():
                after[w] += 1
                if after[w] >= AFTER_FAULT:
                    return
            # A short pause keeps the log small enough to check while appends keep arriving.
            await asyncio.sleep(0.005)

    async def inject() -> None:
        async with asyncio.timeout(30):
            await started.wait()
        await fault()
        done.set()

    async with asyncio.timeout(120):
        await asyncio.gather(inject(), *[writer(w) for w in range(WRITERS)])
    return after


async def hold_append_lock_until_writers_wait(database_url: str):
    """Take the log's append lock from outside and return once the store's writer is blocked on
    it, so that a fault injected next is certain to hit a group of appends in flight."""
    blocker = await asyncpg.connect(database_url, timeout=10)
    await blocker.execute("SELECT pg_advisory_lock($1)", APPEND_LOCK_KEY)

    async def writer_waiting() -> bool:
        return await blocker.fetchval(
            "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )

    await wait_for(writer_waiting, timeout=10, what="the writer to wait for the append lock")
    return blocker


@pytest.mark.slow
@pytest.mark.parametrize(
    "fault_kind",
    [
        "restart-fast",
        "restart-immediate",
        "terminate-backends",
        # The fault lands while a group is certainly in flight (waiting for the append lock).
        "restart-mid-append",
        "terminate-mid-append",
    ],
)
async def test_every_acknowledged_append_is_in_the_log_exactly_once_after_a_database_fault(
    fault_pg, fault_db, observer, fault_kind
):
    async with observer() as obs:
        await create_applied_schema(obs)

    pool = await open_pool(
        fault_db.url, min_size=2, max_size=8, timeouts=DatabaseTimeouts(connect_seconds=3.0)
    )
    store = EventStore(pool)
    store.start()
    subscription = Subscription(pool, AppliedPositions(), batch_size=40, poll_interval=0.05)
    notifier = LogNotifier(fault_db.url, [subscription])
    subscription.start()
    notifier.start()

    async def fault() -> None:
        blocker = None
        if fault_kind.endswith("mid-append"):
            # The blocker's session ends with the fault, and its lock with it.
            blocker = await hold_append_lock_until_writers_wait(fault_db.url)
        if fault_kind in ("restart-fast", "restart-mid-append"):
            await asyncio.to_thread(fault_pg.restart, "fast")
        elif fault_kind == "restart-immediate":
            await asyncio.to_thread(fault_pg.restart, "immediate")
        else:  # terminate-backends, terminate-mid-append
            ended = await fault_pg.terminate_backends(fault_db.name)
            assert ended >= 2, "the store's and the subscription's connections should have been cut"
        if blocker is not None:
            blocker.terminate()

    tally = Tally()
    try:
        after = await run_writers_through(fault, store, tally)
        assert not tally.failures, tally.summary()
        # The writer reconnected by itself: every writer was answered after the fault.
        assert all(n >= AFTER_FAULT for n in after.values()), after
        assert store.running, "the store's writer is not running after the fault"

        async def applied_all() -> bool:
            return await obs_pool.fetchval("SELECT count(*) FROM faults.applied") >= len(tally.acknowledged)

        async with observer() as obs_pool:
            await wait_for(applied_all, timeout=30, what="the subscription to apply every event")
    finally:
        async with asyncio.timeout(30):
            await notifier.stop()
            await subscription.stop()
            await store.close()
            await pool.close()

    async with observer() as obs:
        logged = await obs.fetch(
            "SELECT position, stream_id, stream_version, data->>'marker' AS marker "
            "FROM eventlog.events WHERE event_type = 'FaultMarked' ORDER BY position"
        )
        by_marker: dict[str, list] = {}
        for row in logged:
            by_marker.setdefault(row["marker"], []).append(row)
        doubled = {m: len(rows) for m, rows in by_marker.items() if len(rows) > 1}
        assert not doubled, f"appended twice: {doubled}"
        # Nothing acknowledged is missing, and nothing is there that no caller was told of.
        assert set(by_marker) == set(tally.acknowledged)
        for key, recorded in tally.acknowledged.items():
            [row] = by_marker[key]
            assert (row["position"], row["stream_id"]) == (recorded[0].position, recorded[0].stream_id), key
        # Each writer's stream is gapless: version k+1 is the writer's k-th append.
        for row in logged:
            assert row["marker"].rsplit("-", 1)[1] == str(row["stream_version"] - 1), dict(row)

        await assert_no_key_appended_twice(obs)
        head = await assert_chain_verifies(obs)
        assert head == len(logged)

        applied = [r["position"] for r in await obs.fetch("SELECT position FROM faults.applied ORDER BY 1")]
        assert applied == [r["position"] for r in logged], "the subscription skipped or doubled an event"
        await assert_no_dead_letters(obs, "faults")
        checkpoint = await obs.fetchval("SELECT position FROM faults.subscription_checkpoints")
        assert checkpoint == head
    print(f"{fault_kind}: {tally.summary()}; {head} events")
