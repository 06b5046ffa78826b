"""A service's own read models and policies, built by its app factory as the running service
builds them, so a rebuild or a retry here runs exactly the code the service runs.

Run the command where the service runs (its container, with its settings): the app is built
with the environment's settings, and the version of the code must be the service's. Nothing is
served and no subscription or deadline job starts; only the log writer, which a policy appends
through when a retried event makes it react.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from shared.eventlog.store import EventStore
from shared.eventlog.subscriptions import Projection
from shared.migrations import REPO_ROOT
from shared.ops.connection import connected
from shared.ops.errors import Refused
from shared.services import ServiceSpec
from shared.settings import ServiceSettings


@dataclass(frozen=True)
class ServiceParts:
    pool: asyncpg.Pool
    projections: list[Projection]  # its read models and its policies, in the order it runs them

    @property
    def read_models(self) -> list[Projection]:
        """Those that keep tables: a policy appends events instead, and is never rebuilt."""
        return [p for p in self.projections if p.tables]


@asynccontextmanager
async def service_parts(spec: ServiceSpec, database_url: str) -> AsyncIterator[ServiceParts]:
    settings = ServiceSettings(database_url=database_url)
    app = _factory(spec)(settings)
    async with connected(database_url, settings.database_timeouts()) as pool:
        state = app.state
        state.pool = pool
        state.store = EventStore(
            pool, clock=state.clock.now, acquire_timeout=settings.database_acquire_timeout
        )
        state.store.start()
        try:
            yield ServiceParts(pool, list(state.projections()))
        finally:
            await state.store.close()


def _factory(spec: ServiceSpec):
    return service_code(spec, spec.app)


def service_code(spec: ServiceSpec, target: str):
    """``module:name`` from a service's code (its ``create_app``, as shared/services.py names it),
    imported by name as the event-log service imports the services' folds: shared/ never imports
    a service statically."""
    module_name, _, name = target.partition(":")
    folder = str(REPO_ROOT / "services" / spec.name)
    if importlib.util.find_spec(module_name.split(".")[0]) is None and folder not in sys.path:
        # Run from a checkout without PYTHONPATH (the image and scripts/run set it).
        sys.path.append(folder)
    try:
        return getattr(importlib.import_module(module_name), name)
    except ImportError as exc:
        raise Refused(f"cannot load the {spec.name} service's code ({target}): {exc}") from exc
