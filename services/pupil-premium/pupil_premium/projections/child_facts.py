"""What the pep service's events say about each child, folded into ``ChildEducationFacts``.

The pep service owns children and PEPs (streams ``child-<id>`` and ``pep-<child id>``); PP+ only
ever learns about them from those events, never from another service's tables. One row per child
holds the folded facts as JSON, so a request or a payment run is decided against exactly what the
log said about the child: looked after, on roll where and when, with which PEPs and targets.
"""

from __future__ import annotations

from collections.abc import Sequence
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
        await self.apply_batch(conn, [event])

    async def apply_batch(self, conn: asyncpg.Connection, events: Sequence[RecordedEvent]) -> None:
        """Each child's facts read once, every event of the batch applied to them in turn, and
        each child's row written once, as the last of their events left it."""
        # Only the pep service's own streams speak for a child.
        theirs = [event for event in events if event.category in PEP_SERVICE_CATEGORIES]
        decoded = [PEP_EVENTS_READ.decode_record(event) for event in theirs]
        child_ids = list(dict.fromkeys(d.child_id for d in decoded))
        stored = dict(
            await conn.fetch(
                "SELECT child_id, facts FROM pupil_premium.child_facts WHERE child_id = ANY($1::text[]) "
                "FOR UPDATE",
                child_ids,
            )
        )
        facts = {
            child_id: facts_from_json(stored[child_id]) if child_id in stored else no_facts(child_id)
            for child_id in child_ids
        }
        last: dict[str, int] = {}
        for event, d in zip(theirs, decoded):
            facts[d.child_id] = evolve_facts(facts[d.child_id], d)
            last[d.child_id] = event.position
        await conn.executemany(
            "INSERT INTO pupil_premium.child_facts (child_id, facts, last_position) VALUES ($1, $2, $3) "
            "ON CONFLICT (child_id) DO UPDATE "
            "SET facts = EXCLUDED.facts, last_position = EXCLUDED.last_position",
            [(child_id, facts_to_json(f), last[child_id]) for child_id, f in facts.items()],
        )
