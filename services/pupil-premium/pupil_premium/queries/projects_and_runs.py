"""School projects and payment runs, as their read models hold them."""

from __future__ import annotations

from typing import Any

import asyncpg

from pupil_premium.queries.year_rows import item_row, year_rows


async def list_projects(
    pool: asyncpg.Pool, financial_year: str, *, school_urn: str | None = None
) -> list[dict[str, Any]]:
    return await year_rows(
        pool, "projects", financial_year, order_by="proposed_position", column="school_urn", value=school_urn
    )


async def project_row(pool: asyncpg.Pool, financial_year: str, project_id: str) -> dict[str, Any] | None:
    return await item_row(pool, "projects", "project_id", financial_year, project_id)


async def list_payment_runs(
    pool: asyncpg.Pool, financial_year: str, *, status: str | None = None
) -> list[dict[str, Any]]:
    return await year_rows(
        pool, "payment_runs", financial_year, order_by="scheduled_position", column="status", value=status
    )
