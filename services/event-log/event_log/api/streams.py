"""A stream's history: every event of one stream in version order, with both of its dates."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from shared.eventlog.records import stream_category

from event_log.access import LogAccess, Reader
from event_log.api.answers import (
    event_page,
    known_stream,
    personal_fields,
    record_children_shown,
    record_page_read,
)
from event_log.api.schemas import ByVersion, StreamHistory, Upcast, check_stream_id
from event_log.queries.pages import Selection, read_page
from event_log.wiring import EventLogDep

router = APIRouter(prefix="/streams", tags=["streams"])


@router.get(
    "/{stream_id}",
    response_model=StreamHistory,
    response_model_exclude_unset=True,
    summary="Every event of one stream",
)
async def stream_history(
    stream_id: str,
    request: Request,
    response: Response,
    principal: Reader,
    log: EventLogDep,
    paging: ByVersion,
    upcast: Upcast = False,
) -> dict:
    access = LogAccess.of(principal)
    # Refused before the stream is looked up, so an account cannot learn which streams exist in a
    # category it may not read.
    access.require_category(stream_category(check_stream_id(stream_id)), field="stream_id")
    version = await known_stream(log, stream_id)
    personal = personal_fields(access)
    events = await read_page(
        log.pool, Selection(stream_id=stream_id), after=paging.after, limit=paging.fetch, personal=personal
    )
    await record_page_read(request, paging.on_page(events))
    await record_children_shown(request, paging.on_page(events))
    response.headers["ETag"] = f'"{version}"'
    return {
        "stream_id": stream_id,
        "category": stream_category(stream_id),
        "version": version,
        **event_page(log, paging, events, upcast=upcast, personal=personal, by_version=True),
    }
