"""Subscriptions apply each event exactly once, survive being killed, park poison events,
are woken by NOTIFY, and rebuild to exactly the live result."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from shared.eventlog import LogNotifier, NewEvent, Subscription, rebuild
from shared.eventlog.tables import dead_letter_operations_ddl
from shared.ops.lag import lag
from shared.services import SERVICES

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


def noted(n: int) -> NewEvent:
    """An event the counting read model does not handle."""
    return NewEvent(event_type="Noted", data={"n": n}, effective_date=date(2025, 5, 1))


async def count_checkpoint_writes(pool) -> None:
    """Record every write of a checkpoint, with whether its transaction waited for the disk."""
    await pool.execute(
        "CREATE TABLE counting.checkpoint_writes (position bigint, synchronous_commit text)"
    )
    await pool.execute(
        """
        CREATE FUNCTION counting.note_checkpoint_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO counting.checkpoint_writes
                VALUES (NEW.position, current_setting('synchronous_commit'));
            RETURN NEW;
        END $$
        """
    )
    await pool.execute(
        "CREATE TRIGGER noted AFTER UPDATE ON counting.subscription_checkpoints "
        "FOR EACH ROW EXECUTE FUNCTION counting.note_checkpoint_write()"
    )


async def test_events_it_does_not_handle_are_passed_in_one_write_that_does_not_wait_for_the_disk(store, pool):
    await create_schema(pool)
    await count_checkpoint_writes(pool)
    for n in range(40):
        await store.append("school-S1", [noted(n)])
    applied = []

    async def seen(event) -> None:
        applied.append(event.position)

    passed = await Subscription(pool, CountingProjection(on_apply=seen), batch_size=10).catch_up()

    assert passed == 40 and applied == []
    assert await pool.fetchval("SELECT position FROM counting.subscription_checkpoints") == 40
    # One write for all forty, not one per batch of ten, and no flush waited for.
    assert await pool.fetch("SELECT * FROM counting.checkpoint_writes") == [(40, "off")]


async def test_a_batch_is_filled_with_events_it_handles_and_passes_the_others_with_them(store, pool):
    await create_schema(pool)
    await count_checkpoint_writes(pool)
    for n in range(30):
        await store.append("school-S1", [noted(n)])
        await store.append("child-C1", [counted(n)])
    subscription = Subscription(pool, CountingProjection(), batch_size=10)

    assert await subscription.process_batch() == 20  # ten it handles, and the ten between them
    assert await pool.fetchval("SELECT position FROM counting.subscription_checkpoints") == 20
    assert await subscription.catch_up() == 40
    assert await snapshot(pool) == [("child-C1", 30, sum(range(30)))]
    # A write for each batch of ten it handled, the last taking it to the head; none waits for the disk.
    assert await pool.fetch("SELECT * FROM counting.checkpoint_writes ORDER BY position") == [
        (20, "off"), (40, "off"), (60, "off")
    ]


async def test_a_read_model_that_keeps_up_with_the_events_it_handles_is_not_behind(store, pool):
    await create_schema(pool)
    for statement in dead_letter_operations_ddl("counting"):  # lag counts parked letters by status
        await pool.execute(statement)
    subscription = Subscription(pool, CountingProjection())
    await store.append("child-C1", [counted(1)])
    await subscription.catch_up()
    for n in range(25):
        await store.append("school-S1", [noted(n)])

    await subscription.catch_up()

    head, found = await lag(pool, [replace(SERVICES[0], schema="counting")])
    assert head == 26
    assert [(x.subscription, x.position, x.behind, x.seconds_behind) for x in found] == [("counting", 26, 0, 0.0)]


class BatchCounting(CountingProjection):
    """The counting read model given each batch at once, writing each stream's row once."""

    def __init__(self, fail_on: int | None = None) -> None:
        super().__init__(fail_on)
        self.batches: list[int] = []

    async def apply_batch(self, conn, events) -> None:
        if any(event.data["n"] == self.fail_on for event in events):
            raise ValueError(f"cannot count {self.fail_on}")
        self.batches.append(len(events))
        totals: dict[str, list[int]] = {}
        for event in events:
            totals.setdefault(event.stream_id, []).append(event.data["n"])
        await conn.executemany(
            "INSERT INTO counting.totals (stream_id, events, total) VALUES ($1, $2, $3) "
            "ON CONFLICT (stream_id) DO UPDATE SET events = totals.events + EXCLUDED.events, "
            "total = totals.total + EXCLUDED.total",
            [(stream_id, len(ns), sum(ns)) for stream_id, ns in totals.items()],
        )


async def test_a_read_model_that_takes_batches_is_given_each_batch_at_once(store, pool):
    await create_schema(pool)
    await fill(store, 95)
    projection = BatchCounting()

    await Subscription(pool, projection, batch_size=40).catch_up()

    assert projection.batches == [40, 40, 15]
    assert sum(r[1] for r in await snapshot(pool)) == 95


async def test_a_failing_batch_is_applied_one_event_at_a_time_and_only_the_bad_event_is_parked(store, pool):
    await create_schema(pool)
    await fill(store, 30)
    projection = BatchCounting(fail_on=13)

    await Subscription(pool, projection, batch_size=10, max_attempts=2, backoff_initial=0.001).catch_up()

    assert len(projection.batches) == 2  # before and after the batches holding the bad event
    parked = await pool.fetch("SELECT position, attempts, error FROM counting.dead_letters")
    assert [r["attempts"] for r in parked] == [2]
    assert "cannot count 13" in parked[0]["error"]
    bad = await pool.fetchval("SELECT data->>'n' FROM eventlog.events WHERE position = $1", parked[0]["position"])
    assert bad == "13"
    assert sum(r[1] for r in await snapshot(pool)) == 29
    assert sum(r[2] for r in await snapshot(pool)) == sum(range(30)) - 13
    await rebuild(pool, CountingProjection(fail_on=13))
    assert sum(r[1] for r in await snapshot(pool)) == 29


async def test_a_policy_is_not_held_up_by_a_read_model_busy_with_the_same_events(store, pool, database_url):
    await create_schema(pool)
    stuck, release = asyncio.Event(), asyncio.Event()

    async def hold(event) -> None:
        stuck.set()
        await release.wait()  # the read model's transaction stays open meanwhile

    reacted: list[int] = []

    class Policy(CountingProjection):
        name = "counting-policy"
        tables = ()

        async def apply(self, conn, event) -> None:
            reacted.append(event.position)

    read_model = Subscription(pool, CountingProjection(on_apply=hold), poll_interval=30.0)
    policy = Subscription(pool, Policy(), poll_interval=30.0)
    notifier = LogNotifier(database_url, [read_model, policy])
    read_model.start()
    policy.start()
    notifier.start()
    try:
        await asyncio.sleep(0.3)  # the first (empty) batches run and the listener connects
        await store.append("child-C1", [counted(1)])
        async with asyncio.timeout(10):
            await stuck.wait()
            while not reacted:
                await asyncio.sleep(0.02)
        assert reacted == [1]
        assert await snapshot(pool) == []  # the read model is still inside its batch
    finally:
        release.set()
        await notifier.stop()
        await policy.stop()
        await read_model.stop()
