"""Rules every handler shares: new ids that survive a retried request, the school a record is
about, how idempotency keys are scoped, and the context of appends made by the service itself
(policies, deadlines)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.errors import NotFound
from shared.eventlog.records import RecordedEvent
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.web.context import CommandContext
from notices.wiring import Notices


async def new_id(
    notices: Notices,
    ctx: CommandContext,
    operation: str,
    earlier_id: Callable[[RecordedEvent], str] = lambda r: r.stream_id.split("-", 1)[1],
) -> str:
    """A fresh id - or, for a retry of a request that already succeeded (same Idempotency-Key),
    the id the first attempt created, so the retry answers with the same record."""
    key = ctx.scoped_idempotency_key(operation)
    if key is not None:
        earlier = await notices.log.store.recorded_for_key(key, request_fingerprint=ctx.request_fingerprint)
        if earlier:
            return earlier_id(earlier[0])
    return uuid.uuid4().hex


def operation_on(command: Any, record_id: str) -> str:
    """Idempotency keys are scoped to the operation and the record it acts on."""
    return f"{type(command).__name__}:{record_id}"


async def school_of_record(notices: Notices, stream_id: str, field: str, what: str) -> str:
    """The URN of the school a record is about, as its stream's first event names it (every
    stream's first event names its school); a stream with no events is a record that does not
    exist."""
    records = await notices.log.store.read_stream(stream_id, up_to_version=1)
    if not records:
        identifier = stream_id.split("-", 1)[1]
        raise NotFound(f"There is no {what} {identifier}.", field=field)
    return records[0].data["urn"]


@dataclass(frozen=True)
class ServiceContext(CommandContext):
    """The context of an append the service makes on its own: the actor is the service, and
    ``causation`` names the event (log position) or deadline that caused it."""

    causation: str | None = None

    def metadata(self, *, causation_id: str | None = None) -> dict[str, Any]:
        return super().metadata(causation_id=causation_id or self.causation)


def service_context(
    notices: Notices,
    actor: str,
    idempotency_key: str,
    *,
    causation: str | None = None,
    correlation_id: str | None = None,
) -> ServiceContext:
    request_id = f"{actor}:{idempotency_key}"
    return ServiceContext(
        service="notices",
        principal=Principal(subject=actor, role=Role.SERVICE, scopes=frozenset({"notices:write"})),
        request_id=request_id,
        correlation_id=correlation_id or request_id,
        now=notices.clock.now(),
        today=notices.today(),
        idempotency_key=idempotency_key,
        causation=causation,
    )
