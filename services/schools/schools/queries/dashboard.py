"""The council's view of its open schools, and the progress reviews now overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from schools.projections.profiles import PROFILES
from schools.projections.reviews import REVIEWS
from schools.projections.support import YEARS as SUPPORT


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
