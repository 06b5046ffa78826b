"""Fixtures of the event-log API tests: the app (with the tests' own ledger aggregate) and a
writer on the same database whose recording times follow the test clock."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import pytest

from shared.eventlog.store import EventStore

sys.path.insert(0, str(Path(__file__).parent))
from eventlog_api_support import event_log_app, real_server  # noqa: E402


@pytest.fixture
async def log(pool, clock):
    """Appends as the services would, recorded at the test clock's time."""
    writer = EventStore(pool, clock=clock.now)
    writer.start()
    yield writer
    await writer.close()


@pytest.fixture
async def client(service_client):
    async with service_client(event_log_app()) as http:
        yield http


@pytest.fixture
def served(service_client, service_database_url, clock, monkeypatch):
    """``async with served() as base_url:`` - the app behind a real uvicorn server, for streaming,
    logged in as the event-log service's own role. (Asking for ``service_client`` gives it the
    same test environment.)"""

    @contextlib.asynccontextmanager
    async def run():
        with monkeypatch.context() as env:
            env.setenv("DATABASE_URL", service_database_url("event-log"))
            app = event_log_app()()
        app.state.clock = clock
        async with real_server(app) as base_url:
            yield base_url

    return run
