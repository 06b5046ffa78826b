"""Who read what: every read of a child's record by a person, and every bulk read of the event log
by anyone, are themselves recorded, for auditors and the data protection officer.

A route that returns a child's record calls ``record_child_read(request, child_id)`` once it has
the record (after its data-scope check, so a refused read is not counted as seen). The row names
who (the token's subject and role), when, which child and which route. Service accounts are not
people reading a record, so they leave no such row; what they read is in the bulk reads.

Every answer of the event log that returns events (a feed page, a batch of the followed stream,
an export, a stream's or a timeline's page) calls ``record_bulk_read`` for every caller, service
accounts included: who, when, which route, the range of log positions returned, how many events,
and every child among them. An answer with no events is recorded too (no range, no children), so
who was polling, and when, is on record as well.

Each row is committed, and visible to auditors, before the answer goes out: one INSERT, one round
trip on a pooled connection (``record_child_reads`` writes a row per child of an answer showing
several, still in one statement), durable like the events themselves.

``list_record_reads`` and ``list_bulk_reads`` are the auditors' questions: who read this child's
record, what did this person or system read, between these instants. ``reads_of_child`` puts both
kinds together for one child, for the subject-access report. Both tables are append-only (a
database trigger refuses UPDATE, DELETE and TRUNCATE), like the event log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
from fastapi import Request

from shared.database import BIGINT_MAX
from shared.events import child_subject

MAX_PAGE = 1000
CHILD_SUBJECT = "child:"
RECORD_READS = (
    "INSERT INTO eventlog.record_reads (read_at, actor, role, service, subject, route, request_id) "
    "SELECT $1, $2, $3, $4, subject, $6, $7 FROM unnest($5::text[]) AS subject"
)
BULK_READS = (
    "INSERT INTO eventlog.bulk_reads (read_at, actor, role, service, route, request_id, "
    "first_position, last_position, events, subjects) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
)
RECORD_READ_FIELDS = ("id", "read_at", "actor", "role", "service", "subject", "route", "request_id")
BULK_READ_FIELDS = (
    "id", "read_at", "actor", "role", "service", "route", "request_id", "first_position", "last_position",
    "events", "subjects",
)
RECORD_READ_COLUMNS = ", ".join(RECORD_READ_FIELDS)
BULK_READ_COLUMNS = ", ".join(BULK_READ_FIELDS)


@dataclass(frozen=True)
class RecordRead:
    """A person was shown one child's record."""

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
        return self.subject.removeprefix(CHILD_SUBJECT) if self.subject.startswith(CHILD_SUBJECT) else None


@dataclass(frozen=True)
class BulkRead:
    """Someone (a person or a system) was given a run of the log's events: those from
    ``first_position`` to ``last_position`` that the request selected, ``events`` of them, about
    the children in ``subjects``. No range when the answer held no events."""

    id: int
    read_at: datetime
    actor: str
    role: str
    service: str
    route: str
    request_id: str | None
    first_position: int | None
    last_position: int | None
    events: int
    subjects: tuple[str, ...]

    @property
    def child_ids(self) -> list[str]:
        return [s.removeprefix(CHILD_SUBJECT) for s in self.subjects if s.startswith(CHILD_SUBJECT)]


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return f"{request.method} {getattr(route, 'path', request.url.path)}"


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
    await request.app.state.pool.execute(
        RECORD_READS,
        request.app.state.clock.now(),
        principal.subject,
        principal.role.value,
        request.app.state.service_name,
        subjects,
        _route(request),
        getattr(request.state, "request_id", None),
    )


async def record_bulk_read(
    request: Request,
    *,
    first_position: int | None,
    last_position: int | None,
    events: int,
    child_ids: Iterable[str],
) -> None:
    """One answer's run of events, read by whoever made the request (a route guarded by
    ``shared.security.access.allow`` always knows who): the range of positions, how many events
    and the children they concern (in order of their subjects, each once)."""
    principal = request.state.principal
    await request.app.state.pool.execute(
        BULK_READS,
        request.app.state.clock.now(),
        principal.subject,
        principal.role.value,
        request.app.state.service_name,
        _route(request),
        getattr(request.state, "request_id", None),
        first_position,
        last_position,
        events,
        sorted({child_subject(child_id) for child_id in child_ids}),
    )


