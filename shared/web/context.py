"""What a handler needs from the request: who, when, and the ids that tie events together."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any

import asyncpg
import orjson
from fastapi import Depends, Request

from shared.errors import InvalidInput
from shared.eventlog.store import EventStore
from shared.security.access import authenticate
from shared.security.principal import Principal
from shared.web.middleware import request_ids

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


@dataclass(frozen=True)
class CommandContext:
    """The actor comes from the verified token only, never from the request body."""

    service: str
    principal: Principal
    request_id: str
    correlation_id: str
    now: datetime
    today: date
    idempotency_key: str | None = None
    if_match: int | None = None
    # What the request asked for (method, path, query, body): an Idempotency-Key reused for a
    # different request is refused by comparing these.
    request_fingerprint: bytes | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def metadata(self, *, causation_id: str | None = None) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "actor": self.principal.subject,
            "role": self.principal.role.value,
            "service": self.service,
            "request_id": self.request_id,
            "correlation_id": self.correlation_id,
        }
        if self.principal.urn:
            meta["actor_urn"] = self.principal.urn
        if causation_id:
            meta["causation_id"] = causation_id
        return meta

    def scoped_idempotency_key(self, operation: str) -> str | None:
        """The client's Idempotency-Key, scoped to this service, caller and operation, so two
        callers (or two operations) choosing the same key never collide."""
        if self.idempotency_key is None:
            return None
        return f"{self.service}:{self.principal.subject}:{operation}:{self.idempotency_key}"


async def command_context(request: Request) -> CommandContext:
    """The context of a write to one record: ``Idempotency-Key`` and ``If-Match`` are honoured
    (``ServiceLog.execute`` matches the record's version against ``If-Match``). The OpenAPI
    document declares both headers on every write that takes this context (shared/web/openapi.py)."""
    return await _context(request, versioned=True)


async def unversioned_command_context(request: Request) -> CommandContext:
    """The context of a write that changes no one record a caller could have read the version of
    (an import of the register, an operator's action on a parked event): ``Idempotency-Key`` is
    honoured, ``If-Match`` is not read. The OpenAPI document declares only the first."""
    return await _context(request, versioned=False)


async def _context(request: Request, *, versioned: bool) -> CommandContext:
    # Normally the route's access guard has already authenticated the caller; if a route lists
    # its context first, authenticating here still answers 401, never 500.
    principal = authenticate(request)
    key = request.headers.get("idempotency-key")
    if key is not None and not IDEMPOTENCY_KEY.match(key):
        raise InvalidInput(
            "Idempotency-Key must be 8 to 128 letters, digits or . _ : -", field="Idempotency-Key"
        )
    if_match = parse_if_match(request.headers.get("if-match")) if versioned else None
    clock = request.app.state.clock
    request_id, correlation_id = request_ids(request.scope)
    return CommandContext(
        service=request.app.state.service_name,
        principal=principal,
        request_id=request_id,
        correlation_id=correlation_id,
        now=clock.now(),
        today=clock.today(),
        idempotency_key=key,
        if_match=if_match,
        request_fingerprint=(
            request_fingerprint(request.method, request.url.path, request.url.query, await request.body())
            if key is not None
            else None
        ),
    )


def request_fingerprint(method: str, path: str, query: str, body: bytes) -> bytes:
    """A digest of what a request asks for. JSON bodies are compared by content, so a client that
    re-serialises its retry (other key order or spacing) is still sending the same request."""
    try:
        content = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS) if body else b""
    except orjson.JSONDecodeError:
        content = body
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), "&".join(sorted(query.split("&"))).encode()):
        digest.update(part + b"\n")
    digest.update(content)
    return digest.digest()


def parse_if_match(value: str | None) -> int | None:
    """ETags are the stream version in quotes: ``"7"`` (weak ``W/"7"`` is accepted too)."""
    if value is None:
        return None
    text = value.strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not text.isdigit():
        raise InvalidInput('If-Match must be an ETag returned by this service, e.g. "3"', field="If-Match")
    return int(text)


def get_store(request: Request) -> EventStore:
    return request.app.state.store


def get_pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


StoreDep = Annotated[EventStore, Depends(get_store)]
PoolDep = Annotated[asyncpg.Pool, Depends(get_pool)]
ContextDep = Annotated[CommandContext, Depends(command_context)]
UnversionedContextDep = Annotated[CommandContext, Depends(unversioned_command_context)]
