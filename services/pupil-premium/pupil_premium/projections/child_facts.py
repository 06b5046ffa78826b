"""What the pep service's events say about each child, folded into ``ChildEducationFacts``.

The pep service owns children and PEPs (streams ``child-<id>`` and ``pep-<child id>``); PP+ only
ever learns about them from those events, never from another service's tables. One row per child
holds the folded facts as JSON, so a request or a payment run is decided against exactly what the
log said about the child: looked after, on roll where and when, with which PEPs and targets.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from pydantic import TypeAdapter

from shared.eventlog.records import RecordedEvent

from pupil_premium.domain.child_facts import ChildEducationFacts, evolve_facts, no_facts
from pupil_premium.domain.pep_events import PEP_EVENT_TYPES, PEP_EVENTS_READ

SCHEMA = "pupil_premium"
PEP_SERVICE_CATEGORIES = frozenset({"child", "pep"})
FACTS = TypeAdapter(ChildEducationFacts)


def facts_to_json(facts: ChildEducationFacts) -> Any:
    return FACTS.dump_python(facts, mode="json")


def facts_from_json(data: Any) -> ChildEducationFacts:
    return FACTS.validate_python(data)


class ChildFactsProjection:
    name = "pp_child_facts"
    schema = SCHEMA
    tables = ("child_facts",)
    event_types = frozenset(cls.event_type for cls in PEP_EVENT_TYPES)

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        # Only the pep service's own streams speak for a child.
        if event.category not in PEP_SERVICE_CATEGORIES:
            return
        decoded = PEP_EVENTS_READ.decode_record(event)
        child_id = decoded.child_id
        stored = await conn.fetchval(
            "SELECT facts FROM pupil_premium.child_facts WHERE child_id = $1 FOR UPDATE", child_id
        )
        facts = facts_from_json(stored) if stored is not None else no_facts(child_id)
        facts = evolve_facts(facts, decoded)
        await conn.execute(
            "INSERT INTO pupil_premium.child_facts (child_id, facts, last_position) VALUES ($1, $2, $3) "
            "ON CONFLICT (child_id) DO UPDATE "
            "SET facts = EXCLUDED.facts, last_position = EXCLUDED.last_position",
            child_id,
            facts_to_json(facts),
            event.position,
        )
