"""``notices.school_facts``: what the notices service knows of each school, folded from the
schools service's events (the queries use it for names and to leave closed schools out)."""

from __future__ import annotations

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue
from shared.jsonable import state_to_json
from notices.domain.school_facts import UNKNOWN_SCHOOL, SchoolFacts
from notices.domain.schools_events import SCHOOLS_EVENTS, apply_school_event
from notices.projections.state_codec import state_from_json


class SchoolFactsProjection:
    name = "notices-school-facts"
    schema = "notices"
    tables = ("school_facts",)
    event_types = frozenset(cls.event_type for cls in SCHOOLS_EVENTS)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        event = self._catalogue.decode_record(record)
        urn: str = event.urn  # type: ignore[attr-defined]
        stored = await conn.fetchval("SELECT facts FROM notices.school_facts WHERE urn = $1 FOR UPDATE", urn)
        facts = state_from_json(SchoolFacts, stored) if stored is not None else UNKNOWN_SCHOOL
        # Kept even before the school is registered (an inspection imported first), exactly as
        # a fold of the school's streams would keep it.
        facts = apply_school_event(facts, event)
        await conn.execute(
            "INSERT INTO notices.school_facts (urn, registered, name, status, maintained, academy, facts, position) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            "ON CONFLICT (urn) DO UPDATE SET registered = $2, name = $3, status = $4, maintained = $5, "
            "academy = $6, facts = $7, position = $8",
            urn,
            facts.known,
            facts.name,
            facts.status.value,
            facts.is_maintained,
            facts.is_academy,
            state_to_json(facts),
            record.position,
        )
