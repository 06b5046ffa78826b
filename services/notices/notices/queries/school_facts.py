"""A school's facts, folded from the schools service's own streams in the log.

Decisions read the school's streams (``school-<urn>``, ``inspections-<urn>``) at the moment they
are taken rather than a read model, so a notice drafted the instant after the school is
registered, converted or closed sees that change. A policy passes the position of the event it
reacts to, so it judges the school as it stood when that event happened.
"""

from __future__ import annotations

from shared.web.commands import ServiceLog
from notices.domain.school_facts import SchoolFacts
from notices.domain.schools_events import school_facts_from

SCHOOL_STREAMS = ("school", "inspections")


async def school_facts(log: ServiceLog, urn: str, *, up_to_position: int | None = None) -> SchoolFacts:
    """For an academy that replaced a school, the predecessor's register stream is read too: its
    conversion names the academy's trust."""
    records = []
    for category in SCHOOL_STREAMS:
        records += await log.store.read_stream(f"{category}-{urn}", up_to_position=up_to_position)
    records.sort(key=lambda r: r.position)
    events = [log.decode(r) for r in records if log.catalogue.knows(r.event_type)]
    facts = school_facts_from(events)
    if facts.predecessor_urn is None:
        return facts
    predecessor = await log.store.read_stream(
        f"school-{facts.predecessor_urn}", up_to_position=up_to_position
    )
    return school_facts_from(
        events, [log.decode(r) for r in predecessor if log.catalogue.knows(r.event_type)]
    )
