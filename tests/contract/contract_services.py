"""The services as Schemathesis sees them: each one's OpenAPI document, and each one running.

The documents are read when the tests are collected, from apps built but not started (an app
touches no database until its lifespan runs), so every operation becomes a test of its own. The
app the requests reach is built again when the first operation of its service runs, on a
database of its own, with the fixed test clock; Schemathesis runs its lifespan on the event loop
it sends every in-process ASGI request on.
"""

from __future__ import annotations

import asyncio
import importlib
import tempfile
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path

import asyncpg
import schemathesis
from fastapi import FastAPI
from schemathesis.python import asgi

from shared.clock import FixedClock
from shared.migrations import url_for_role
from shared.security.mint import ensure_dev_keys, mint_token
from shared.services import SERVICES, ServiceSpec, service
from shared.settings import settings_from
from shared.testing.fixtures import TEST_AUDIENCE, TEST_ISSUER, with_database

from contract_callers import ContractCaller, authorization_headers, callers_by_operation
from contract_fuzzing import reporting_config

# The same instant as the ``clock`` fixture of the other service tests.
CONTRACT_NOW = datetime(2026, 11, 2, 10, 0, tzinfo=timezone.utc)


def create_app(spec: ServiceSpec) -> FastAPI:
    module_name, factory = spec.app.split(":")
    return getattr(importlib.import_module(module_name), factory)()


@cache
def documented_schemas() -> dict[str, schemathesis.BaseSchema]:
    """Each service's OpenAPI document (as its app serves it at /openapi.json), by service
    name, read from an app that is built but not started."""
    schemas = {}
    not_started = "postgresql://documents-are-read-apps-are-not-started/none"
    # An app needs a token key to be built: a throwaway pair, never the developer's .dev/keys
    # (which a fresh checkout in CI does not have).
    _, public_key = ensure_dev_keys(Path(tempfile.mkdtemp(prefix="edu-contract-keys-")))
    with settings_from(DATABASE_URL=not_started, ENVIRONMENT="test", DEV_PUBLIC_KEY_PATH=str(public_key)):
        for spec in SERVICES:
            schemas[spec.name] = schemathesis.openapi.from_dict(create_app(spec).openapi())
    return schemas


def documented_operations() -> list[tuple[str, str, str]]:
    """``(service, METHOD, path)`` for every operation of every document, in document order."""
    found = []
    for name, schema in documented_schemas().items():
        for result in schema.get_all_operations():
            operation = result.ok()  # a document FastAPI wrote is well-formed; fail loudly if not
            found.append((name, operation.method.upper(), operation.path))
    return found


class FirstStreamMessage:
    """The app, but a server-sent-events stream ends after its first message.

    A stream (the event feed's ``/feed/events``) never ends on its own, and waiting a while for
    it would make the test depend on timing. Its status, its headers and its first message say
    whether the request was accepted; what follows is the feed's own tests' business. Other
    answers pass through untouched, and so does the lifespan.
    """

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        streaming = ended = False

        async def send_until_first_message(message) -> None:
            nonlocal streaming, ended
            if ended:
                return  # the caller has hung up; the app learns it from receive()
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                streaming = content_type.startswith(b"text/event-stream")
            elif message["type"] == "http.response.body" and streaming and message.get("more_body", False):
                ended = True
                message = {**message, "more_body": False}
            await send(message)

        await self.app(scope, receive, send_until_first_message)


@dataclass
class RunningService:
    spec: ServiceSpec
    app: FirstStreamMessage
    schema: schemathesis.BaseSchema  # as the running app serves it, bound to the app
    database: str
    callers: dict[tuple[str, str], ContractCaller | None]
    headers: dict[tuple[str, str], dict[str, str]]

    def operation(self, method: str, path: str) -> schemathesis.APIOperation:
        return self.schema[path][method]


@dataclass
class FuzzedServices:
    """Starts a service the first time one of its operations is fuzzed, on a fresh database,
    and stops it (dropping the database) before the next service starts: no state is shared
    between services, while the operations of one service see each other's writes."""

    postgres_url: str
    template_database: str
    public_key_path: str
    private_key: bytes
    current: RunningService | None = None

    def running(self, name: str) -> RunningService:
        if self.current is None or self.current.spec.name != name:
            self.stop()
            self.current = self._start(service(name))
        return self.current

    def _start(self, spec: ServiceSpec) -> RunningService:
        database = f"edu_contract_{uuid.uuid4().hex[:12]}"
        asyncio.run(self._admin(f'CREATE DATABASE "{database}" TEMPLATE "{self.template_database}"'))
        with settings_from(
            # The service's own database role, as in production: fuzzing as the owner could
            # pass where the service lacks a privilege it needs.
            DATABASE_URL=url_for_role(with_database(self.postgres_url, database), spec.db_role),
            ENVIRONMENT="test",
            DEV_PUBLIC_KEY_PATH=self.public_key_path,
            SUBSCRIPTION_POLL_SECONDS="0.05",
            SCHEDULER_INTERVAL_SECONDS="3600",
            # Every fuzzed write of a role comes from one caller: the per-caller write limit
            # would turn most of them into 429s and hide the handlers behind it.
            WRITE_RATE_PER_MINUTE="1000000",
        ):
            app = create_app(spec)
        app.state.clock = FixedClock(CONTRACT_NOW)
        served = FirstStreamMessage(app)
        # Loading the document through the app starts the app's lifespan on Schemathesis' loop.
        schema = schemathesis.openapi.from_asgi("/openapi.json", served, config=reporting_config())
        assert schema.raw_schema == documented_schemas()[spec.name].raw_schema, (
            f"{spec.name} serves another OpenAPI document than the one its tests were collected from"
        )
        callers = callers_by_operation(app)
        return RunningService(
            spec, served, schema, database, callers, authorization_headers(callers, self._mint)
        )

    def stop(self) -> None:
        if self.current is None:
            return
        # The lifespan runs on Schemathesis' loop: end it before its database goes. (Its pytest
        # plugin also ends every lifespan after each test; the next request starts it again.)
        asgi.shutdown_lifespans()
        asyncio.run(self._admin(f'DROP DATABASE IF EXISTS "{self.current.database}" WITH (FORCE)'))
        self.current = None

    def _mint(self, caller: ContractCaller) -> str:
        return mint_token(
            role=caller.role,
            subject=caller.subject,
            issuer=TEST_ISSUER,
            audience=TEST_AUDIENCE,
            private_key=self.private_key,
            urn=caller.urn,
            scopes=list(caller.scopes) or None,
            # Long enough for the slowest run; each service mints afresh when it starts.
            lifetime_seconds=4 * 3600,
        )

    async def _admin(self, statement: str) -> None:
        conn = await asyncpg.connect(self.postgres_url)
        try:
            await conn.execute(statement)
        finally:
            await conn.close()
