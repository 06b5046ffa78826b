"""Alerts about children at schools that give cause for concern, newest first."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg


async def alerts(
    pool: asyncpg.Pool,
    status: str | None,
    urn: str | None,
    child_id: str | None,
    *,
    after: tuple[date, date, str] | None,
    limit: int,
) -> list[dict[str, Any]]:
    """Alerts after ``after`` (the raised day, concern day and id of the last one shown)."""
    raised_on, concern_on, alert_id = after if after is not None else (None, None, None)
    rows = await pool.fetch(
        "SELECT a.*, c.name, c.personal_data_erased_on"
        "  FROM pep.alerts a LEFT JOIN pep.children c ON c.child_id = a.child_id"
        " WHERE ($1::text IS NULL OR a.status = $1) AND ($2::text IS NULL OR a.urn = $2)"
        "   AND ($3::text IS NULL OR a.child_id = $3)"
        "   AND ($4::date IS NULL OR (a.raised_on, a.concern_on, a.alert_id) < ($4::date, $5::date, $6::text))"
        " ORDER BY a.raised_on DESC, a.concern_on DESC, a.alert_id DESC LIMIT $7",
        status,
        urn,
        child_id,
        raised_on,
        concern_on,
        alert_id,
        limit,
    )
    return [{**dict(row), "children_on_roll": list(row["children_on_roll"])} for row in rows]
