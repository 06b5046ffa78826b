"""Timelines: a child's history across every service, and a school's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.audit import record_child_read, record_child_reads
from shared.web.context import PoolDep

from event_log.access import READ
from event_log.api.deps import (
    After,
    Categories,
    ChildId,
    EventTypes,
    Limit,
    RegistryDep,
    Upcast,
    children_in,
    event_json,
)
from event_log.api.schemas import ChildTimeline, SchoolTimeline
from event_log.queries import read_page
from event_log.timelines import child_timeline, school_timeline

router = APIRouter(tags=["timelines"])


@router.get(
    "/children/{child_id}/timeline",
    response_model=ChildTimeline,
    response_model_exclude_unset=True,
    summary="A child's timeline: care, school places, PEPs, PP+, and their schools' events while on roll",
)
async def child(
    child_id: ChildId,
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    pool: PoolDep,
    registry: RegistryDep,
    after: After = 0,
    limit: Limit = 100,
    upcast: Upcast = False,
) -> dict:
    selection = await child_timeline(pool, registry, child_id)
    await record_child_read(request, child_id)
    events = await read_page(pool, selection, after=after, limit=limit)
    return {
        "child_id": child_id,
        "roll_periods": [p.to_json() for p in selection.roll_periods],
        "events": [event_json(e, registry, upcast=upcast) for e in events],
        "next_after": events[-1].position if events else after,
    }


@router.get(
    "/schools/{urn}/timeline",
    response_model=SchoolTimeline,
    response_model_exclude_unset=True,
    summary="A school's timeline: every event about the school, from every service",
)
async def school(
    urn: UrnPath,
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    pool: PoolDep,
    registry: RegistryDep,
    after: After = 0,
    limit: Limit = 100,
    event_types: EventTypes = [],  # noqa: B006 - FastAPI copies defaults
    categories: Categories = [],  # noqa: B006
    upcast: Upcast = False,
) -> dict:
    selection = await school_timeline(pool, urn, event_types=tuple(event_types), categories=tuple(categories))
    events = await read_page(pool, selection, after=after, limit=limit)
    # Some of a school's events concern its children (a place, a PEP review): those are reads
    # of the children's records too.
    await record_child_reads(request, children_in(events))
    return {
        "urn": urn,
        "events": [event_json(e, registry, upcast=upcast) for e in events],
        "next_after": events[-1].position if events else after,
    }
