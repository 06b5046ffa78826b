"""The request register, as rows for the API and as ``RequestRecord``s for the reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from shared.database import BIGINT_MAX

from pupil_premium.domain.budget_state import RequestStatus
from pupil_premium.domain.events import InterventionType, ReviewedTarget
from pupil_premium.domain.reports.request_register import RequestRecord

MAX_PAGE = 500
# Log positions are PostgreSQL bigints. The API takes any ``after`` from 0 up, and one past the
# largest bigint would not fit the query's parameter (a server error); no request comes after the
# largest bigint either, so it reads as that.


async def request_row(pool: asyncpg.Pool, financial_year: str, request_id: str) -> dict[str, Any] | None:
    row = await pool.fetchrow(
        "SELECT * FROM pupil_premium.requests WHERE financial_year = $1 AND request_id = $2",
        financial_year,
        request_id,
    )
    return dict(row) if row is not None else None


async def list_requests(
    pool: asyncpg.Pool,
    financial_year: str,
    *,
    status: str | None = None,
    school_urn: str | None = None,
    child_id: str | None = None,
    after: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Requests in the order they were made; page on with ``after`` = the last ``requested_position``."""
    rows = await pool.fetch(
        "SELECT * FROM pupil_premium.requests WHERE financial_year = $1 AND requested_position > $2"
        " AND ($3::text IS NULL OR status = $3)"
        " AND ($4::text IS NULL OR school_urn = $4)"
        " AND ($5::text IS NULL OR child_id = $5)"
        " ORDER BY requested_position LIMIT $6",
        financial_year,
        min(after, BIGINT_MAX),
        status,
        school_urn,
        child_id,
        min(limit, MAX_PAGE),
    )
    return [dict(row) for row in rows]


async def request_records(
    pool: asyncpg.Pool, financial_year: str, *, school_urn: str | None = None
) -> list[RequestRecord]:
    rows = await pool.fetch(
        "SELECT * FROM pupil_premium.requests WHERE financial_year = $1"
        " AND ($2::text IS NULL OR school_urn = $2) ORDER BY requested_position",
        financial_year,
        school_urn,
    )
    return [record_from_row(row) for row in rows]


async def reviewed_targets(
    pool: asyncpg.Pool, financial_year: str
) -> dict[tuple[str, str], tuple[ReviewedTarget, ...]]:
    rows = await pool.fetch(
        "SELECT request_id, outcomes FROM pupil_premium.impact_outcomes WHERE financial_year = $1",
        financial_year,
    )
    return {
        (financial_year, row["request_id"]): tuple(ReviewedTarget.model_validate(o) for o in row["outcomes"])
        for row in rows
    }


def record_from_row(row: asyncpg.Record | dict[str, Any]) -> RequestRecord:
    return RequestRecord(
        financial_year=row["financial_year"],
        request_id=row["request_id"],
        child_id=row["child_id"],
        school_urn=row["school_urn"],
        term=row["term"],
        intervention_type=InterventionType(row["intervention_type"]),
        amount_requested_pence=row["amount_requested_pence"],
        requested_on=row["requested_on"],
        amount_approved_pence=row["amount_approved_pence"],
        decision=RequestStatus(row["decision"]) if row["decision"] else None,
        decided_on=row["decided_on"],
        run_id=row["run_id"],
        scheduled_on=row["scheduled_on"],
        paid_on=row["paid_on"],
        finance_reference=row["finance_reference"],
        withdrawn_on=row["withdrawn_on"],
        impact_recorded_on=row["impact_recorded_on"],
        history=tuple((date.fromisoformat(day), RequestStatus(status)) for day, status in row["history"]),
    )
