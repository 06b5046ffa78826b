"""Who has read a child's record: the access log that every service writes, for auditors."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from shared.database import BIGINT_MAX
from shared.errors import InvalidInput
from shared.security.access import allow
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.web.audit import MAX_PAGE, list_record_reads
from shared.web.context import PoolDep

router = APIRouter(prefix="/record-reads", tags=["record reads"])

# Only auditors: the log of who looked at which child is itself sensitive.
READ_ACCESS_LOG = allow(Role.AUDITOR)


@router.get("", summary="Reads of children's records by people: by child, by reader, by time")
async def record_reads(
    principal: Annotated[Principal, Depends(READ_ACCESS_LOG)],
    pool: PoolDep,
    child_id: Annotated[str | None, Query(max_length=64, description="the child whose record was read")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="the reader (token subject)")] = None,
    read_from: Annotated[datetime | None, Query(description="on or after this instant")] = None,
    read_before: Annotated[datetime | None, Query(description="before this instant")] = None,
    after_id: Annotated[int, Query(ge=0, le=BIGINT_MAX, description="page on from the last id returned")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
) -> dict[str, Any]:
    for name, value in (("read_from", read_from), ("read_before", read_before)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput(f"{name} needs a time zone, e.g. 2026-11-02T10:00:00Z", field=name)
        if value is not None:
            try:
                value.astimezone(timezone.utc)
            except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00 is before the year 1 in UTC
                raise InvalidInput(f"{name} is outside the range of dates that can be held", field=name) from None
    reads = await list_record_reads(
        pool,
        child_id=child_id,
        actor=actor,
        read_from=read_from,
        read_before=read_before,
        after_id=after_id,
        limit=limit,
    )
    return {
        "reads": [
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
            for r in reads
        ],
        "next_after_id": reads[-1].id if len(reads) == limit else None,
    }
