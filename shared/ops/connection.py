"""Which database the operator command connects to, and as whom.

``--database-url``, else ``DATABASE_URL`` (a service's own role, in its container), else
``MIGRATION_DATABASE_URL`` (the owner, in the migrate step's). The URL's password is never
printed: messages name the server, the database and the role only.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import asyncpg

from shared.database import DatabaseTimeouts, open_pool
from shared.ops.errors import Refused, reason
from shared.services import SERVICES, ServiceSpec, service

URL_VARIABLES = ("DATABASE_URL", "MIGRATION_DATABASE_URL")
# Enough for a rebuild or a retry beside the log writer a policy appends through.
POOL_SIZE = 4


def database_url(given: str | None, environ: Mapping[str, str] = os.environ) -> str:
    if given:
        return given
    for variable in URL_VARIABLES:
        if environ.get(variable):
            return environ[variable]
    raise Refused(
        "no database to connect to: set DATABASE_URL (or MIGRATION_DATABASE_URL), or give --database-url"
    )


def described(url: str) -> str:
    """``pep_service on db.council.internal:5432, database education``: the URL without its password."""
    parts = urlsplit(url)
    role = parts.username or "the default role"
    server = parts.hostname or "the local socket"
    if parts.port:
        server += f":{parts.port}"
    database = parts.path.lstrip("/")
    return f"{role} on {server}" + (f", database {database}" if database else "")


@asynccontextmanager
async def connected(url: str, timeouts: DatabaseTimeouts = DatabaseTimeouts()) -> AsyncIterator[asyncpg.Pool]:
    """A small pool with the services' own connection settings and limits."""
    try:
        pool = await open_pool(url, min_size=1, max_size=POOL_SIZE, timeouts=timeouts)
    except Exception as exc:
        raise Refused(f"could not connect as {described(url)}: {reason(exc)}") from exc
    try:
        yield pool
    finally:
        await pool.close()


def named_service(name: str) -> ServiceSpec:
    try:
        return service(name)
    except KeyError:
        raise Refused(
            f"there is no service called {name!r}: the services are " + ", ".join(s.name for s in SERVICES)
        ) from None


def service_with_read_models(name: str) -> ServiceSpec:
    """A service that keeps read models (and so checkpoints and dead letters) in a schema of its own."""
    spec = named_service(name)
    if spec.schema is None:
        keeping = ", ".join(s.name for s in SERVICES if s.schema is not None)
        raise Refused(
            f"{spec.name} keeps no read models and parks no events: the services that do are {keeping}"
        )
    return spec


def services_with_read_models(name: str | None) -> list[ServiceSpec]:
    """The one named, or every service with read models."""
    if name is not None:
        return [service_with_read_models(name)]
    return [s for s in SERVICES if s.schema is not None]
