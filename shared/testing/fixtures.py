"""Pytest fixtures: every database test runs on a real PostgreSQL.

With ``DATABASE_URL`` set, tests use that server; otherwise the run starts ONE embedded
PostgreSQL 16 (the ``pgserver`` package) before any xdist worker exists (``pytest_configure``
in the controller process) and exports its URL as ``DATABASE_URL``, which the workers, spawned
afterwards, inherit. One process starting one server cannot race: when several workers each
started their own as root, they all created pgserver's system user at once and one failed.

Each worker applies all migrations once to a template database of its own (its name carries
the worker's pid), and each test gets a fresh copy of it (``CREATE DATABASE ... TEMPLATE``),
so tests never see each other's events. Roles are cluster-wide, so the migrations create them
race-safely: two workers migrate two databases of one cluster at once.

``pool`` and ``store`` connect as the owner (tests of the log library, which set up and inspect
anything); ``service_client`` runs a service's app as that service's own login role, exactly as
deployed, so a privilege a service lacks fails its tests.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx
import pytest

from shared.clock import FixedClock
from shared.eventlog.store import EventStore, init_connection
from shared.migrations import asyncpg_url, upgrade_all, url_for_role
from shared.security.mint import ensure_dev_keys, mint_token
from shared.services import SERVICES, ServiceSpec, all_migrations
from shared.services import service as service_spec
from shared.testing.documented import answers_as_documented, headers_as_documented
from shared.web.problem_types import catalogued

TEST_ISSUER = "https://identity.council.example/dev"
TEST_AUDIENCE = "education-services"


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, parts.fragment))


# -- one PostgreSQL for the whole run --------------------------------------------------------------

_EMBEDDED_SERVER = pytest.StashKey[object]()
# The run's server, as this process saw it at start-up (tests may monkeypatch DATABASE_URL later).
_RUN_DATABASE_URL = pytest.StashKey[str]()
_RUN_SYSTEM_IDENTIFIER = pytest.StashKey[int]()
# What the controller tells each xdist worker (``workerinput``): the run's server.
WORKER_DATABASE_URL = "edu_database_url"
WORKER_SYSTEM_IDENTIFIER = "edu_database_system_identifier"


def _is_xdist_worker(config: pytest.Config) -> bool:
    return hasattr(config, "workerinput")


async def system_identifier(url: str) -> int:
    """The cluster's unique id (from ``pg_control_system()``): equal ids, one server."""
    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        return int(await conn.fetchval("SELECT system_identifier FROM pg_control_system()"))
    finally:
        await conn.close()


def pytest_configure(config: pytest.Config) -> None:
    """In the controller (or a run without xdist): start the run's embedded PostgreSQL, unless
    the user gave ``DATABASE_URL``, and export its URL for the workers to inherit."""
    if config.option.help:
        return
    if not _is_xdist_worker(config) and not os.environ.get("DATABASE_URL"):
        _start_embedded_postgres(config)
    if os.environ.get("DATABASE_URL"):
        config.stash[_RUN_DATABASE_URL] = os.environ["DATABASE_URL"]


def _start_embedded_postgres(config: pytest.Config) -> None:
    import pgserver

    # Not under pytest's numbered temp folders: pytest prunes old ones, which would pull the
    # data directory from under a server still in use by another test session on this machine.
    data_dir = tempfile.mkdtemp(prefix="edu-test-pg-")
    server = pgserver.get_server(data_dir, cleanup_mode="delete")
    config.stash[_EMBEDDED_SERVER] = server
    os.environ["DATABASE_URL"] = server.get_uri()
    config.stash[_RUN_SYSTEM_IDENTIFIER] = asyncio.run(system_identifier(server.get_uri()))


def pytest_unconfigure(config: pytest.Config) -> None:
    server = config.stash.get(_EMBEDDED_SERVER, None)
    if server is None:
        return
    del config.stash[_EMBEDDED_SERVER]
    os.environ.pop("DATABASE_URL", None)
    server.cleanup()  # stops it and deletes its data directory


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """xdist, in the controller, before a worker starts: tell it which server the run uses, so
    a worker that somehow got another one fails loudly instead of racing for its own."""
    url = node.config.stash.get(_RUN_DATABASE_URL, None)
    if url:
        node.workerinput[WORKER_DATABASE_URL] = url
    if _RUN_SYSTEM_IDENTIFIER in node.config.stash:
        node.workerinput[WORKER_SYSTEM_IDENTIFIER] = node.config.stash[_RUN_SYSTEM_IDENTIFIER]


