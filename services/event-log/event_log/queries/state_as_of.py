"""Replay: a record's state as it was, folded from the log with the owning service's own evolve.

Three cut-offs, which combine:

* ``as_of`` (a date) - *what was true* on that day: only events that had taken effect by then;
* ``known_at`` (an instant) - *what the council knew* then: only events recorded by then;
* ``position`` - the state as of one point in the log, e.g. to compare with a read model that
  had processed the log up to that position.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import asyncpg

from shared.clock import COUNCIL_TIMEZONE
from shared.database import BIGINT_MAX
from shared.errors import DomainError, InvalidInput, NotFound
from shared.eventlog.records import RecordedEvent, stream_category
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.privacy.sealing import reveal, unopened

from event_log.registry import Registry


class CannotReplay(DomainError):
    """The events up to the cut-off do not fold: the service's evolve refused one of them."""

    status = 422
    title = "Cannot replay"


@dataclass(frozen=True)
class Cutoff:
    position: int | None = None
    as_of: date | None = None
    known_at: datetime | None = None

    @classmethod
    def of(
        cls, *, position: int | None, as_of: date | None, known_on: date | None, known_at: datetime | None
    ) -> Cutoff:
        if known_on is not None and known_at is not None:
            raise InvalidInput("give known_on (a day) or known_at (an instant), not both", field="known_at")
        if known_at is not None and known_at.tzinfo is None:
            raise InvalidInput("known_at needs a time zone, e.g. 2025-03-01T17:00:00+00:00", field="known_at")
        if known_on is not None:
            # Everything recorded by the end of that day in England. (The last instant of the day
            # itself: counting back from the next midnight fails on the calendar's last day.)
            known_at = datetime.combine(known_on, time.max, COUNCIL_TIMEZONE)
        return cls(position=position, as_of=as_of, known_at=known_at)

    @property
    def field(self) -> str | None:
        for name in ("position", "as_of", "known_at"):
            if getattr(self, name) is not None:
                return name
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "known_at": self.known_at.isoformat() if self.known_at else None,
        }


async def stream_state(
    pool: asyncpg.Pool, registry: Registry, stream_id: str, cutoff: Cutoff, *, personal_data: bool = True
) -> dict[str, Any]:
    """The stream folded to the cut-off. Without ``personal_data`` its events' personal fields are
    folded as unknown (None), never opened: the state holds none of them."""
    category = stream_category(stream_id)
    events = await stream_events(
        pool,
        stream_id,
        up_to_position=cutoff.position,
        effective_on_or_before=cutoff.as_of,
        recorded_at_or_before=cutoff.known_at,
        personal_data=personal_data,
    )
    answer: dict[str, Any] = {
        "stream_id": stream_id,
        "category": category,
        "service": None,
        "version": events[-1].stream_version if events else 0,
        "last_position": events[-1].position if events else None,
        "events_folded": len(events),
        "state": None,
        "replayable": False,
        "reason": None,
    }
    aggregate = registry.aggregates.get(category)
    if aggregate is None:
        answer["reason"] = (
            f"no service publishes how to fold {category} streams (a replay.py AGGREGATES entry)"
        )
        return answer
    state = aggregate.initial() if inspect.isclass(aggregate.initial) else aggregate.initial
    for event in events:
        try:
            domain_event = aggregate.catalogue.decode_record(event)
            state = aggregate.evolve(state, domain_event)
        except Exception as exc:  # the service's own rules refused the event: say which and why
            raise CannotReplay(
                f"{stream_id} cannot be folded at this cut-off: its event at position {event.position} "
                f"({event.event_type}) does not apply to the state before it: {exc}",
                field=cutoff.field,
            ) from exc
    answer.update(service=aggregate.service, state=aggregate.state_to_json(state), replayable=True)
    return answer


async def record_state(
    pool: asyncpg.Pool, registry: Registry, subject: str, record_id: str, cutoff: Cutoff, field: str,
    *, personal_data: bool = True,
) -> list[dict[str, Any]]:
    """Every stream of a child's or a school's own record, each folded to the cut-off. A stream
    that does not fold is reported with its reason; the others are still answered."""
    stream_ids = await streams_named_for(pool, subject, record_id)
    if not stream_ids:
        raise NotFound(f"the log has no record of {subject}", field=field)
    answers = []
    for stream_id in stream_ids:
        try:
            answers.append(await stream_state(pool, registry, stream_id, cutoff, personal_data=personal_data))
        except CannotReplay as refused:
            answers.append(
                {
                    "stream_id": stream_id,
                    "category": stream_category(stream_id),
                    "state": None,
                    "replayable": False,
                    "reason": refused.detail,
                }
            )
    return answers


async def stream_events(
    pool: asyncpg.Pool,
    stream_id: str,
    *,
    up_to_position: int | None = None,
    effective_on_or_before: date | None = None,
    recorded_at_or_before: datetime | None = None,
    personal_data: bool = True,
) -> list[RecordedEvent]:
    """One stream's events in version order, up to whichever cut-offs are given; their personal
    fields opened, or with ``personal_data`` false left unopened and read as unknown."""
    rows = await pool.fetch(
        f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE stream_id = $1"
        " AND ($2::bigint IS NULL OR position <= $2)"
        " AND ($3::date IS NULL OR effective_date <= $3)"
        " AND ($4::timestamptz IS NULL OR recorded_at <= $4)"
        " ORDER BY stream_version",
        stream_id,
        None if up_to_position is None else min(up_to_position, BIGINT_MAX),
        effective_on_or_before,
        recorded_at_or_before,
    )
    records = [record_from_row(r) for r in rows]
    return await reveal(pool, records) if personal_data else [unopened(r) for r in records]


async def streams_named_for(pool: asyncpg.Pool, subject: str, record_id: str) -> list[str]:
    """The streams that are this child's or school's own record: those concerning the subject
    whose id is the record's id (``child-C1``, ``pep-C1`` for child C1; ``school-100001``,
    ``inspections-100001`` for school 100001), as opposed to streams that merely mention it."""
    rows = await pool.fetch(
        "SELECT DISTINCT stream_id FROM eventlog.events WHERE subjects @> ARRAY[$1::text] "
        "AND strpos(stream_id, '-') > 0 AND substr(stream_id, strpos(stream_id, '-') + 1) = $2 "
        "ORDER BY stream_id",
        subject,
        record_id,
    )
    return [r["stream_id"] for r in rows]
