"""The log's writer reports each group commit and its queue; the event-log service reports
verifying the chain and publishing checkpoints."""

from __future__ import annotations

import asyncio
import sys
from datetime import date
from pathlib import Path

import pytest

from shared.eventlog import NewEvent
from shared.eventlog.store import APPEND_LOCK_KEY

sys.path.insert(0, str(Path(__file__).parent))
from metrics_support import HeldBack, append_counts, first_run_over, held_back_app, scrape, until_scraped  # noqa: E402


@pytest.fixture
async def running(service_client):
    async with service_client(held_back_app(HeldBack())) as client:
        yield client


async def test_an_append_is_counted_as_a_group_commit_of_its_size(running):
    before = await scrape(running)
    await append_counts(running.app.state.store, 1)
    after = await scrape(running)

    for name in ("eventlog_append_duration_seconds_count", "eventlog_append_group_size_count"):
        assert after.value(name) == before.value(name) + 1, name
    assert after.value("eventlog_append_group_size_sum") == before.value("eventlog_append_group_size_sum") + 1
    assert after.value("eventlog_append_duration_seconds_sum") > before.value("eventlog_append_duration_seconds_sum")
    assert after.value("eventlog_head_position") == 1


async def test_appends_waiting_behind_a_held_append_lock_show_as_the_writer_queue(running, pool):
    store = running.app.state.store
    before = await scrape(running)
    async with pool.acquire() as holder:
        await holder.execute("SELECT pg_advisory_lock($1)", APPEND_LOCK_KEY)
        try:
            first = asyncio.create_task(append_counts(store, 1))
            # The writer takes the first append and waits for the lock; the next two queue.
            await until_scraped(running, lambda found: found.value("db_pool_connections_in_use") >= 1)
            waiting = [asyncio.create_task(append_counts(store, n)) for n in (2, 3)]
            queued = await until_scraped(running, lambda found: found.value("eventlog_writer_queue_depth") == 2)
        finally:
            await holder.execute("SELECT pg_advisory_unlock($1)", APPEND_LOCK_KEY)
        await asyncio.gather(first, *waiting)

    assert queued.value("eventlog_append_group_size_count") == before.value("eventlog_append_group_size_count")
    after = await scrape(running)
    assert after.value("eventlog_writer_queue_depth") == 0
    # The two that queued went together: one group of 1, then one of 2.
    assert after.value("eventlog_append_group_size_count") == before.value("eventlog_append_group_size_count") + 2
    assert after.value("eventlog_append_group_size_sum") == before.value("eventlog_append_group_size_sum") + 3


def counted(n: int) -> NewEvent:
    return NewEvent(event_type="Counted", data={"n": n}, effective_date=date(2026, 11, 2))


async def tamper(pool, position: int) -> None:
    """Change an event's data and leave its hash: the chain no longer verifies."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute("UPDATE eventlog.events SET data = '{\"n\": 999}'::jsonb WHERE position = $1", position)


async def test_the_checkpoint_job_reports_the_chain_verified_and_the_checkpoint_published(
    service_client, store, clock, monkeypatch
):
    from event_log.main import create_app

    monkeypatch.setenv("CHECKPOINT_EVERY_SECONDS", "0")
    async with service_client(create_app) as client:
        scheduler = client.app.state.scheduler
        await first_run_over(scheduler)  # on an empty log: nothing to verify or sign
        before = await scrape(client)
        await store.append("count-1", [counted(1)])
        assert await scheduler.run_once() == 1
        after = await scrape(client)

    assert "eventlog_chain_verification_last_success" not in before.samples  # nothing verified yet
    assert after.value("eventlog_chain_verification_last_success") == 1
    assert after.value("eventlog_chain_verification_last_run_timestamp_seconds") > 0
    assert after.value("eventlog_checkpoint_last_published_timestamp_seconds") == clock.now().timestamp()
    assert after.value("eventlog_checkpoint_publications_failed_total") == 0
    assert after.value("scheduler_deadlines_due", scheduled_job="publish-signed-checkpoint") == 1


async def test_a_broken_chain_shows_as_a_failed_verification_and_a_failed_publication(
    service_client, store, pool, clock, monkeypatch
):
    from event_log.main import create_app

    monkeypatch.setenv("CHECKPOINT_EVERY_SECONDS", "0")
    await store.append("count-1", [counted(1)])
    async with service_client(create_app) as client:
        scheduler = client.app.state.scheduler
        await first_run_over(scheduler)  # it signs the first event
        published = (await scrape(client)).value("eventlog_checkpoint_last_published_timestamp_seconds")
        await store.append("count-2", [counted(2)])
        await store.append("count-3", [counted(3)])
        await tamper(pool, 3)
        succeeded = scheduler.last_successes["publish-signed-checkpoint"]
        assert await scheduler.run_once() == 0  # the job refuses to sign, and the scheduler logs it
        found = await scrape(client)

    assert found.value("eventlog_chain_verification_last_success") == 0
    assert found.value("eventlog_checkpoint_publications_failed_total") == 1
    assert found.value("eventlog_checkpoint_last_published_timestamp_seconds") == published
    assert found.value("scheduler_last_success_timestamp_seconds", scheduled_job="publish-signed-checkpoint") == (
        succeeded.finished_at
    )
