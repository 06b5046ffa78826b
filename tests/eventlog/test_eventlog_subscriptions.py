"""Subscriptions apply each event exactly once, survive being killed, park poison events,
are woken by NOTIFY, and rebuild to exactly the live result."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import date
from pathlib import Path

from shared.eventlog import LogNotifier, NewEvent, Subscription, rebuild

sys.path.insert(0, str(Path(__file__).parent))
from counting_projection import CountingProjection, create_schema, snapshot  # noqa: E402


def counted(n: int) -> NewEvent:
    return NewEvent(event_type="Counted", data={"n": n}, effective_date=date(2025, 5, 1))


async def fill(store, count: int) -> None:
    for start in range(0, count, 50):
        await asyncio.gather(
            *[store.append(f"child-C{i % 7}", [counted(i)]) for i in range(start, min(count, start + 50))]
        )


async def test_a_consumer_killed_mid_batch_still_ends_equal_to_a_full_rebuild(store, pool, database_url):
    await create_schema(pool)
    await fill(store, 400)
    consumer = await asyncio.create_subprocess_exec(
        sys.executable, str(Path(__file__).parent / "consumer_process.py"), database_url,
        stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    # Batches are 100 events; kill it in the middle of the third one.
    while True:
        line = (await consumer.stdout.readline()).decode()
        assert line, "the consumer stopped before it could be killed"
        if line.strip() == "applied 250":
            consumer.send_signal(signal.SIGKILL)
            break
    await consumer.wait()

    checkpoint = await pool.fetchval("SELECT position FROM counting.subscription_checkpoints")
    assert checkpoint == 200  # the killed batch left nothing behind...
    assert sum(r[1] for r in await snapshot(pool)) == 200  # ...in the checkpoint or the read model

    await Subscription(pool, CountingProjection(), batch_size=100).catch_up()
    live = await snapshot(pool)
    assert sum(r[1] for r in live) == 400
    await rebuild(pool, CountingProjection())
    assert await snapshot(pool) == live


async def test_an_event_that_keeps_failing_is_parked_and_the_consumer_goes_on(store, pool):
    await create_schema(pool)
    await fill(store, 30)
    await Subscription(pool, CountingProjection(fail_on=13), batch_size=10, max_attempts=3).catch_up()

    parked = await pool.fetch("SELECT position, event_type, error, attempts FROM counting.dead_letters")
    assert len(parked) == 1
    assert parked[0]["event_type"] == "Counted"
    assert "cannot count 13" in parked[0]["error"]
    assert parked[0]["attempts"] == 3
    assert sum(r[1] for r in await snapshot(pool)) == 29
    assert await pool.fetchval("SELECT position FROM counting.subscription_checkpoints") == 30


async def test_rebuilding_a_read_model_gives_the_live_result(store, pool):
    await create_schema(pool)
    subscription = Subscription(pool, CountingProjection(), batch_size=64)
    await fill(store, 150)
    await subscription.catch_up()
    await fill(store, 75)
    await subscription.catch_up()
    live = await snapshot(pool)

    await rebuild(pool, CountingProjection())
    assert await snapshot(pool) == live


async def test_a_running_subscription_is_woken_by_notify_long_before_its_poll(store, pool, database_url):
    await create_schema(pool)
    subscription = Subscription(pool, CountingProjection(), poll_interval=30.0)
    notifier = LogNotifier(database_url, [subscription])
    subscription.start()
    notifier.start()
    try:
        await asyncio.sleep(0.3)  # let the first (empty) batch run and the listener connect
        await store.append("child-C1", [counted(5)])
        for _ in range(100):
            if await snapshot(pool):
                break
            await asyncio.sleep(0.02)
        assert await snapshot(pool) == [("child-C1", 1, 5)]
    finally:
        await notifier.stop()
        await subscription.stop()
