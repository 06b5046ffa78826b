"""Which events make up a child's or a school's timeline.

A child's timeline is every event about the child, from every service (care, school places,
PEPs, PP+ requests and payments), plus the events of each school the child attended, dated within
the time the child was on that school's roll. A school's timeline is every event about the school.
"""

from __future__ import annotations

import asyncpg

from shared.errors import NotFound
from shared.events import child_subject, school_subject

from event_log.queries.pages import Selection, read_page
from event_log.queries.roll_periods import PLACEMENT_EVENT_TYPES, RollPeriod, roll_periods
from event_log.registry import Registry


async def child_roll_periods(pool: asyncpg.Pool, registry: Registry, child_id: str) -> list[RollPeriod]:
    placements = Selection(event_types=PLACEMENT_EVENT_TYPES, subject=child_subject(child_id))
    events, after = [], 0
    while page := await read_page(pool, placements, after=after, limit=1000):
        events.extend(page)
        after = page[-1].position
    return roll_periods(events, registry.upcast)


async def child_timeline(pool: asyncpg.Pool, registry: Registry, child_id: str) -> Selection:
    await _require_subject(
        pool, child_subject(child_id), f"the log has no events about child {child_id}", "child_id"
    )
    periods = await child_roll_periods(pool, registry, child_id)
    return Selection(child_id=child_id, roll_periods=tuple(periods))


async def school_timeline(
    pool: asyncpg.Pool, urn: str, *, event_types: tuple[str, ...] = (), categories: tuple[str, ...] = ()
) -> Selection:
    await _require_subject(pool, school_subject(urn), f"the log has no events about school {urn}", "urn")
    return Selection(subject=school_subject(urn), event_types=event_types, categories=categories)


async def _require_subject(pool: asyncpg.Pool, subject: str, detail: str, field: str) -> None:
    known = await pool.fetchval(
        "SELECT 1 FROM eventlog.events WHERE subjects @> ARRAY[$1::text] LIMIT 1", subject
    )
    if known is None:
        raise NotFound(detail, field=field)
