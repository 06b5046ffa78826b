"""Everything the council holds about one child, gathered to answer their subject access request
(UK GDPR Article 15).

* every event about the child (``subjects`` names ``child:<id>``), from every service and stream,
  opened: personal fields readable, or null and named in ``erased`` where the child's key was
  destroyed;
* the records each service holds about the child, folded exactly as ``/children/{child_id}/state``
  folds them (``state_as_of.record_state``), as of the same log position as the events;
* every read of the child's record: by a person (``eventlog.record_reads``), and every bulk read
  of the log (a feed page, an export) whose answer included the child (``eventlog.bulk_reads``);
* the child's data-protection record: legal holds and erasure (stream ``privacy-child:<id>``),
  and when the child's key was destroyed.

The whole history is read, never a page of it: a child's history is at most thousands of events,
and an answer to a subject access request that left some out would be wrong.

An event that also concerns other children (a payment run, a school project) is shown with their
identifiers withheld, and a bulk read without the list of children it returned: the requester is
told about their own data, not another child's (Article 15(4)).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from shared.errors import NotFound
from shared.eventlog.records import RecordedEvent
from shared.events import child_subject
from shared.privacy.events import LegalHoldLifted, LegalHoldPlaced, PersonalDataErased, privacy_stream
from shared.web.audit import BulkRead, RecordRead, reads_of_child

from event_log.queries.events import CHILD_SUBJECT
from event_log.queries.pages import Selection, head_position, read_page
from event_log.queries.state_as_of import Cutoff, record_state
from event_log.registry import Registry

PAGE = 1000
ANOTHER_CHILD = "withheld: another child"
LEGAL_HOLD_EVENTS = frozenset({LegalHoldPlaced.event_type, LegalHoldLifted.event_type})
ERASURE_EVENTS = frozenset({PersonalDataErased.event_type})
NO_NOTIFICATIONS = (
    "No notifications sent about this child are held: the education services keep no record of "
    "messages sent. Where a school's headteacher or designated teacher was to be told about the "
    "child, that is among the events recorded about the child."
)


@dataclass(frozen=True)
class ChildHistory:
    """What the log holds about the child, up to ``log_position``."""

    child_id: str
    log_position: int
    events: list[RecordedEvent]
    records: list[dict[str, Any]]
    key_destroyed_at: datetime | None


@dataclass(frozen=True)
class RecordReads:
    by_people: list[RecordRead]
    in_bulk: list[BulkRead]


async def child_history(pool: asyncpg.Pool, registry: Registry, child_id: str) -> ChildHistory:
    """Every event about the child and the records folded from them, as the log stands now; 404
    when the log knows nothing about the child."""
    log_position = await head_position(pool)
    events = await _events_about(pool, child_subject(child_id), log_position)
    if not events:
        raise NotFound(f"the log has no events about child {child_id}", field="child_id")
    try:
        records = await record_state(
            pool, registry, child_subject(child_id), child_id, Cutoff(position=log_position), "child_id"
        )
    except NotFound:  # events about the child, in other records only (a PP+ budget, say)
        records = []
    key_destroyed_at = await pool.fetchval(
        "SELECT erased_at FROM eventlog.subject_keys WHERE subject = $1", child_subject(child_id)
    )
    return ChildHistory(child_id, log_position, events, records, key_destroyed_at)


async def _events_about(pool: asyncpg.Pool, subject: str, up_to: int) -> list[RecordedEvent]:
    about, events, after = Selection(subject=subject), [], 0
    while page := await read_page(pool, about, after=after, limit=PAGE, up_to=up_to):
        events.extend(page)
        after = page[-1].position
    return events


async def reads_of_record(pool: asyncpg.Pool, child_id: str) -> RecordReads:
    """Every read of the child's record, oldest first: each by a person, and each bulk read that
    included the child's events."""
    reads = await reads_of_child(pool, child_id)
    return RecordReads(
        [r for r in reads if isinstance(r, RecordRead)], [r for r in reads if isinstance(r, BulkRead)]
    )


def subject_access_report(
    history: ChildHistory, reads: RecordReads, *, produced_at: datetime, produced_by: str, role: str
) -> dict[str, Any]:
    """The report as JSON: what the API answers, and what the printable document is written from."""
    own_privacy_stream = privacy_stream(child_subject(history.child_id))
    events = [event_shown(e, history.child_id) for e in history.events]
    data_protection = [e for e in events if e["stream_id"] == own_privacy_stream]
    return {
        "child_id": history.child_id,
        "produced_at": produced_at.isoformat(),
        "produced_by": {"actor": produced_by, "role": role},
        "log_position": history.log_position,
        "records": [_record_shown(r, history.events) for r in history.records],
        "events": events,
        "record_reads": [_read_shown(r) for r in reads.by_people],
        "bulk_reads": [_bulk_read_shown(r) for r in reads.in_bulk],
        "notifications": {"items": [], "summary": NO_NOTIFICATIONS},
        "data_protection": {
            "legal_holds": [e for e in data_protection if e["type"] in LEGAL_HOLD_EVENTS],
            "erasures": [e for e in data_protection if e["type"] in ERASURE_EVENTS],
            "key_destroyed_at": history.key_destroyed_at.isoformat() if history.key_destroyed_at else None,
        },
    }


def event_shown(event: RecordedEvent, child_id: str) -> dict[str, Any]:
    own = child_subject(child_id)
    others = {
        s.removeprefix(CHILD_SUBJECT) for s in event.subjects if s.startswith(CHILD_SUBJECT) and s != own
    }
    return {
        "position": event.position,
        "stream_id": event.stream_id,
        "stream_version": event.stream_version,
        "type": event.event_type,
        "schema_version": event.schema_version,
        "effective_date": event.effective_date.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "recorded_by": {name: event.metadata.get(name) for name in ("actor", "role", "service")},
        "subjects": [s for s in event.subjects if not (s.startswith(CHILD_SUBJECT) and s != own)],
        "data": _withheld(event.data, others) if others else event.data,
        "erased": list(event.erased),
        "other_children_withheld": len(others),
    }


def _withheld(value: Any, children: set[str]) -> Any:
    """``value`` with every mention of these children's identifiers withheld."""
    if isinstance(value, dict):
        return {key: _withheld(item, children) for key, item in value.items()}
    if isinstance(value, list):
        return [_withheld(item, children) for item in value]
    if isinstance(value, str) and value in children:
        return ANOTHER_CHILD
    return value


def _record_shown(record: dict[str, Any], events: Iterable[RecordedEvent]) -> dict[str, Any]:
    """One record as ``record_state`` folded it, naming the personal fields erased from the events
    it was folded from: where the state shows such a field empty, it is empty because it was
    erased."""
    erased = sorted({name for e in events if e.stream_id == record["stream_id"] for name in e.erased})
    return {**record, "erased": erased}


def _read_shown(read: RecordRead) -> dict[str, Any]:
    return {
        "id": read.id,
        "read_at": read.read_at.isoformat(),
        "actor": read.actor,
        "role": read.role,
        "service": read.service,
        "child_id": read.child_id,
        "route": read.route,
        "request_id": read.request_id,
    }


def _bulk_read_shown(read: BulkRead) -> dict[str, Any]:
    # Which other children the read included is theirs, not the requester's: left out.
    return {
        "id": read.id,
        "read_at": read.read_at.isoformat(),
        "actor": read.actor,
        "role": read.role,
        "service": read.service,
        "route": read.route,
        "request_id": read.request_id,
        "first_position": read.first_position,
        "last_position": read.last_position,
        "events": read.events,
    }
