"""What the read routes share: finding the stream asked about, showing a page of events, and
recording each child a person was shown as a read of that child's record."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request

from shared.errors import NotFound
from shared.eventlog.records import RecordedEvent
from shared.web.audit import record_child_reads

from event_log.api.schemas import check_stream_id
from event_log.queries.events import children_in, event_json
from event_log.wiring import EventLog


async def known_stream(log: EventLog, stream_id: str) -> int:
    """The stream's current version (its ETag); 404 when the log has no such stream."""
    check_stream_id(stream_id)
    version = await log.store.stream_version(stream_id)
    if version == 0:
        raise NotFound(f"the log has no stream {stream_id}", field="stream_id")
    return version


def shown(log: EventLog, events: Sequence[RecordedEvent], *, upcast: bool) -> list[dict[str, Any]]:
    return [event_json(e, log.registry, upcast=upcast) for e in events]


def event_page(log: EventLog, events: Sequence[RecordedEvent], *, after: int, upcast: bool) -> dict[str, Any]:
    """A page in log order, and where the next one starts (``after`` again when it is empty)."""
    return {
        "events": shown(log, events, upcast=upcast),
        "next_after": events[-1].position if events else after,
    }


async def record_children_shown(request: Request, events: Sequence[RecordedEvent]) -> None:
    await record_child_reads(request, children_in(events))
