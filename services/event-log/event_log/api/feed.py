"""The feed: every event in log order, for other council systems and auditors to follow.

A follower keeps the last position it processed and asks for what comes after it. Three ways:
a plain page; the same page held open (``wait``) until something arrives; or a server-sent-events
stream that pushes each event as it is appended. All three are woken by the log's notification,
so a new event reaches a waiting follower within a second without anyone polling hard. When the
service stops, a waiting page answers with what it has and a stream ends after its current event.

Every answer is recorded as a bulk read before it goes out (``shared.web.audit``): a page, even
an empty one; a stream when it opens and then each batch of events it sends. A reader gets the
categories and the personal fields its access gives (``event_log.access.LogAccess``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Request
from fastapi.responses import StreamingResponse

from shared.eventlog.records import RecordedEvent
from shared.web.audit import record_child_reads

from event_log.access import LogAccess, Reader
from event_log.api.answers import event_page, personal_fields, record_events_read, record_page_read
from event_log.api.schemas import After, ByPosition, Categories, EventTypes, FeedPage, Subject, Upcast, Wait
from event_log.follow import POLL_SECONDS
from event_log.queries.events import child_of, event_json
from event_log.queries.pages import EventsRead, Selection, head_position, read_page
from event_log.wiring import EventLogDep

router = APIRouter(prefix="/feed", tags=["feed"])

HEARTBEAT_SECONDS = 15.0
STREAM_PAGE = 500


@router.get(
    "",
    response_model=FeedPage,
    response_model_exclude_unset=True,
    summary="Events after a position, in log order",
)
async def feed(
    request: Request,
    principal: Reader,
    log: EventLogDep,
    paging: ByPosition,
    event_types: EventTypes = [],  # noqa: B006 - FastAPI copies defaults
    categories: Categories = [],  # noqa: B006
    subject: Subject = None,
    wait: Wait = 0,
    upcast: Upcast = False,
) -> dict:
    access = LogAccess.of(principal)
    personal = personal_fields(access)
    selection = Selection(
        event_types=tuple(event_types), categories=access.categories_to_read(categories), subject=subject
    )
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        generation = log.watcher.generation()
        events = await read_page(
            log.pool, selection, after=paging.after, limit=paging.fetch, personal=personal
        )
        remaining = deadline - loop.time()
        if events or remaining <= 0 or log.watcher.closed:
            break
        await log.watcher.wait(generation, min(POLL_SECONDS, remaining))
    await record_page_read(request, paging.on_page(events))
    if (child := child_of(subject)) is not None and events:
        await record_child_reads(request, [child])
    return {
        **event_page(log, paging, events, upcast=upcast, personal=personal),
        "head_position": await head_position(log.pool),
    }


@router.get(
    "/events",
    summary="Follow the log as server-sent events",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "one SSE message per event"}},
)
async def follow(
    request: Request,
    principal: Reader,
    log: EventLogDep,
    after: After = 0,
    event_types: EventTypes = [],  # noqa: B006
    categories: Categories = [],  # noqa: B006
    subject: Subject = None,
    upcast: Upcast = False,
    last_event_id: Annotated[
        str | None, Header(description="sent by an EventSource reconnecting: resume after it")
    ] = None,
) -> StreamingResponse:
    if last_event_id is not None and last_event_id.isdigit():
        after = max(after, int(last_event_id))
    access = LogAccess.of(principal)
    personal = personal_fields(access)
    selection = Selection(
        event_types=tuple(event_types), categories=access.categories_to_read(categories), subject=subject
    )
    # Who began following, and from where, is on record even if nothing comes.
    await record_events_read(request, EventsRead.of([]))
    if (child := child_of(subject)) is not None:
        await record_child_reads(request, [child])

    def message(event: RecordedEvent) -> str:
        body = event_json(event, log.registry, upcast=upcast, personal=personal)
        data = json.dumps(body, separators=(",", ":"))
        return f"id: {event.position}\nevent: {event.event_type}\ndata: {data}\n\n"

    async def messages() -> AsyncIterator[str]:
        position = after
        loop = asyncio.get_running_loop()
        quiet_since = loop.time()
        yield f"retry: {int(POLL_SECONDS * 1000)}\n\n"
        # When the service stops, the stream ends after the page it is sending; the client's
        # EventSource reconnects (to another instance) after the last event it was sent.
        while not log.watcher.closed:
            generation = log.watcher.generation()
            page = await read_page(log.pool, selection, after=position, limit=STREAM_PAGE, personal=personal)
            if page:
                position = page[-1].position
                quiet_since = loop.time()
                await record_page_read(request, page)  # each batch on record before it is sent
                yield "".join(message(e) for e in page)
                continue
            if await request.is_disconnected():
                return
            if loop.time() - quiet_since >= HEARTBEAT_SECONDS:
                quiet_since = loop.time()
                yield ": no new events\n\n"  # a comment: keeps proxies from closing an idle stream
            await log.watcher.wait(generation, POLL_SECONDS)

    return StreamingResponse(messages(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"})
