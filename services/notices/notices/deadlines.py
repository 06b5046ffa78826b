"""Deadlines that fire on their own: the scheduler's job.

The read model keeps every pending deadline with the day it fires (``notices.deadlines``). Each
run takes the streams with a deadline fired by the clock's today, folds each stream afresh from
the log, and appends each deadline still pending there - compliance period end, end of the window
for representations, eligibility date, direction response and directed-notice deadlines,
consultation close, lapse of powers - with the stream's expected version and an idempotency key
naming the deadline. A deadline therefore fires exactly once: after a missed day, after a
restart, with two instances running, or when the job runs twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.errors import Conflict
from shared.events import Event
from shared.eventlog.records import NewEvent, stream_category
from shared.eventlog.store import WrongExpectedVersion
from shared.scheduler import ScheduledJob
from notices.domain import direction, intervention, warning_notice
from notices.domain.deadlines import Deadline
from notices.handlers.common import service_context
from notices.wiring import Notices, from_state

log = logging.getLogger(__name__)
ACTOR = "notices-deadline-scheduler"
ATTEMPTS = 5


@dataclass(frozen=True)
class DeadlineStream:
    initial: Any
    evolve: Callable[[Any, Event], Any]
    pending: Callable[[Any], list[Deadline]]


STREAMS_WITH_DEADLINES = {
    "notice": DeadlineStream(
        warning_notice.NO_NOTICE, warning_notice.evolve, warning_notice.pending_deadlines
    ),
    "intervention": DeadlineStream(
        intervention.NO_INTERVENTION, intervention.evolve, intervention.pending_deadlines
    ),
    "direction": DeadlineStream(direction.NO_DIRECTION, direction.evolve, direction.pending_deadlines),
}


def deadline_key(stream_id: str, deadline: Deadline) -> str:
    return f"{stream_id}:{deadline.kind.value}:{deadline.reference}:{deadline.due_on.isoformat()}"


def _same(a: Deadline, b: Deadline) -> bool:
    return (a.kind, a.reference, a.due_on) == (b.kind, b.reference, b.due_on)


async def fire_due_deadlines(notices: Notices) -> int:
    """Append every deadline fired by today; returns how many events were appended."""
    today = notices.today()
    streams = await notices.pool.fetch(
        "SELECT DISTINCT stream_id FROM notices.deadlines WHERE fires_on <= $1 ORDER BY stream_id", today
    )
    fired = 0
    for row in streams:
        try:
            fired += await _fire_stream(notices, row["stream_id"], today)
        except Exception:  # one stream's trouble must not hold up the others' deadlines
            log.exception("could not fire the deadlines of %s; trying again next run", row["stream_id"])
    return fired


async def _fire_stream(notices: Notices, stream_id: str, today: date) -> int:
    kind = STREAMS_WITH_DEADLINES.get(stream_category(stream_id))
    if kind is None:
        return 0
    fired, done = 0, set()
    for _ in range(ATTEMPTS * 10):
        loaded = await notices.log.load(stream_id, kind.initial, kind.evolve)
        due = sorted(
            (
                d
                for d in kind.pending(loaded.state)
                if d.fires_on <= today and deadline_key(stream_id, d) not in done
            ),
            key=lambda d: (d.fires_on, d.kind.value),
        )
        if not due:
            return fired
        deadline = due[0]
        key = deadline_key(stream_id, deadline)
        ctx = service_context(notices, ACTOR, key, causation=f"deadline:{key}")
        try:
            recorded = await notices.log.store.append(
                stream_id,
                [NewEvent.from_event(deadline.event, default_effective_date=today)],
                expected_version=loaded.version,
                metadata={**ctx.metadata(), "deadline": deadline.kind.value},
                idempotency_key=f"notices:deadline:{key}",
            )
        except WrongExpectedVersion:
            continue  # someone appended meanwhile: fold again and look again
        done.add(key)
        fired += sum(1 for r in recorded if r.stream_id == stream_id and r.stream_version > loaded.version)
    raise Conflict(f"{stream_id} kept changing while its deadlines were being recorded")


def deadline_jobs() -> list[ScheduledJob]:
    async def run(state: Any) -> int:
        return await fire_due_deadlines(from_state(state))

    return [ScheduledJob("notices-deadlines", run)]
