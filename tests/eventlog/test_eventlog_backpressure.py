"""The writer's queue is bounded: past it an append is refused at once with StoreUnavailable
(503, Retry-After) and nothing of it is recorded, while the appends already queued are written."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest

from shared.eventlog import NewEvent, verify_chain
from shared.eventlog.store import APPEND_LOCK_KEY, EventStore, StoreUnavailable


def ev(n: int) -> NewEvent:
    return NewEvent(event_type="Counted", data={"n": n}, effective_date=date(2026, 11, 2))


async def test_an_append_past_the_queue_bound_is_refused_at_once_and_the_queued_ones_are_written(pool):
    store = EventStore(pool, max_queued=1, busy_retry_after=2)
    store.start()
    blocker = await pool.acquire()
    try:
        # Hold the append lock so the writer is stuck on its first group and the next waits.
        await blocker.execute("SELECT pg_advisory_lock($1)", APPEND_LOCK_KEY)
        in_flight = asyncio.create_task(store.append("school-100001", [ev(1)]))
        async with asyncio.timeout(10):
            while not await blocker.fetchval(
                "SELECT count(*) > 0 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
            ):
                await asyncio.sleep(0.02)
        queued = asyncio.create_task(store.append("school-100001", [ev(2)]))
        async with asyncio.timeout(10):
            while store.queue_depth < 1:
                await asyncio.sleep(0.01)

        with pytest.raises(StoreUnavailable) as refused:
            async with asyncio.timeout(5):  # at once: the writer is still held
                await store.append("school-100001", [ev(3)])
        assert refused.value.status == 503
        assert refused.value.retry_after == 2
        assert not in_flight.done() and not queued.done()

        await blocker.execute("SELECT pg_advisory_unlock($1)", APPEND_LOCK_KEY)
        async with asyncio.timeout(10):
            await asyncio.gather(in_flight, queued)
        assert [e.data["n"] for e in await store.read_stream("school-100001")] == [1, 2]
        # With room again, appends are taken.
        await store.append("school-100001", [ev(4)])
        assert (await verify_chain(pool)).ok
    finally:
        await pool.release(blocker)
        await store.close()
