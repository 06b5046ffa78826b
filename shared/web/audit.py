"""Every read of a child's record by a person is itself recorded, for auditors.

A route that returns a child's record calls ``record_child_read(request, child_id)`` once it has
the record (after its data-scope check, so a refused read is not counted as seen). The row names
who (the token's subject and role), when, which child and which route. Reads by service accounts
are not personal access; the event feed's logs cover them.

The row is committed, and visible to auditors, before the answer goes out: one INSERT, one round
trip on a pooled connection (``record_child_reads`` writes a row per child of an answer showing
several, still in one statement), durable like the events themselves.

``list_record_reads`` is the auditors' question: who read this child's record, what did this
person read, between these instants. The table is append-only (a database trigger refuses
UPDATE, DELETE and TRUNCATE), like the event log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import asyncpg
from fastapi import Request

from shared.database import BIGINT_MAX
from shared.events import child_subject

MAX_PAGE = 1000
RECORD_READS = (
    "INSERT INTO eventlog.record_reads (read_at, actor, role, service, subject, route, request_id) "
    "SELECT $1, $2, $3, $4, subject, $6, $7 FROM unnest($5::text[]) AS subject"
)


@dataclass(frozen=True)
class RecordRead:
    id: int
    read_at: datetime
    actor: str
    role: str
    service: str
    subject: str
    route: str
    request_id: str | None

    @property
    def child_id(self) -> str | None:
        return self.subject.removeprefix("child:") if self.subject.startswith("child:") else None


async def record_child_read(request: Request, child_id: str) -> None:
    await record_child_reads(request, [child_id])


async def record_child_reads(request: Request, child_ids: Iterable[str]) -> None:
    """One answer showing several children's records (a timeline, an export): one row each,
    written in one statement."""
    principal = getattr(request.state, "principal", None)
    if principal is None or not principal.is_person:
        return
    subjects = list(dict.fromkeys(child_subject(child_id) for child_id in child_ids))
    if not subjects:
        return
    route = request.scope.get("route")
    await request.app.state.pool.execute(
        RECORD_READS,
        request.app.state.clock.now(),
        principal.subject,
        principal.role.value,
        request.app.state.service_name,
        subjects,
        f"{request.method} {getattr(route, 'path', request.url.path)}",
        getattr(request.state, "request_id", None),
    )


async def list_record_reads(
    db: asyncpg.Pool | asyncpg.Connection,
    *,
    child_id: str | None = None,
    actor: str | None = None,
    read_from: datetime | None = None,
    read_before: datetime | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[RecordRead]:
    """Recorded reads, oldest first, filtered by child, by reader and by when
    (``read_from`` inclusive, ``read_before`` exclusive). Page on with ``after_id`` = the last
    ``id`` returned; ``limit`` is capped at a page of 1,000 and the one more read to tell whether
    another page follows. Nothing comes after the largest id a bigint holds."""
    if not 1 <= limit <= MAX_PAGE + 1:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE + 1}")
    conditions = ["id > $1"]
    values: list[object] = [min(after_id, BIGINT_MAX)]
    for column, operator, value in (
        ("subject", "=", child_subject(child_id) if child_id is not None else None),
        ("actor", "=", actor),
        ("read_at", ">=", read_from),
        ("read_at", "<", read_before),
    ):
        if value is not None:
            values.append(value)
            conditions.append(f"{column} {operator} ${len(values)}")
    values.append(limit)
    rows = await db.fetch(
        "SELECT id, read_at, actor, role, service, subject, route, request_id "
        f"FROM eventlog.record_reads WHERE {' AND '.join(conditions)} ORDER BY id LIMIT ${len(values)}",
        *values,
    )
    return [RecordRead(**dict(row)) for row in rows]