@pytest.fixture(scope="session")
def postgres_url(pytestconfig: pytest.Config) -> str:
    """A server URL whose database we can connect to for administration: the run's one server
    (the user's ``DATABASE_URL``, or the embedded one ``pytest_configure`` started)."""
    configured = pytestconfig.stash.get(_RUN_DATABASE_URL, None)
    if not configured:
        raise RuntimeError(
            "DATABASE_URL is not set: the test plugin starts the run's PostgreSQL in pytest_configure; "
            "is shared.testing.fixtures loaded as a plugin (conftest.py's pytest_plugins)?"
        )
    announced = getattr(pytestconfig, "workerinput", {}).get(WORKER_DATABASE_URL)
    if announced is not None and announced != configured:
        raise RuntimeError(f"this worker's DATABASE_URL {configured!r} is not the run's {announced!r}")
    return asyncpg_url(configured)


@pytest.fixture(scope="session")
def template_database(postgres_url: str) -> str:
    name = f"edu_template_{os.getpid()}"

    async def create() -> None:
        conn = await asyncpg.connect(postgres_url)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    upgrade_all(all_migrations(), with_database(postgres_url, name))
    return name


@asynccontextmanager
async def fresh_database(postgres_url: str, template_database: str) -> AsyncIterator[str]:
    """A database of its own, every migration applied (copied from the template), dropped after."""
    name = f"edu_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}"')
    finally:
        await admin.close()
    try:
        yield with_database(postgres_url, name)
    finally:
        admin = await asyncpg.connect(postgres_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


@pytest.fixture
async def database_url(postgres_url: str, template_database: str) -> AsyncIterator[str]:
    async with fresh_database(postgres_url, template_database) as url:
        yield url


@pytest.fixture
async def pool(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    p = await asyncpg.create_pool(database_url, min_size=1, max_size=12, init=init_connection)
    yield p
    await p.close()


@pytest.fixture
async def store(pool: asyncpg.Pool) -> AsyncIterator[EventStore]:
    s = EventStore(pool)
    s.start()
    yield s
    await s.close()


@pytest.fixture(scope="session")
def signing_keys() -> tuple[Path, Path]:
    """A key pair of this test session's own (never the developer's .dev/keys)."""
    return ensure_dev_keys(Path(tempfile.mkdtemp(prefix="edu-test-keys-")))


@pytest.fixture(scope="session")
def signing_key(signing_keys: tuple[Path, Path]) -> bytes:
    return signing_keys[0].read_bytes()


@pytest.fixture
def token(signing_key: bytes) -> Callable[..., str]:
    """``token("virtual_school_head")``, ``token("designated_teacher", urn="118000")``..."""

    def make(role: str, *, sub: str | None = None, urn: str | None = None, scopes: list[str] | None = None,
             lifetime_seconds: int = 3600) -> str:
        return mint_token(
            role=role,
            subject=sub or f"{role}-tester",
            issuer=TEST_ISSUER,
            audience=TEST_AUDIENCE,
            private_key=signing_key,
            urn=urn,
            scopes=scopes,
            lifetime_seconds=lifetime_seconds,
        )

    return make


@pytest.fixture
def auth(token: Callable[..., str]) -> Callable[..., dict[str, str]]:
    """Headers for a role: ``auth("auditor")`` -> ``{"Authorization": "Bearer ..."}``."""

    def make(role: str, **kwargs) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(role, **kwargs)}"}

    return make


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc))


def service_of_factory(create_app: Callable[..., object]) -> ServiceSpec | None:
    """The deployed service an app factory belongs to (``pep.main.create_app``, or a
    ``functools.partial`` of it), by its module; None for a test's own app."""
    factory = create_app
    while hasattr(factory, "func"):  # functools.partial
        factory = factory.func
    module = getattr(factory, "__module__", "") or ""
    for spec in SERVICES:
        if module == spec.app.split(":")[0]:
            return spec
    return None


@pytest.fixture
def service_database_url(database_url: str) -> Callable[[str], str]:
    """``service_database_url("pep")``: the test's database, logged in as that service's role
    (the embedded server trusts local connections, so no password)."""

    def url(name: str) -> str:
        return url_for_role(database_url, service_spec(name).db_role)

    return url


