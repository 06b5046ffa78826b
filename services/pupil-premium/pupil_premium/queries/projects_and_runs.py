"""School projects and payment runs, as their read models hold them."""

from __future__ import annotations

from typing import Any

import asyncpg


async def list_projects(
    pool: asyncpg.Pool, financial_year: str, *, school_urn: str | None = None
) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT * FROM pupil_premium.projects WHERE financial_year = $1"
        " AND ($2::text IS NULL OR school_urn = $2) ORDER BY proposed_position",
        financial_year,
        school_urn,
    )
    return [dict(row) for row in rows]


async def project_row(pool: asyncpg.Pool, financial_year: str, project_id: str) -> dict[str, Any] | None:
    row = await pool.fetchrow(
        "SELECT * FROM pupil_premium.projects WHERE financial_year = $1 AND project_id = $2",
        financial_year,
        project_id,
    )
    return dict(row) if row is not None else None


async def list_payment_runs(
    pool: asyncpg.Pool, financial_year: str, *, status: str | None = None
) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT * FROM pupil_premium.payment_runs WHERE financial_year = $1"
        " AND ($2::text IS NULL OR status = $2) ORDER BY scheduled_position",
        financial_year,
        status,
    )
    return [dict(row) for row in rows]
