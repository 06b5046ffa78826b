"""Who has read a child's record: the access log that every service writes, for auditors."""

from __future__ import annotations

from datetime import timezone
from fastapi import APIRouter

from shared.errors import InvalidInput
from shared.web.audit import list_record_reads

from event_log.access import Auditor
from event_log.api.schemas import ReadBefore, ReadBy, ReadChildId, ReadFrom, RecordReads, ReadsPage
from event_log.wiring import EventLogDep

router = APIRouter(prefix="/record-reads", tags=["record reads"])


@router.get("", summary="Reads of children's records by people: by child, by reader, by time")
async def record_reads(
    principal: Auditor,
    log: EventLogDep,
    paging: ReadsPage,
    child_id: ReadChildId = None,
    actor: ReadBy = None,
    read_from: ReadFrom = None,
    read_before: ReadBefore = None,
) -> RecordReads:
    for name, value in (("read_from", read_from), ("read_before", read_before)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput(f"{name} needs a time zone, e.g. 2026-11-02T10:00:00Z", field=name)
        if value is not None:
            try:
                value.astimezone(timezone.utc)
            except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00 is before the year 1 in UTC
                raise InvalidInput(
                    f"{name} is outside the range of dates that can be held", field=name
                ) from None
    reads = await list_record_reads(
        log.pool,
        child_id=child_id,
        actor=actor,
        read_from=read_from,
        read_before=read_before,
        after_id=paging.after,
        limit=paging.fetch,
    )
    page = paging.page(reads, key=lambda read: read.id)
    return RecordReads.model_validate(
        {
            **page,
            "items": [
                {
                    "id": r.id,
                    "read_at": r.read_at.isoformat(),
                    "actor": r.actor,
                    "role": r.role,
                    "service": r.service,
                    "child_id": r.child_id,
                    "route": r.route,
                    "request_id": r.request_id,
                }
                for r in page["items"]
            ],
        }
    )