def _filters(
    values: list[object],
    subject_condition: str,
    *,
    child_id: str | None,
    actor: str | None,
    read_from: datetime | None,
    read_before: datetime | None,
    after_id: int,
    limit: int,
) -> str:
    """The WHERE clause (and, in ``values``, its arguments) of one page of a read table, oldest
    first. ``subject_condition`` says how that table names the child: ``{}`` is the argument."""
    if not 1 <= limit <= MAX_PAGE + 1:
        raise ValueError(f"limit must be between 1 and {MAX_PAGE + 1}")
    values.append(min(after_id, BIGINT_MAX))
    conditions = ["id > $1"]
    if child_id is not None:
        values.append(child_subject(child_id))
        conditions.append(subject_condition.format(f"${len(values)}"))
    for column, operator, value in (
        ("actor", "=", actor),
        ("read_at", ">=", read_from),
        ("read_at", "<", read_before),
    ):
        if value is not None:
            values.append(value)
            conditions.append(f"{column} {operator} ${len(values)}")
    values.append(limit)
    return f"WHERE {' AND '.join(conditions)} ORDER BY id LIMIT ${len(values)}"


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
    values: list[object] = []
    where = _filters(
        values, "subject = {}", child_id=child_id, actor=actor, read_from=read_from,
        read_before=read_before, after_id=after_id, limit=limit,
    )
    rows = await db.fetch(f"SELECT {RECORD_READ_COLUMNS} FROM eventlog.record_reads {where}", *values)
    return [RecordRead(**dict(row)) for row in rows]


async def list_bulk_reads(
    db: asyncpg.Pool | asyncpg.Connection,
    *,
    child_id: str | None = None,
    actor: str | None = None,
    read_from: datetime | None = None,
    read_before: datetime | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[BulkRead]:
    """Bulk reads of the log, oldest first, filtered as ``list_record_reads`` is; by child, those
    whose events included the child."""
    values: list[object] = []
    where = _filters(
        values, "subjects @> ARRAY[{}::text]", child_id=child_id, actor=actor, read_from=read_from,
        read_before=read_before, after_id=after_id, limit=limit,
    )
    rows = await db.fetch(f"SELECT {BULK_READ_COLUMNS} FROM eventlog.bulk_reads {where}", *values)
    return [_bulk_read(row) for row in rows]


def _bulk_read(row: Mapping[str, Any]) -> BulkRead:
    return BulkRead(**{**dict(row), "subjects": tuple(row["subjects"])})


async def reads_of_child(db: asyncpg.Pool | asyncpg.Connection, child_id: str) -> list[RecordRead | BulkRead]:
    """Every read that showed this child's record or included their events, both kinds, oldest
    first (at the same instant, record reads before bulk reads, each kind by id). One answer can
    leave both: a person shown a child's timeline is recorded as reading the child's record, and
    the page of events they were given as a bulk read, with the same ``request_id``."""
    # One statement, so one snapshot of both tables: a read recorded meanwhile is in both or neither.
    rows = await db.fetch(
        f"SELECT 0 AS bulk, {RECORD_READ_COLUMNS}, NULL::bigint AS first_position, "
        "NULL::bigint AS last_position, NULL::integer AS events, NULL::text[] AS subjects "
        "FROM eventlog.record_reads WHERE subject = $1 "
        "UNION ALL "
        "SELECT 1, id, read_at, actor, role, service, NULL, route, request_id, first_position, "
        "last_position, events, subjects FROM eventlog.bulk_reads WHERE subjects @> ARRAY[$1::text] "
        "ORDER BY read_at, bulk, id",
        child_subject(child_id),
    )
    reads: list[RecordRead | BulkRead] = []
    for row in rows:
        if row["bulk"]:
            reads.append(_bulk_read({k: row[k] for k in BULK_READ_FIELDS}))
        else:
            reads.append(RecordRead(**{k: row[k] for k in RECORD_READ_FIELDS}))
    return reads
