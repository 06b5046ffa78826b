"""Alerts about children at schools that give cause for concern, newest first."""

from __future__ import annotations

from typing import Any

import asyncpg


async def alerts(
    pool: asyncpg.Pool, status: str | None, urn: str | None, child_id: str | None, limit: int
) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT a.*, c.name FROM pep.alerts a LEFT JOIN pep.children c ON c.child_id = a.child_id"
        " WHERE ($1::text IS NULL OR a.status = $1) AND ($2::text IS NULL OR a.urn = $2)"
        "   AND ($3::text IS NULL OR a.child_id = $3)"
        " ORDER BY a.raised_on DESC, a.concern_on DESC, a.alert_id LIMIT $4",
        status,
        urn,
        child_id,
        limit,
    )
    return [{**dict(row), "children_on_roll": list(row["children_on_roll"])} for row in rows]
