"""The event catalogue: every event type of every service, with schema version and JSON Schema."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from shared.errors import NotFound
from shared.security.principal import Principal

from event_log.access import READ
from event_log.api.deps import RegistryDep
from event_log.catalogue import catalogue, find_event

router = APIRouter(prefix="/catalogue", tags=["catalogue"])


@router.get("", summary="Every event type of every service, generated from the services' code")
async def all_events(principal: Annotated[Principal, Depends(READ)], registry: RegistryDep) -> dict[str, Any]:
    return catalogue(registry)


@router.get("/{event_type}", summary="One event type: its service, schema version and JSON Schema")
async def one_event(
    event_type: str, principal: Annotated[Principal, Depends(READ)], registry: RegistryDep
) -> dict[str, Any]:
    entry = find_event(registry, event_type)
    if entry is None:
        raise NotFound(f"no service declares the event type {event_type}", field="event_type")
    return entry
