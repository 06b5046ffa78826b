"""/health fails, naming the task, when a background task the service needs has died (so the
process is restarted), and not when the database is away; /ready fails when the service cannot
serve and says "degraded" while it serves with parked events."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import asyncpg
import pytest

from shared.migrations import MigrationHistory
from shared.testing.fixtures import settle

sys.path.insert(0, str(Path(__file__).parent))
from tally_service import Tally, append_tallies, create_tally_table, tally_app  # noqa: E402


@pytest.fixture
def tally() -> Tally:
    return Tally()


@pytest.fixture
async def running(service_client, pool, tally):
    """The tally service; some tests break its handler on purpose, so it may park events."""
    await create_tally_table(pool)
    async with service_client(tally_app(tally), parks_events=True) as client:
        yield client


async def kill(task: asyncio.Task) -> None:
    task.cancel()
    await asyncio.wait([task])


async def until_stopped(subscription) -> None:
    for _ in range(1000):
        if not subscription.running:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{subscription.name} is still running")


async def assert_unhealthy(client, *stopped: str) -> None:
    health = await client.get("/health")
    assert health.status_code == 503
    assert health.headers["content-type"] == "application/problem+json"
    assert health.json()["stopped"] == list(stopped)
    for name in stopped:
        assert name in health.json()["detail"]


async def test_a_service_with_everything_running_is_healthy_and_ready(running):
    health = await running.get("/health")
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    ready = await running.get("/ready")
    assert ready.status_code == 200
    assert ready.json() == {
        "ready": True,
        "status": "ok",
        "checks": {
            "database": True, "migrations": True, "event_writer": True, "subscriptions": True,
            "log_notifier": True, "scheduler": True,
        },
        "degraded": [],
        "parked_events": {},
        "seconds_behind": {"tally": 0.0},
    }


async def test_a_killed_subscription_fails_health_and_readiness(running):
    [subscription] = running.app.state.subscriptions
    await kill(subscription._task)

    await assert_unhealthy(running, "subscription:tally")
    ready = await running.get("/ready")
    assert ready.status_code == 503
    assert (ready.json()["status"], ready.json()["checks"]["subscriptions"]) == ("unavailable", False)


async def test_a_subscription_that_crashed_fails_health(running, tally):
    tally.crash_on = 9
    await append_tallies(running.app.state.store, 9)
    [subscription] = running.app.state.subscriptions
    await until_stopped(subscription)

    await assert_unhealthy(running, "subscription:tally")


async def test_a_dead_event_log_writer_fails_health_and_readiness(running):
    await kill(running.app.state.store._writer)

    await assert_unhealthy(running, "event_writer")
    ready = await running.get("/ready")
    assert (ready.status_code, ready.json()["checks"]["event_writer"]) == (503, False)


async def test_a_dead_log_listener_fails_health(running):
    await kill(running.app.state.notifier._task)

    await assert_unhealthy(running, "log_notifier")


async def test_a_dead_deadline_scheduler_fails_health(service_client):
    from schools.main import create_app

    async with service_client(create_app) as client:
        await kill(client.app.state.scheduler._task)
        await assert_unhealthy(client, "scheduler")


async def test_the_database_being_away_makes_the_service_unready_but_not_unhealthy(running):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    state = running.app.state
    reachable = state.pool
    state.pool = await asyncpg.create_pool(f"postgresql://nobody@127.0.0.1:{port}/education", min_size=0)
    try:
        health = await running.get("/health")
        ready = await running.get("/ready")
    finally:
        await state.pool.close()
        state.pool = reachable
    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] is False
    assert (ready.json()["status"], ready.json()["parked_events"]) == ("unavailable", None)


async def test_parked_events_make_the_service_degraded_but_still_ready(running, tally):
    tally.broken = {2, 4}
    await append_tallies(running.app.state.store, 1, 2, 3, 4)
    await settle(running.app)

    ready = await running.get("/ready")
    assert ready.status_code == 200
    assert (ready.json()["ready"], ready.json()["status"]) == (True, "degraded")
    assert ready.json()["parked_events"] == {"tally": 2}
    assert ready.json()["degraded"] == ["parked:tally"]
    assert (await running.get("/health")).status_code == 200  # parked events are not a dead process


async def test_readiness_does_not_read_the_migration_scripts_on_each_call(running, monkeypatch):
    def unreadable(self):
        raise AssertionError("the migration scripts were read again")

    monkeypatch.setattr(MigrationHistory, "head", unreadable)
    ready = await running.get("/ready")
    assert (ready.status_code, ready.json()["checks"]["migrations"]) == (200, True)
