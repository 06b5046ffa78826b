"""Exports of the feed, a stream or a timeline as NDJSON or CSV, streamed page by page.

An export covers the log as it stood when it began (``X-Log-Position``), so it is a consistent
snapshot however long the download takes; memory stays flat however many events it holds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from shared.urn import UrnPath
from shared.web.audit import record_child_reads

from event_log.access import Reader
from event_log.api.answers import known_stream
from event_log.api.schemas import After, Categories, ChildId, EventTypes, Format, Subject
from event_log.queries.export_formats import ExportFormat, csv_header, csv_page, ndjson_page
from event_log.queries.pages import Selection, children_concerned, export_pages, head_position
from event_log.queries.timelines import child_timeline, school_timeline
from event_log.wiring import EventLog, EventLogDep

router = APIRouter(prefix="/exports", tags=["exports"])

EXPORT_RESPONSES = {
    200: {"content": {"application/x-ndjson": {}, "text/csv": {}}, "description": "the events, streamed"}
}


async def _export(
    request: Request,
    log: EventLog,
    selection: Selection,
    fmt: ExportFormat,
    name: str,
    *,
    after: int = 0,
    per_child_audit: bool = True,
) -> StreamingResponse:
    up_to = await head_position(log.pool)
    if per_child_audit:
        await record_child_reads(request, await children_concerned(log.pool, selection, up_to=up_to))

    async def body() -> AsyncIterator[bytes]:
        if fmt is ExportFormat.CSV:
            yield csv_header()
        write = ndjson_page if fmt is ExportFormat.NDJSON else csv_page
        async for rows in export_pages(log.pool, selection, up_to=up_to, after=after):
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
) -> StreamingResponse:
    selection = Selection(event_types=tuple(event_types), categories=tuple(categories), subject=subject)
    # Narrowed to one child or school it is a read of those children's records; unnarrowed it is
    # a bulk read of the log, audited by the caller's access log rather than child by child.
    return await _export(
        request, log, selection, fmt, f"feed-after-{after}", after=after, per_child_audit=subject is not None
    )


@router.get(
    "/streams/{stream_id}",
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
    summary="Export a stream",
)
async def stream(
    stream_id: str, request: Request, principal: Reader, log: EventLogDep, fmt: Format = ExportFormat.NDJSON
) -> StreamingResponse:
    await known_stream(log, stream_id)
    return await _export(request, log, Selection(stream_id=stream_id), fmt, f"stream-{stream_id}")


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
) -> StreamingResponse:
    selection = await child_timeline(log.pool, log.registry, child_id)
    return await _export(request, log, selection, fmt, f"child-{child_id}-timeline")


@router.get(
    "/schools/{urn}/timeline",
    response_class=StreamingResponse,
    responses=EXPORT_RESPONSES,
    summary="Export a school's timeline",
)
async def school(
    urn: UrnPath, request: Request, principal: Reader, log: EventLogDep, fmt: Format = ExportFormat.NDJSON
) -> StreamingResponse:
    selection = await school_timeline(log.pool, urn)
    return await _export(request, log, selection, fmt, f"school-{urn}-timeline")
