"""The event catalogue: every event type of every service, with schema version and JSON Schema."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from shared.errors import NotFound

from event_log.access import Reader
from event_log.catalogue import catalogue, find_event
from event_log.wiring import EventLogDep

router = APIRouter(prefix="/catalogue", tags=["catalogue"])


@router.get("", summary="Every event type of every service, generated from the services' code")
async def all_events(principal: Reader, log: EventLogDep) -> dict[str, Any]:
    return catalogue(log.registry)


@router.get("/{event_type}", summary="One event type: its service, schema version and JSON Schema")
async def one_event(event_type: str, principal: Reader, log: EventLogDep) -> dict[str, Any]:
    entry = find_event(log.registry, event_type)
    if entry is None:
        raise NotFound(f"no service declares the event type {event_type}", field="event_type")
    return entry
