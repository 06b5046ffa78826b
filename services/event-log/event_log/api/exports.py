"""Exports of the feed, a stream or a timeline as NDJSON or CSV, streamed page by page.

An export covers the log as it stood when it began (``X-Log-Position``), so it is a consistent
snapshot however long the download takes; memory stays flat however many events it holds. It is
what the same reader's pages would show, event for event: the same categories, and personal
fields opened or withheld alike. An auditor may ask for the stored form instead (``stored=true``),
the sealed envelopes the hash chain covers, to check the chain with nothing but the export.

What the export holds (its range of positions, how many events, the children among them) is
recorded as a bulk read before the first byte goes out, and, for a person, each child in an
export narrowed to a child, a school or a stream as a read of that child's record.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from shared.errors import Forbidden
from shared.eventlog.records import stream_category
from shared.urn import UrnPath
from shared.web.audit import record_child_reads

from event_log.access import CHILD_RECORD, LogAccess, Reader
from event_log.api.answers import known_stream, personal_fields, record_events_read
from event_log.api.schemas import (
    After,
    Categories,
    ChildId,
    EventTypes,
    Format,
    StoredForm,
    Subject,
    check_stream_id,
)
from event_log.queries.events import PersonalFields
from event_log.queries.export_formats import ExportFormat, csv_header, csv_page, ndjson_page
from event_log.queries.pages import Selection, events_read, export_pages, head_position
from event_log.queries.timelines import child_timeline, school_timeline
from event_log.wiring import EventLog, EventLogDep

router = APIRouter(prefix="/exports", tags=["exports"])

EXPORT_RESPONSES = {
    200: {"content": {"application/x-ndjson": {}, "text/csv": {}}, "description": "the events, streamed"}
}


def _personal(access: LogAccess, stored: bool) -> PersonalFields:
    if not stored:
        return personal_fields(access)
    if not access.stored_form:
        raise Forbidden(
            "only auditors export the stored form (personal fields sealed, as the hash covers them); "
            "leave stored out to export the events as your pages show them",
            field="stored",
        )
    return PersonalFields.STORED


async def _export(
    request: Request,
    log: EventLog,
    selection: Selection,
    fmt: ExportFormat,
    name: str,
    *,
    personal: PersonalFields,
    after: int = 0,
    per_child_audit: bool = True,
) -> StreamingResponse:
    up_to = await head_position(log.pool)
    held = await events_read(log.pool, selection, up_to=up_to, after=after)
    await record_events_read(request, held)
    if per_child_audit:
        await record_child_reads(request, held.child_ids)

    async def body() -> AsyncIterator[bytes]:
        if fmt is ExportFormat.CSV:
            yield csv_header()
        write = ndjson_page if fmt is ExportFormat.NDJSON else csv_page
        async for rows in export_pages(log.pool, selection, up_to=up_to, after=after, personal=personal):
            yield write(rows)

    return StreamingResponse(
        body(),
        media_type=fmt.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{fmt.value}"',
            "X-Log-Position": str(up_to),
        },
    )


@router.get("/feed", response_class=StreamingResponse, responses=EXPORT_RESPONSES, summary="Export the feed")
async def feed(
    request: Request,
    principal: Reader,
    log: EventLogDep,
    fmt: Format = ExportFormat.NDJSON,
    after: After = 0,
    event_types: EventTypes = [],  # noqa: B006 - FastAPI copies defaults
    categories: Categories = [],  # noqa: B006
    subject: Subject = None,
    stored: StoredForm = False,
) -> StreamingResponse:
    access = LogAccess.of(principal)
    selection = Selection(
        event_types=tuple(event_types), categories=access.categories_to_read(categories), subject=subject
    )
    # Narrowed to one child or school it is a read of those children's records too; unnarrowed
    # it is a bulk read of the log, recorded with the children it holds.
    return await _export(
        request,
        log,
        selection,
        fmt,
        f"feed-after-{after}",
        personal=_personal(access, stored),
        after=after,
        per_child_audit=subject is not None,
    )


@router.get(
    "/streams/{stream_id}",
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
    summary="Export a stream",
)
async def stream(
    stream_id: str,
    request: Request,
    principal: Reader,
    log: EventLogDep,
    fmt: Format = ExportFormat.NDJSON,
    stored: StoredForm = False,
) -> StreamingResponse:
    access = LogAccess.of(principal)
    access.require_category(stream_category(check_stream_id(stream_id)), field="stream_id")
    personal = _personal(access, stored)
    await known_stream(log, stream_id)
    return await _export(
        request, log, Selection(stream_id=stream_id), fmt, f"stream-{stream_id}", personal=personal
    )


@router.get(
    "/children/{child_id}/timeline",
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
    summary="Export a child's timeline",
)
async def child(
    child_id: ChildId,
    request: Request,
    principal: Reader,
    log: EventLogDep,
    fmt: Format = ExportFormat.NDJSON,
    stored: StoredForm = False,
) -> StreamingResponse:
    access = LogAccess.of(principal)
    access.require_category(CHILD_RECORD, field="child_id")
    personal = _personal(access, stored)
    selection = await child_timeline(log.pool, log.registry, child_id)
    selection = replace(selection, categories=access.categories_to_read(()))
    return await _export(request, log, selection, fmt, f"child-{child_id}-timeline", personal=personal)


@router.get(
    "/schools/{urn}/timeline",
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
    summary="Export a school's timeline",
)
async def school(
    urn: UrnPath,
    request: Request,
    principal: Reader,
    log: EventLogDep,
    fmt: Format = ExportFormat.NDJSON,
    stored: StoredForm = False,
) -> StreamingResponse:
    access = LogAccess.of(principal)
    personal = _personal(access, stored)
    selection = await school_timeline(log.pool, urn, categories=access.categories_to_read(()))
    return await _export(request, log, selection, fmt, f"school-{urn}-timeline", personal=personal)
