"""Adviser support as the read models hold it."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import asyncpg

from schools.projections.profiles import PROFILES
from schools.projections.support import YEARS as SUPPORT


async def schools_without_allocation(
    db: asyncpg.Pool, academic_year: int, academy_types: Iterable[str]
) -> list[str]:
    """Open schools that are categorised, or are academies (which have an offer whatever their
    category), and have no allocation for the year."""
    rows = await db.fetch(
        f"""
        SELECT p.urn FROM {PROFILES} p
        WHERE p.status <> 'closed'
          AND (p.category IS NOT NULL OR p.establishment_type = ANY($2::text[]))
          AND NOT EXISTS (
              SELECT 1 FROM {SUPPORT} s
              WHERE s.urn = p.urn AND s.academic_year = $1 AND s.allocated_on IS NOT NULL
          )
        ORDER BY p.urn
        """,
        academic_year,
        list(academy_types),
    )
    return [r["urn"] for r in rows]


def days(value: Decimal | None) -> float:
    """Days are kept exactly (half-day steps) and shown as plain numbers."""
    return float(value or 0)
