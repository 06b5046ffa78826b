"""The register as the read models hold it: one school's profile, and the list with its filters."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg

from schools.projections.profiles import INSPECTIONS, PROFILES
from schools.projections.reviews import REVIEWS
from schools.projections.support import VISITS
from schools.projections.support import YEARS as SUPPORT


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
