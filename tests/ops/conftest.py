"""Fixtures for the operator command's tests (helpers in ops_support.py)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from schools.main import create_app

sys.path.insert(0, str(Path(__file__).parent))
from ops_support import Schools, run_ops  # noqa: E402


@pytest.fixture
def ops(capsys) -> Callable[..., Any]:
    return run_ops(capsys)


@pytest.fixture
def as_schools(service_database_url) -> list[str]:
    """Log in as the schools service's own role, as the command does in its container."""
    return ["--database-url", service_database_url("schools")]


@pytest.fixture
async def schools(service_client, auth) -> AsyncIterator[Schools]:
    async with service_client(create_app) as client:
        running = Schools(client, auth)
        await running.council()
        yield running
