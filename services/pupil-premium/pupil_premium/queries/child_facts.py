"""What the log says about children, as the child-facts read model holds it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import asyncpg

from pupil_premium.domain.child_facts import ChildEducationFacts, looked_after_children_on
from pupil_premium.projections.child_facts import facts_from_json


async def facts_of(pool: asyncpg.Pool, child_id: str) -> ChildEducationFacts | None:
    """None when the pep service has never written about the child."""
    stored = await pool.fetchval("SELECT facts FROM pupil_premium.child_facts WHERE child_id = $1", child_id)
    return facts_from_json(stored) if stored is not None else None


async def facts_of_children(pool: asyncpg.Pool, child_ids: Iterable[str]) -> dict[str, ChildEducationFacts]:
    rows = await pool.fetch(
        "SELECT child_id, facts FROM pupil_premium.child_facts WHERE child_id = ANY($1::text[])",
        sorted(set(child_ids)),
    )
    return {row["child_id"]: facts_from_json(row["facts"]) for row in rows}


async def looked_after_on(pool: asyncpg.Pool, census_date: date) -> int:
    """How many children the log says were looked after on the census date."""
    register: dict[str, ChildEducationFacts] = {}
    async with pool.acquire() as conn:
        async with conn.transaction():
            async for row in conn.cursor("SELECT child_id, facts FROM pupil_premium.child_facts"):
                register[row["child_id"]] = facts_from_json(row["facts"])
    return looked_after_children_on(register, census_date)


def school_on_roll(facts: ChildEducationFacts | None, day: date) -> str | None:
    """The school the child is on roll at on ``day`` while looked after; None otherwise."""
    if facts is None or not facts.looked_after_on(day):
        return None
    return facts.school_on(day)