@pytest.fixture
def service_client(
    database_url: str,
    service_database_url: Callable[[str], str],
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
    signing_keys: tuple[Path, Path],
):
    """``async with service_client(create_app) as client:`` - the app running its lifespan on the
    test's database, called in-process through httpx, with the fixed test clock.

    A service's app logs in as that service's own role (``pep_service`` for ``pep.main``'s
    factory, or a ``functools.partial`` of it; ``service="pep"`` names it for any other factory),
    so it has exactly the privileges it has in production. An app built by a test's own factory
    (the shared web layer's test apps, which may use tables the test created) runs as the owner.
    DATABASE_URL stays the owner's outside ``running``."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("DEV_PUBLIC_KEY_PATH", str(signing_keys[1]))
    monkeypatch.setenv("SUBSCRIPTION_POLL_SECONDS", "0.05")
    monkeypatch.setenv("SCHEDULER_INTERVAL_SECONDS", "3600")

    def build(create_app: Callable[[], object], spec: ServiceSpec | None):
        # Settings are read when the app is built: set the role's URL just for that.
        with monkeypatch.context() as env:
            env.setenv("DATABASE_URL", service_database_url(spec.name) if spec else database_url)
            return create_app()

    @asynccontextmanager
    async def running(
        create_app: Callable[[], object], *, service: str | None = None, parks_events: bool = False
    ) -> AsyncIterator[httpx.AsyncClient]:
        spec = service_spec(service) if service else service_of_factory(create_app)
        app = build(create_app, spec)
        name = getattr(app.state, "service_name", None)
        if spec is not None and name != spec.name:
            raise AssertionError(f"the app is {name!r}, not the {spec.name!r} service")
        # A deployed service's answers are held to its OpenAPI document; a test's own app (even one
        # named as a service, to log in as its role) documents only what the test needs.
        documented = service_of_factory(create_app) is not None
        async with in_process(app, clock, parks_events=parks_events, documented=documented) as client:
            yield client

    return running


def _as_documented(app) -> list:
    return [answers_as_documented(app), headers_as_documented(app)]


@asynccontextmanager
async def in_process(
    app, clock: FixedClock, *, parks_events: bool = False, documented: bool = False
) -> AsyncIterator[httpx.AsyncClient]:
    """An app running its lifespan with the test clock, called in-process through httpx; the
    client carries the app as ``client.app``.

    A read model or policy that fails on an event parks it and carries on, which a test's own
    assertions may never notice: unless the test says the app ``parks_events`` on purpose, any
    event parked while it ran fails the test, naming the subscription, the event and the error.

    Likewise every problem (``application/problem+json``) the app answers is checked against the
    problem catalogue: a ``type`` that is not catalogued, or catalogued with another status, fails
    the test there and then, naming the route and the body. For a ``documented`` app (a deployed
    service), so is every write's success status, and every success answer's ``ETag`` and
    ``Log-Position``, against the app's OpenAPI document (shared/testing/documented.py)."""
    app.state.clock = clock
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport,
            base_url="http://testserver",
            event_hooks={"response": [_catalogued_problem, *(_as_documented(app) if documented else [])]},
        ) as client:
            client.app = app  # type: ignore[attr-defined]
            yield client
        if not parks_events:
            await _no_events_parked(app)


async def _catalogued_problem(response: httpx.Response) -> None:
    """An httpx response hook: a problem outside the catalogue fails the test."""
    if not response.headers.get("content-type", "").startswith("application/problem+json"):
        return
    await response.aread()
    route = f"{response.request.method} {response.request.url.path}"
    try:
        body = json.loads(response.content)
    except ValueError:
        raise AssertionError(f"{route} answered {response.status_code} with a problem that is not JSON: "
                             f"{response.text!r}") from None
    if not isinstance(body, dict):
        raise AssertionError(f"{route} answered {response.status_code} with a problem that is not an object: {body!r}")
    if body.get("status") != response.status_code:
        raise AssertionError(f"{route} answered {response.status_code} with a problem saying status "
                             f"{body.get('status')!r}: {body}")
    why = catalogued(body.get("type"), response.status_code)
    if why is not None:
        raise AssertionError(
            f"{route} answered {response.status_code} with a problem outside the catalogue "
            f"(shared/web/problem_types.py): {why}. Body: {body}"
        )


async def _no_events_parked(app) -> None:
    schema = getattr(app.state, "dead_letter_schema", None)
    if schema is None:
        return
    async with app.state.pool.acquire() as conn:
        parked = await conn.fetch(
            f'SELECT subscription, position, event_type, error FROM "{schema}".dead_letters '
            "WHERE status = 'parked' ORDER BY id"
        )
    if parked:
        raise AssertionError(
            "events were parked while the app ran: "
            + "; ".join(f"{r['subscription']} at {r['position']} ({r['event_type']}): {r['error']}" for r in parked)
        )


async def settle(app) -> None:
    """Wait until every subscription of an app has applied everything in the log."""
    for subscription in app.state.subscriptions:
        await subscription.catch_up()


def repo_path(*parts: str) -> Path:
    return Path(__file__).resolve().parents[2].joinpath(*parts)
