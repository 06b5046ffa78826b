"""``notices.school_facts``: what the notices service knows of each school, folded from the
schools service's events (the queries use it for names and to leave closed schools out)."""

from __future__ import annotations

from collections.abc import Sequence

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.events import Event, EventCatalogue
from shared.jsonable import state_to_json
from notices.domain.school_facts import UNKNOWN_SCHOOL, SchoolFacts
from notices.domain.schools_events import (
    SCHOOLS_EVENTS,
    SchoolConvertedToAcademy,
    apply_conversion_to_academy,
    apply_school_event,
)
from notices.projections.state_codec import state_from_json


def _schools_of(event: Event) -> tuple[str, ...]:
    """The schools whose facts an event changes: its own, and an academy its conversion names."""
    urn: str = event.urn  # type: ignore[attr-defined]
    if isinstance(event, SchoolConvertedToAcademy) and event.academy_urn:
        return (urn, event.academy_urn)
    return (urn,)


class SchoolFactsProjection:
    name = "notices-school-facts"
    schema = "notices"
    tables = ("school_facts",)
    event_types = frozenset(cls.event_type for cls in SCHOOLS_EVENTS)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        await self.apply_batch(conn, [record])

    async def apply_batch(self, conn: asyncpg.Connection, records: Sequence[RecordedEvent]) -> None:
        """Each school's facts read once, every event of the batch applied to them in turn, and
        each school's row written once, as the last of its events left it."""
        events = [self._catalogue.decode_record(record) for record in records]
        urns = list(dict.fromkeys(urn for event in events for urn in _schools_of(event)))
        stored = dict(
            await conn.fetch(
                "SELECT urn, facts FROM notices.school_facts WHERE urn = ANY($1::text[]) FOR UPDATE", urns
            )
        )
        facts = {
            urn: state_from_json(SchoolFacts, stored[urn]) if urn in stored else UNKNOWN_SCHOOL
            for urn in urns
        }
        last: dict[str, int] = {}
        for record, event in zip(records, events):
            urn: str = event.urn  # type: ignore[attr-defined]
            # Kept even before the school is registered (an inspection imported first), exactly
            # as a fold of the school's streams would keep it.
            facts[urn] = apply_school_event(facts[urn], event)
            last[urn] = record.position
            if isinstance(event, SchoolConvertedToAcademy) and event.academy_urn:
                # The academy's trust is named only on its predecessor's conversion.
                facts[event.academy_urn] = apply_conversion_to_academy(facts[event.academy_urn], event)
                last[event.academy_urn] = record.position
        await conn.executemany(
            "INSERT INTO notices.school_facts (urn, registered, name, status, maintained, academy, facts, position) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
            "ON CONFLICT (urn) DO UPDATE SET registered = $2, name = $3, status = $4, maintained = $5, "
            "academy = $6, facts = $7, position = $8",
            [
                (
                    urn,
                    school.known,
                    school.name,
                    school.status.value,
                    school.is_maintained,
                    school.is_academy,
                    state_to_json(school),
                    last[urn],
                )
                for urn, school in facts.items()
            ],
        )
