"""Who has read a child's record: the access log that every service writes, and the bulk reads of
the event log, for auditors."""

from __future__ import annotations

from datetime import timezone

from fastapi import APIRouter

from shared.errors import InvalidInput
from shared.web.audit import list_bulk_reads, list_record_reads
from shared.web.paging import Paging

from event_log.access import Auditor
from event_log.api.schemas import BulkAfter, ReadBefore, ReadBy, ReadChildId, ReadFrom, RecordReads, ReadsPage
from event_log.wiring import EventLogDep

router = APIRouter(prefix="/record-reads", tags=["record reads"])


@router.get(
    "",
    summary="Reads of children's records by people, and bulk reads of the log: by child, by reader, by time",
)
async def record_reads(
    principal: Auditor,
    log: EventLogDep,
    paging: ReadsPage,
    child_id: ReadChildId = None,
    actor: ReadBy = None,
    read_from: ReadFrom = None,
    read_before: ReadBefore = None,
    bulk_after: BulkAfter = 0,
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
    which = {"child_id": child_id, "actor": actor, "read_from": read_from, "read_before": read_before}
    reads = await list_record_reads(log.pool, **which, after_id=paging.after, limit=paging.fetch)
    bulk = await list_bulk_reads(log.pool, **which, after_id=bulk_after, limit=paging.fetch)
    page = paging.page(reads, key=lambda read: read.id)
    bulk_page = paging.on_page(bulk)
    bulk_more = len(bulk) > len(bulk_page)
    return RecordReads.model_validate(
        {
            **page,
            # Following next reads both lists to their ends, each read once: it moves each list on
            # past the reads this page showed.
            "next": _next_link(
                paging,
                after=page["items"][-1].id if page["items"] else paging.after,
                bulk_after=bulk_page[-1].id if bulk_page else bulk_after,
            )
            if page["next"] is not None or bulk_more
            else None,
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
            "bulk_reads": [
                {
                    "id": b.id,
                    "read_at": b.read_at.isoformat(),
                    "actor": b.actor,
                    "role": b.role,
                    "service": b.service,
                    "route": b.route,
                    "request_id": b.request_id,
                    "first_position": b.first_position,
                    "last_position": b.last_position,
                    "events": b.events,
                    "child_ids": b.child_ids,
                }
                for b in bulk_page
            ],
            "bulk_next_cursor": str(bulk_page[-1].id) if bulk_more else None,
        }
    )


def _next_link(paging: Paging[int], *, after: int, bulk_after: int) -> str:
    following = paging.url.include_query_params(after=after, bulk_after=bulk_after, limit=paging.limit)
    return f"{following.path}?{following.query}"
