"""The virtual school's reaction to other services' events, read from the log only.

When the schools service records an inspection judged below good or placing the school in a
category of concern, or categorises a school as a concern, or the notices service records a
warning notice given, every looked-after child on that school's roll on the day it took effect
gets an alert (domain.md section 2; seed 002). The roll is worked out from the children's own
streams as they stood at the source event, so it never depends on how far a read model has got.

The alerts go to ``schoolconcern-<source position>`` with an idempotency key naming the source
event, so a redelivered event (after a crash between appending and the checkpoint) adds nothing.
"""

from __future__ import annotations

import logging
from datetime import date

import asyncpg

from shared.eventlog.records import NewEvent, RecordedEvent

from pep.domain import school_concerns
from pep.domain.children import children_on_roll
from pep.domain.foreign_events import FOREIGN_EVENTS, school_concern_from
from pep.domain.streams import school_concern_stream
from pep.projections.log_reads import child_as_of, children_ever_at_school
from pep.wiring import Pep

log = logging.getLogger(__name__)
POLICY_ACTOR = "pep-service:school-concerns"


class SchoolConcernPolicy:
    name = "pep-school-concerns-policy"
    schema = "pep"
    tables: tuple[str, ...] = ()  # it appends events; nothing to rebuild
    event_types = frozenset(cls.event_type for cls in FOREIGN_EVENTS)

    def __init__(self, pep: Pep) -> None:
        self._pep = pep

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        event = self._pep.log.decode(record)
        source_event_id = str(record.position)
        concern = school_concern_from(event, source_event_id)
        if concern is None:
            return
        roll = await self._roll(conn, concern.urn, concern.concern_on, record.position)
        command = school_concerns.react_to_school_event(
            event, source_event_id, roll, raised_on=self._pep.today()
        )
        if command is None:
            return
        stream_id = school_concern_stream(source_event_id)
        existing = await self._pep.log.load(stream_id, school_concerns.NO_ALERTS, school_concerns.evolve)
        events = school_concerns.decide(command, existing.state)
        if not events:
            return
        # Appended directly rather than through ``ServiceLog.execute``: the events take effect on
        # the day the school's concern did, and the idempotency key and metadata name the source
        # event, not a request.
        await self._pep.log.append(
            stream_id,
            [NewEvent.from_event(e, default_effective_date=concern.concern_on) for e in events],
            expected_version=existing.version,
            metadata={
                "actor": POLICY_ACTOR,
                "role": "service",
                "service": "pep",
                "causation_id": source_event_id,
                "correlation_id": str(record.metadata.get("correlation_id") or source_event_id),
            },
            idempotency_key=f"pep:school-concern:{source_event_id}",
        )
        log.info("alerted the virtual school about %d children at %s", len(events), concern.urn)

    async def _roll(self, conn: asyncpg.Connection, urn: str, day: date, position: int) -> tuple[str, ...]:
        states = [
            await child_as_of(conn, self._pep.log.catalogue, child_id, position)
            for child_id in await children_ever_at_school(conn, urn, position)
        ]
        return children_on_roll(states, urn, day)
