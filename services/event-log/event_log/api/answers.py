"""What the read routes share: finding the stream asked about, showing a page of events in the
form the reader is given, and recording who read what: every answer of events as a bulk read, and
each child a person was shown as a read of that child's record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request

from shared.errors import NotFound
from shared.eventlog.records import RecordedEvent
from shared.web.audit import record_bulk_read, record_child_reads
from shared.web.paging import Paging

from event_log.access import LogAccess
from event_log.api.schemas import check_stream_id
from event_log.queries.events import PersonalFields, children_in, event_json
from event_log.queries.pages import EventsRead
from event_log.wiring import EventLog


async def known_stream(log: EventLog, stream_id: str) -> int:
    """The stream's current version (its ETag); 404 when the log has no such stream."""
    check_stream_id(stream_id)
    version = await log.store.stream_version(stream_id)
    if version == 0:
        raise NotFound(f"the log has no stream {stream_id}", field="stream_id")
    return version


def personal_fields(access: LogAccess) -> PersonalFields:
    """How a reader is given children's personal fields: opened, or withheld."""
    return PersonalFields.OPENED if access.personal_data else PersonalFields.WITHHELD


def shown(
    log: EventLog, events: Sequence[RecordedEvent], *, upcast: bool, personal: PersonalFields
) -> list[dict[str, Any]]:
    return [event_json(e, log.registry, upcast=upcast, personal=personal) for e in events]


def event_page(
    log: EventLog,
    paging: Paging[int],
    events: Sequence[RecordedEvent],
    *,
    upcast: bool,
    personal: PersonalFields,
    by_version: bool = False,
) -> dict[str, Any]:
    """The page of ``events`` (read with ``paging.fetch``) as the API shows them: in log order,
    the cursor a position; or, for one stream (``by_version``), in version order, the cursor a
    stream version."""
    page = paging.page(events, key=lambda e: e.stream_version if by_version else e.position)
    return {**page, "items": shown(log, page["items"], upcast=upcast, personal=personal)}


async def record_events_read(request: Request, read: EventsRead) -> None:
    """The answer's events as a bulk read by whoever asked (before the answer goes out)."""
    await record_bulk_read(
        request,
        first_position=read.first_position,
        last_position=read.last_position,
        events=read.events,
        child_ids=read.child_ids,
    )


async def record_page_read(request: Request, events: Sequence[RecordedEvent]) -> None:
    """A page of events shown (those on the page, not the one read to look ahead) as a bulk read."""
    await record_events_read(request, EventsRead.of(events))


async def record_children_shown(request: Request, events: Sequence[RecordedEvent]) -> None:
    await record_child_reads(request, children_in(events))
