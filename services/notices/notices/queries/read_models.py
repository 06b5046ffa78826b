"""Questions across schools, answered from the read model with the domain's own rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from notices.domain.academy_concern import AcademyConcern
from notices.domain.intervention_state import InterventionCase
from notices.domain.across_schools import SchoolCausingConcern, schools_causing_concern
from notices.domain.school_facts import SchoolFacts
from notices.domain.warning_notice_state import NoticeStage, WarningNotice
from notices.projections.state_codec import state_from_json

# Stages at which a notice can make a school a concern (``domain.across_schools._notice_stage``).
LIVE_STAGES = [
    s.value
    for s in NoticeStage
    if s
    not in {
        NoticeStage.NONE,
        NoticeStage.DISCARDED,
        NoticeStage.COMPLIED,
        NoticeStage.NOT_CONFIRMED_BY_OFSTED,
        NoticeStage.SUPERSEDED,
    }
]


@dataclass(frozen=True)
class ConcernRow:
    concern: SchoolCausingConcern
    school_name: str


async def causing_concern(pool: asyncpg.Pool, today: date) -> list[ConcernRow]:
    """Every school causing concern today, at its most serious stage, most serious first."""
    async with pool.acquire() as conn:
        notice_rows = await conn.fetch("SELECT state FROM notices.notices WHERE stage = ANY($1)", LIVE_STAGES)
        case_rows = await conn.fetch("SELECT state FROM notices.interventions")
        letter_rows = await conn.fetch("SELECT state FROM notices.academy_concerns")
        fact_rows = await conn.fetch("SELECT urn, facts FROM notices.school_facts WHERE registered")
    schools = {r["urn"]: state_from_json(SchoolFacts, r["facts"]) for r in fact_rows}
    found = schools_causing_concern(
        notices=[state_from_json(WarningNotice, r["state"]) for r in notice_rows],
        cases=[state_from_json(InterventionCase, r["state"]) for r in case_rows],
        academy_concerns=[state_from_json(AcademyConcern, r["state"]) for r in letter_rows],
        today=today,
        schools=schools,
    )
    return [ConcernRow(c, schools[c.urn].name if c.urn in schools else "") for c in found]


async def streams_with_deadlines_fired(pool: asyncpg.Pool, today: date) -> list[str]:
    """The streams with a deadline whose day has come: the deadline job's work list."""
    rows = await pool.fetch(
        "SELECT DISTINCT stream_id FROM notices.deadlines WHERE fires_on <= $1 ORDER BY stream_id", today
    )
    return [r["stream_id"] for r in rows]


async def upcoming_deadlines(
    pool: asyncpg.Pool, today: date, until: date, *, urn: str | None = None
) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT d.kind, d.reference, d.urn, d.due_on, d.fires_on, d.description, d.stream_id, "
        "coalesce(s.name, '') AS school_name "
        "FROM notices.deadlines d LEFT JOIN notices.school_facts s ON s.urn = d.urn "
        "WHERE d.due_on BETWEEN $1 AND $2 AND ($3::text IS NULL OR d.urn = $3) "
        "ORDER BY d.due_on, d.urn, d.kind, d.reference",
        today,
        until,
        urn,
    )
    return [dict(r) for r in rows]


async def notices_list(
    pool: asyncpg.Pool,
    *,
    urn: str | None,
    stage: str | None,
    after: tuple[date, str] | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Notices newest first - by the day drafted, then id, neither of which changes once a notice
    is drafted - from after ``after`` (the last notice shown)."""
    drafted_on, notice_id = after if after is not None else (None, None)
    rows = await pool.fetch(
        "SELECT notice_id, urn, school_name, stage, rules, direction_id, drafted_on, given_on, "
        "compliance_period_ends_on FROM notices.notices "
        "WHERE ($1::text IS NULL OR urn = $1) AND ($2::text IS NULL OR stage = $2) "
        "AND ($3::date IS NULL OR (drafted_on, notice_id) < ($3::date, $4::text)) "
        "ORDER BY drafted_on DESC, notice_id DESC LIMIT $5",
        urn,
        stage,
        drafted_on,
        notice_id,
        limit,
    )
    return [dict(r) for r in rows]


async def directions_list(
    pool: asyncpg.Pool, *, urn: str | None, after: tuple[date, str] | None, limit: int
) -> list[dict[str, Any]]:
    """Directions newest first - by the day given, then id, neither of which changes once a
    direction is recorded - from after ``after`` (the last direction shown)."""
    given_on, direction_id = after if after is not None else (None, None)
    rows = await pool.fetch(
        "SELECT direction_id, urn, given_on, response_due_on FROM notices.directions "
        "WHERE ($1::text IS NULL OR urn = $1) "
        "AND ($2::date IS NULL OR (given_on, direction_id) < ($2::date, $3::text)) "
        "ORDER BY given_on DESC, direction_id DESC LIMIT $4",
        urn,
        given_on,
        direction_id,
        limit,
    )
    return [dict(r) for r in rows]
