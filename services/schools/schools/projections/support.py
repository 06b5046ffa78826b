"""Adviser support per school and academic year: days allocated, added and used, and the visits
logged against them (the dashboard's "days allocated vs used").

A year's days are the year as the school's support record folds it (``domain.support.evolve``),
up to the event being applied. The category and offer an allocation was made under, the day it
was made, and each visit's own details are copied from the event that states them.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from schools.domain.support import SUPPORT_EVENTS, AdviserVisitLogged, SupportAllocated, SupportRecord
from schools.projections.folds import school_folds
from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue

YEARS = "schools.support_years"
VISITS = "schools.adviser_visits"


class SupportYears:
    name = "schools.support"
    schema = "schools"
    tables = ("support_years", "adviser_visits")
    event_types = frozenset(cls.event_type for cls in SUPPORT_EVENTS)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._folds = school_folds(catalogue)

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        step = await self._folds.step(conn, record)
        event = step.event
        after: SupportRecord = step.after
        urn, academic_year = event.urn, event.academic_year  # type: ignore[attr-defined]
        year = after.year(academic_year)
        if year is None:
            return
        row: dict[str, Any] = {
            "urn": urn,
            "academic_year": academic_year,
            "allocated": year.allocated,
            "increased": year.increased,
            "used": year.used,
        }
        if isinstance(event, SupportAllocated):
            row |= {
                "category": event.category.value if event.category else None,
                "academy": event.academy,
                "allocated_on": event.allocated_on,
            }
        names = list(row)
        await conn.execute(
            f"INSERT INTO {YEARS} ({', '.join(names)}) "
            f"VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))}) "
            "ON CONFLICT (urn, academic_year) DO UPDATE SET "
            + ", ".join(f"{n} = EXCLUDED.{n}" for n in names[2:]),
            *row.values(),
        )
        if isinstance(event, AdviserVisitLogged):
            await conn.execute(
                f"INSERT INTO {VISITS} "
                "(urn, visit_id, academic_year, visited_on, adviser, days, purpose, notes) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                event.urn,
                event.visit_id,
                event.academic_year,
                event.visited_on,
                event.adviser,
                event.days,
                event.purpose,
                event.notes,
            )
