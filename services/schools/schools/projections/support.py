"""Adviser support per school and academic year: days allocated, added and used, and the visits
logged against them (the dashboard's "days allocated vs used")."""

from __future__ import annotations

import asyncpg

from schools.domain.support import SUPPORT_EVENTS, AdviserVisitLogged, SupportAllocated, SupportIncreased
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
        self._catalogue = catalogue

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        event = self._catalogue.decode(record.event_type, record.schema_version, record.data)
        match event:
            case SupportAllocated():
                await conn.execute(
                    f"INSERT INTO {YEARS} (urn, academic_year, category, academy, allocated, allocated_on) "
                    "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (urn, academic_year) DO UPDATE SET "
                    "category = excluded.category, academy = excluded.academy, "
                    "allocated = excluded.allocated, allocated_on = excluded.allocated_on",
                    event.urn,
                    event.academic_year,
                    event.category.value if event.category else None,
                    event.academy,
                    event.days,
                    event.allocated_on,
                )
            case SupportIncreased():
                await conn.execute(
                    f"INSERT INTO {YEARS} (urn, academic_year, increased) VALUES ($1, $2, $3) "
                    "ON CONFLICT (urn, academic_year) DO UPDATE SET "
                    f"increased = {YEARS}.increased + excluded.increased",
                    event.urn,
                    event.academic_year,
                    event.extra_days,
                )
            case AdviserVisitLogged():
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
                await conn.execute(
                    f"INSERT INTO {YEARS} (urn, academic_year, used) VALUES ($1, $2, $3) "
                    f"ON CONFLICT (urn, academic_year) DO UPDATE SET used = {YEARS}.used + excluded.used",
                    event.urn,
                    event.academic_year,
                    event.days,
                )
