"""What the data protection officer's rules read from the log: each child as the retention
schedule sees them, each child's data protection record, and erasures whose key still exists.

Children are read from their child streams (``child-<id>``), written by the pep service: the
events that say which kind of record the council keeps and the date of birth, opened with the
child's key (a destroyed key reads as no date of birth).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.events import child_subject
from shared.privacy.events import PRIVACY, LegalHoldLifted, LegalHoldPlaced, PersonalDataErased
from shared.privacy.sealing import reveal

from event_log.domain.catalogue import CATALOGUE
from event_log.domain.protection import (
    NO_RECORD,
    DataProtectionRecord,
    DueForErasure,
    due_for_erasure,
    evolve,
)
from event_log.domain.retention import (
    DATE_OF_BIRTH,
    ENTERED_CARE,
    LEFT_CARE,
    REGISTERED_PREVIOUSLY_LOOKED_AFTER,
    ChildRecord,
    RetentionSchedules,
    child_record,
)

CHILD_STREAM_PREFIX = "child-"
# The events of a child stream the retention schedule reads, and any that carries a date of birth.
_CHILD_FACTS = f"(event_type = ANY($1::text[]) OR data ? '{DATE_OF_BIRTH}')"
_FACT_TYPES = [ENTERED_CARE, LEFT_CARE, REGISTERED_PREVIOUSLY_LOOKED_AFTER]


async def child_known(db: asyncpg.Pool, child_id: str) -> bool:
    """Whether any event in the log concerns the child."""
    return await db.fetchval(
        "SELECT EXISTS (SELECT 1 FROM eventlog.events WHERE subjects @> ARRAY[$1::text])",
        child_subject(child_id),
    )


async def child_facts(db: asyncpg.Pool, child_id: str) -> ChildRecord:
    rows = await db.fetch(
        f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE stream_id = $2 AND {_CHILD_FACTS} "
        "ORDER BY stream_version",
        _FACT_TYPES,
        CHILD_STREAM_PREFIX + child_id,
    )
    events = await reveal(db, [record_from_row(row) for row in rows])
    return child_record(child_id, ((e.event_type, e.data) for e in events))


async def every_childs_facts(db: asyncpg.Pool) -> list[ChildRecord]:
    """Every child with a child stream, as the retention schedule sees them."""
    rows = await db.fetch(
        f"SELECT {EVENT_COLUMNS} FROM eventlog.events "
        f"WHERE split_part(stream_id, '-', 1) = 'child' AND {_CHILD_FACTS} ORDER BY position",
        _FACT_TYPES,
    )
    by_child: dict[str, list[RecordedEvent]] = defaultdict(list)
    for event in await reveal(db, [record_from_row(row) for row in rows]):
        by_child[event.stream_id.removeprefix(CHILD_STREAM_PREFIX)].append(event)
    return [
        child_record(child_id, ((e.event_type, e.data) for e in events))
        for child_id, events in by_child.items()
    ]


async def due_for_erasure_on(
    db: asyncpg.Pool, schedules: RetentionSchedules, on: date
) -> list[DueForErasure]:
    """The children whose records are due for erasure on the day (``protection.due_for_erasure``)."""
    return due_for_erasure(
        await every_childs_facts(db), await every_childs_protection_record(db), schedules, on
    )


async def every_childs_protection_record(db: asyncpg.Pool) -> dict[str, DataProtectionRecord]:
    """Each child's data protection record, by subject (``child:<id>``), for those who have one."""
    rows = await db.fetch(
        f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE split_part(stream_id, '-', 1) = $1 "
        "ORDER BY position",
        PRIVACY,
    )
    records: dict[str, DataProtectionRecord] = {}
    for row in rows:
        event = CATALOGUE.decode_record(record_from_row(row))
        subject = event.subject
        records[subject] = evolve(records.get(subject, NO_RECORD), event)
    return records


@dataclass(frozen=True)
class ProtectionHistory:
    """A child's data protection record as folded, with who recorded each step (from the events'
    metadata)."""

    record: DataProtectionRecord
    version: int
    placed_by: dict[str, str] = field(default_factory=dict)
    lifted_by: dict[str, str] = field(default_factory=dict)
    erased_by: str | None = None


def protection_history(events: Sequence[RecordedEvent]) -> ProtectionHistory:
    """The record a stream's events fold to, with who recorded each step."""
    record, version = NO_RECORD, 0
    placed_by: dict[str, str] = {}
    lifted_by: dict[str, str] = {}
    erased_by: str | None = None
    for recorded in events:
        event = CATALOGUE.decode_record(recorded)
        record, version = evolve(record, event), recorded.stream_version
        actor = str(recorded.metadata.get("actor", ""))
        if isinstance(event, LegalHoldPlaced):
            placed_by[event.hold_id] = actor
        elif isinstance(event, LegalHoldLifted):
            lifted_by[event.hold_id] = actor
        elif isinstance(event, PersonalDataErased):
            erased_by = actor
    return ProtectionHistory(record, version, placed_by, lifted_by, erased_by)


async def key_destroyed_at(db: asyncpg.Pool, subject: str) -> datetime | None:
    return await db.fetchval("SELECT erased_at FROM eventlog.subject_keys WHERE subject = $1", subject)


async def erasures_left_unfinished(db: asyncpg.Pool) -> list[str]:
    """The subjects whose erasure is recorded but whose key was not destroyed (an erasure stopped
    between its two steps): their key still exists, or none was ever made."""
    rows = await db.fetch(
        "SELECT DISTINCT e.data->>'subject' AS subject FROM eventlog.events e "
        "LEFT JOIN eventlog.subject_keys k ON k.subject = e.data->>'subject' "
        "WHERE e.event_type = $1 AND split_part(e.stream_id, '-', 1) = $2 AND k.erased_at IS NULL "
        "ORDER BY 1",
        PersonalDataErased.event_type,
        PRIVACY,
    )
    return [row["subject"] for row in rows]
