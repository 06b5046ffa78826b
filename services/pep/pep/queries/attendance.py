"""Reads of children's attendance: who a UPN names, a child's sessions, sessions counted by kind
for a period, and the attendance alerts."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

import asyncpg

from pep.domain.attendance import ChildAttendance, Mark, SessionCounts, Session
from pep.domain.attendance_codes import AttendanceKind
from pep.domain.attendance_reports import ChildSessions


async def children_by_upn(pool: asyncpg.Pool, upns: Collection[str]) -> dict[str, list[str]]:
    """The children recorded with each UPN (more than one is a mistake the caller reports)."""
    if not upns:
        return {}
    rows = await pool.fetch(
        "SELECT upn, child_id FROM pep.pupil_numbers WHERE upn = ANY($1::text[]) ORDER BY child_id", list(upns)
    )
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["upn"], []).append(row["child_id"])
    return found


async def children_with_upn(pool: asyncpg.Pool, upn: str) -> list[str]:
    return (await children_by_upn(pool, [upn])).get(upn, [])


async def known_children(pool: asyncpg.Pool, child_ids: Collection[str]) -> set[str]:
    if not child_ids:
        return set()
    rows = await pool.fetch("SELECT child_id FROM pep.children WHERE child_id = ANY($1::text[])", list(child_ids))
    return {row["child_id"] for row in rows}


async def child_attendance(pool: asyncpg.Pool, child_id: str) -> tuple[ChildAttendance, str | None]:
    """The child's sessions as the read model holds them, as the domain's state (alerts aside),
    and their UPN."""
    rows = await pool.fetch(
        "SELECT on_date, session, urn, kind, code FROM pep.attendance_sessions WHERE child_id = $1", child_id
    )
    upn = await pool.fetchval("SELECT upn FROM pep.pupil_numbers WHERE child_id = $1", child_id)
    marks = {
        (row["on_date"], Session(row["session"]), row["urn"]): Mark(kind=AttendanceKind(row["kind"]), code=row["code"])
        for row in rows
    }
    return ChildAttendance(child_id=child_id, upn=upn, marks=marks), upn


async def sessions_by_child(
    pool: asyncpg.Pool, first: date, last: date, urn: str | None
) -> list[ChildSessions]:
    """Each child's sessions from ``first`` to ``last`` at each school, counted by kind."""
    rows = await pool.fetch(
        "SELECT s.child_id, s.urn, c.year_group, s.kind, count(*) AS sessions"
        "  FROM pep.attendance_sessions s LEFT JOIN pep.children c ON c.child_id = s.child_id"
        " WHERE s.on_date BETWEEN $1 AND $2 AND ($3::text IS NULL OR s.urn = $3)"
        " GROUP BY s.child_id, s.urn, c.year_group, s.kind",
        first,
        last,
        urn,
    )
    counted: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        entry = counted.setdefault((row["child_id"], row["urn"]), {"year_group": row["year_group"], "kinds": {}})
        entry["kinds"][row["kind"]] = row["sessions"]
    return [
        ChildSessions(
            child_id=child_id,
            urn=urn_,
            year_group=entry["year_group"],
            counts=SessionCounts(**{kind.value: entry["kinds"].get(kind.value, 0) for kind in AttendanceKind}),
        )
        for (child_id, urn_), entry in sorted(counted.items())
    ]


async def attendance_alerts(
    pool: asyncpg.Pool,
    *,
    raised_from: date | None,
    raised_to: date | None,
    urn: str | None,
    child_id: str | None,
    alert: str | None,
) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT a.* FROM pep.attendance_alerts a"
        " WHERE ($1::date IS NULL OR a.raised_on >= $1) AND ($2::date IS NULL OR a.raised_on <= $2)"
        "   AND ($3::text IS NULL OR a.urn = $3) AND ($4::text IS NULL OR a.child_id = $4)"
        "   AND ($5::text IS NULL OR a.alert = $5)"
        " ORDER BY a.raised_on DESC, a.child_id, a.stream_version",
        raised_from,
        raised_to,
        urn,
        child_id,
        alert,
    )
    return [dict(row) for row in rows]


async def children_on_roll_with_last_mark(pool: asyncpg.Pool) -> list[dict[str, Any]]:
    """Looked-after children on the roll of a school whose attendance the council takes in (one
    that has sent marks), with the day they joined it and their latest mark from any school (None
    when never marked). A school that sends no marks tells nothing by their absence."""
    rows = await pool.fetch(
        "SELECT c.child_id, c.current_urn, c.on_roll_since,"
        "       (SELECT max(s.on_date) FROM pep.attendance_sessions s WHERE s.child_id = c.child_id) AS last_marked_on"
        "  FROM pep.children c"
        " WHERE c.care_status = 'looked_after' AND c.current_urn IS NOT NULL"
        "   AND EXISTS (SELECT 1 FROM pep.attendance_sessions t WHERE t.urn = c.current_urn)"
        " ORDER BY c.child_id"
    )
    return [dict(row) for row in rows]
