"""Reads shared by the read models that hold a year's items (requests, projects, payment runs):
one row an item, keyed by the financial year and the item's id."""

from __future__ import annotations

from typing import Any

import asyncpg


async def item_row(
    pool: asyncpg.Pool, table: str, id_column: str, financial_year: str, item_id: str
) -> dict[str, Any] | None:
    """One item's row, None when the year has no such item."""
    row = await pool.fetchrow(
        f"SELECT * FROM pupil_premium.{table} WHERE financial_year = $1 AND {id_column} = $2",
        financial_year,
        item_id,
    )
    return dict(row) if row is not None else None


async def year_rows(
    pool: asyncpg.Pool, table: str, financial_year: str, *, order_by: str, column: str, value: str | None
) -> list[dict[str, Any]]:
    """The year's rows in the order ``order_by`` (the log position each item first appeared at),
    only those whose ``column`` is ``value`` when one is given."""
    rows = await pool.fetch(
        f"SELECT * FROM pupil_premium.{table} WHERE financial_year = $1"
        f" AND ($2::text IS NULL OR {column} = $2) ORDER BY {order_by}",
        financial_year,
        value,
    )
    return [dict(row) for row in rows]
