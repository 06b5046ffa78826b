"""How far behind each subscription is, and its parked events, are read from the database when
scraped; /ready names the subscriptions that are too far behind or have parked events, and stays
200 while the service can serve."""

from __future__ import annotations

import asyncio
import socket
import sys
from datetime import timedelta
from pathlib import Path

import asyncpg
import pytest

from shared.testing.fixtures import settle

sys.path.insert(0, str(Path(__file__).parent))
from metrics_support import HeldBack, append_counts, held_back_app, scrape, until_scraped  # noqa: E402

SUBSCRIPTION = {"subscription": HeldBack.name}


@pytest.fixture
def projection() -> HeldBack:
    return HeldBack()


@pytest.fixture
async def running(service_client, projection):
    async with service_client(held_back_app(projection), parks_events=True) as client:
        yield client


def caught_up(found) -> bool:
    return found.value("subscription_events_behind", **SUBSCRIPTION) == 0


async def test_the_lag_rises_while_a_subscription_is_held_back_and_falls_to_0_when_it_catches_up(
    running, projection, clock
):
    projection.gate.clear()
    await append_counts(running.app.state.store, 1, 2, 3)
    clock.set(clock.now() + timedelta(seconds=90))

    held = await until_scraped(running, lambda found: found.value("eventlog_head_position") == 3)
    assert held.value("subscription_events_behind", **SUBSCRIPTION) == 3
    assert held.value("subscription_seconds_behind", **SUBSCRIPTION) == 90
    ready = await running.get("/ready")
    assert (ready.status_code, ready.json()["status"]) == (200, "degraded")
    assert ready.json()["degraded"] == [f"behind:{HeldBack.name}"]
    assert ready.json()["seconds_behind"] == {HeldBack.name: 90}

    projection.gate.set()
    free = await until_scraped(running, caught_up)
    assert free.value("subscription_seconds_behind", **SUBSCRIPTION) == 0
    assert projection.applied == [1, 2, 3]
    ready = await running.get("/ready")
    assert (ready.status_code, ready.json()["status"], ready.json()["degraded"]) == (200, "ok", [])


async def test_a_subscription_behind_by_less_than_ready_lag_seconds_is_not_degraded(
    service_client, projection, clock
):
    projection.gate.clear()
    async with service_client(held_back_app(projection, ready_lag_seconds=120), parks_events=True) as client:
        await append_counts(client.app.state.store, 1)
        clock.set(clock.now() + timedelta(seconds=90))
        ready = await client.get("/ready")
        projection.gate.set()

    assert (ready.status_code, ready.json()["status"], ready.json()["degraded"]) == (200, "ok", [])
    assert ready.json()["seconds_behind"] == {HeldBack.name: 90}


async def test_a_parked_event_shows_in_the_metrics_and_in_ready_which_stays_200(running, projection):
    projection.broken = {2}
    await append_counts(running.app.state.store, 1, 2, 3)
    await settle(running.app)

    found = await scrape(running)
    assert found.value("subscription_parked_events", **SUBSCRIPTION) == 1
    assert found.value("subscription_events_behind", **SUBSCRIPTION) == 0  # it went on past it
    ready = await running.get("/ready")
    assert ready.status_code == 200
    assert (ready.json()["ready"], ready.json()["status"]) == (True, "degraded")
    assert ready.json()["degraded"] == [f"parked:{HeldBack.name}"]
    assert ready.json()["parked_events"] == {HeldBack.name: 1}


async def test_a_scrape_while_the_database_is_away_answers_without_the_series_read_from_it(running):
    before = await scrape(running)
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    state = running.app.state
    reachable = state.pool
    state.pool = await asyncpg.create_pool(f"postgresql://nobody@127.0.0.1:{port}/education", min_size=0)
    try:
        found = await scrape(running)
    finally:
        await state.pool.close()
        state.pool = reachable

    assert "subscription_events_behind" not in found.samples
    assert "eventlog_head_position" not in found.samples
    assert found.value("eventlog_writer_queue_depth") == 0  # what the process knows is still there
    for collector in ("log_head", "subscriptions"):
        errors = found.value("metrics_scrape_errors_total", collector=collector)
        assert errors == before.value("metrics_scrape_errors_total", collector=collector) + 1


async def test_a_query_held_up_by_a_lock_is_cut_short_and_the_rest_still_answered(
    service_client, projection, pool
):
    # The service's own limits far beyond the test's bound: only the scrape's own can cut it short.
    patient = held_back_app(projection, database_lock_timeout=600, database_statement_timeout=600)
    async with service_client(patient) as client:
        before = await scrape(client)
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute("LOCK TABLE schools.subscription_checkpoints IN ACCESS EXCLUSIVE MODE")
            async with asyncio.timeout(30):  # a scraper gives up; so does this test
                found = await scrape(client)

    assert "subscription_events_behind" not in found.samples
    assert found.value("eventlog_head_position") == 0
    errors = found.value("metrics_scrape_errors_total", collector="subscriptions")
    assert errors == before.value("metrics_scrape_errors_total", collector="subscriptions") + 1
    assert found.value("metrics_scrape_errors_total", collector="log_head") == 0
