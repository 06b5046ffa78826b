"""Timelines: a child's history across every service, and a school's."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request

from shared.urn import UrnPath
from shared.web.audit import record_child_read

from event_log.access import CHILD_RECORD, LogAccess, Reader
from event_log.api.answers import event_page, personal_fields, record_children_shown, record_page_read
from event_log.api.schemas import ByPosition, Categories, ChildId, ChildTimeline, EventTypes, SchoolTimeline, Upcast
from event_log.queries.pages import read_page
from event_log.queries.timelines import child_timeline, school_timeline
from event_log.wiring import EventLogDep

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
    principal: Reader,
    log: EventLogDep,
    paging: ByPosition,
    upcast: Upcast = False,
) -> dict:
    access = LogAccess.of(principal)
    # The timeline, and its roll periods, are built from the child's own record.
    access.require_category(CHILD_RECORD, field="child_id")
    selection = await child_timeline(log.pool, log.registry, child_id)
    selection = replace(selection, categories=access.categories_to_read(()))
    await record_child_read(request, child_id)
    personal = personal_fields(access)
    events = await read_page(log.pool, selection, after=paging.after, limit=paging.fetch, personal=personal)
    await record_page_read(request, paging.on_page(events))
    return {
        "child_id": child_id,
        "roll_periods": [p.to_json() for p in selection.roll_periods],
        **event_page(log, paging, events, upcast=upcast, personal=personal),
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
    principal: Reader,
    log: EventLogDep,
    paging: ByPosition,
    event_types: EventTypes = [],  # noqa: B006 - FastAPI copies defaults
    categories: Categories = [],  # noqa: B006
    upcast: Upcast = False,
) -> dict:
    access = LogAccess.of(principal)
    selection = await school_timeline(
        log.pool, urn, event_types=tuple(event_types), categories=access.categories_to_read(categories)
    )
    personal = personal_fields(access)
    events = await read_page(log.pool, selection, after=paging.after, limit=paging.fetch, personal=personal)
    await record_page_read(request, paging.on_page(events))
    # Some of a school's events concern its children (a place, a PEP review): those are reads
    # of the children's records too.
    await record_children_shown(request, paging.on_page(events))
    return {"urn": urn, **event_page(log, paging, events, upcast=upcast, personal=personal)}
