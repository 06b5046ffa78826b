"""Questions asked of the read models. Routes call these; no SQL lives in a route."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

PROFILES = "schools.school_profiles"
INSPECTIONS = "schools.school_inspections"
SUPPORT = "schools.support_years"
VISITS = "schools.adviser_visits"
REVIEWS = "schools.progress_reviews"


async def profile(db: asyncpg.Pool, urn: str) -> dict[str, Any] | None:
    """Everything the council holds about one school, or None when it is not on the register."""
    row = await db.fetchrow(f"SELECT * FROM {PROFILES} WHERE urn = $1", urn)
    if row is None:
        return None
    found = dict(row)
    found["inspections"] = [
        dict(r)
        for r in await db.fetch(
            f"SELECT * FROM {INSPECTIONS} WHERE urn = $1 ORDER BY inspected_on DESC, recorded_position DESC",
            urn,
        )
    ]
    found["support"] = [
        dict(r)
        for r in await db.fetch(f"SELECT * FROM {SUPPORT} WHERE urn = $1 ORDER BY academic_year DESC", urn)
    ]
    found["visits"] = [
        dict(r)
        for r in await db.fetch(
            f"SELECT * FROM {VISITS} WHERE urn = $1 ORDER BY visited_on DESC, visit_id LIMIT 50", urn
        )
    ]
    found["reviews"] = [
        dict(r)
        for r in await db.fetch(
            f"SELECT * FROM {REVIEWS} WHERE urn = $1 ORDER BY scheduled_on DESC, due_on DESC LIMIT 50", urn
        )
    ]
    return found


@dataclass(frozen=True)
class SchoolFilters:
    establishment_type: str | None = None
    phase: str | None = None
    status: str | None = None
    category: str | None = None
    judgement: str | None = None
    below_floor: bool | None = None
    at_risk: bool | None = None
    maintained: bool | None = None


async def list_schools(
    db: asyncpg.Pool, filters: SchoolFilters, *, after: str | None, limit: int
) -> list[dict[str, Any]]:
    """Schools matching every filter given, in URN order, a page at a time after ``after``."""
    conditions = ["($1::text IS NULL OR urn > $1)"]
    values: list[Any] = [after]
    for column, value in (
        ("establishment_type", filters.establishment_type),
        ("phase", filters.phase),
        ("status", filters.status),
        ("category", filters.category),
        ("latest_judgement", filters.judgement),
        ("below_floor", filters.below_floor),
        ("at_risk", filters.at_risk),
        ("maintained", filters.maintained),
    ):
        if value is not None:
            values.append(value)
            conditions.append(f"{column} = ${len(values)}")
    values.append(limit)
    rows = await db.fetch(
        f"SELECT * FROM {PROFILES} WHERE {' AND '.join(conditions)} ORDER BY urn LIMIT ${len(values)}",
        *values,
    )
    return [dict(r) for r in rows]


async def dashboard(db: asyncpg.Pool, academic_year: int) -> dict[str, Any]:
    """The council's view of its open schools: how many are good or better in each phase, in a
    category of concern, below floor or at risk, and adviser days allocated against used."""
    phases = await db.fetch(
        f"""
        SELECT phase,
               count(*) AS schools,
               count(latest_judgement) AS inspected,
               count(*) FILTER (WHERE good_or_better) AS good_or_better
        FROM {PROFILES} WHERE status <> 'closed'
        GROUP BY phase ORDER BY phase
        """
    )
    totals = await db.fetchrow(
        f"""
        SELECT count(*) AS schools,
               count(latest_judgement) AS inspected,
               count(*) FILTER (WHERE good_or_better) AS good_or_better,
               count(*) FILTER (WHERE latest_category_of_concern = 'serious_weaknesses')
                   AS serious_weaknesses,
               count(*) FILTER (WHERE latest_category_of_concern = 'special_measures')
                   AS special_measures,
               count(*) FILTER (WHERE below_floor) AS below_floor,
               count(*) FILTER (WHERE downward_trend) AS downward_trend,
               count(*) FILTER (WHERE stuck) AS stuck,
               count(*) FILTER (WHERE at_risk) AS at_risk
        FROM {PROFILES} WHERE status <> 'closed'
        """
    )
    categories = await db.fetch(
        f"SELECT category, count(*) AS schools FROM {PROFILES} "
        "WHERE status <> 'closed' AND category IS NOT NULL GROUP BY category ORDER BY category"
    )
    support = await db.fetchrow(
        f"""
        SELECT coalesce(sum(allocated), 0) AS allocated,
               coalesce(sum(increased), 0) AS increased,
               coalesce(sum(used), 0) AS used,
               count(*) FILTER (WHERE allocated > 0 OR increased > 0) AS schools_supported
        FROM {SUPPORT} WHERE academic_year = $1
        """,
        academic_year,
    )
    return {
        "phases": [dict(r) for r in phases],
        "totals": dict(totals),
        "categories": {r["category"]: r["schools"] for r in categories},
        "support": dict(support),
    }


async def overdue_reviews(db: asyncpg.Pool, today: date) -> list[dict[str, Any]]:
    """Reviews neither held nor cancelled whose due date is before ``today``, the most overdue first."""
    rows = await db.fetch(
        f"""
        SELECT r.*, p.name AS school_name, p.category AS current_category
        FROM {REVIEWS} r JOIN {PROFILES} p ON p.urn = r.urn
        WHERE r.held_on IS NULL AND r.cancelled_on IS NULL AND r.due_on < $1
        ORDER BY r.due_on, r.urn
        """,
        today,
    )
    return [dict(r) for r in rows]


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
