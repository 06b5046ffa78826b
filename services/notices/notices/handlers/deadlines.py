"""A stream's deadlines that have passed, appended as the events they carry.

The stream is folded afresh from the log and each deadline still pending there whose day has
come is appended with the stream's expected version and an idempotency key naming the deadline,
so it fires exactly once: after a missed day, after a restart, with two instances running, or
when the job runs twice. A confirmed notice's eligibility date is appended with the eligibility it
makes on the school's intervention stream, in one append. (The append is made here rather than through ``ServiceLog.execute``
because its idempotency key and metadata name the deadline itself, as recorded since the service
began.)
"""

from __future__ import annotations

from datetime import date

from shared.errors import Conflict, DomainError
from shared.eventlog.records import NewEvent, StreamAppend, stream_category
from shared.eventlog.store import WrongExpectedVersion
from notices.domain.deadlines import Deadline, DeadlineKind
from notices.domain.streams import STREAM_KINDS
from notices.handlers.common import service_context
from notices.handlers.interventions import eligibility_recorded_with
from notices.queries.school_facts import school_facts
from notices.wiring import Notices

ACTOR = "notices-deadline-scheduler"
ATTEMPTS = 5


def deadline_key(stream_id: str, deadline: Deadline) -> str:
    return f"{stream_id}:{deadline.kind.value}:{deadline.reference}:{deadline.due_on.isoformat()}"


async def _eligibility_with(notices: Notices, deadline: Deadline, today: date) -> list[StreamAppend]:
    """A confirmed notice's eligibility date makes the school eligible: the intervention stream's
    part of the same append. Should the eligibility be refused (the school no longer open), the
    date is still recorded and the refusal is left to the reaction, as before."""
    school = await school_facts(notices.log, deadline.urn)
    try:
        caused = await eligibility_recorded_with(notices, deadline.urn, [deadline.event], school, today)
    except DomainError:
        return []
    if caused is None:
        return []
    stream_id, version, events = caused
    new = tuple(NewEvent.from_event(e, default_effective_date=today) for e in events)
    return [StreamAppend(stream_id, new, version)]


async def fire_passed_deadlines(notices: Notices, stream_id: str, today: date) -> int:
    """Append each deadline of ``stream_id`` fired by ``today``; returns how many events were
    appended."""
    kind = STREAM_KINDS.get(stream_category(stream_id))
    if kind is None or kind.pending_deadlines is None:
        return 0
    fired, done = 0, set()
    for _ in range(ATTEMPTS * 10):
        loaded = await notices.log.load(stream_id, kind.initial, kind.evolve)
        due = sorted(
            (
                d
                for d in kind.pending_deadlines(loaded.state)
                if d.fires_on <= today and deadline_key(stream_id, d) not in done
            ),
            key=lambda d: (d.fires_on, d.kind.value),
        )
        if not due:
            return fired
        deadline = due[0]
        key = deadline_key(stream_id, deadline)
        ctx = service_context(notices, ACTOR, key, causation=f"deadline:{key}")
        appends = [
            StreamAppend(
                stream_id,
                (NewEvent.from_event(deadline.event, default_effective_date=today),),
                loaded.version,
            )
        ]
        if deadline.kind is DeadlineKind.ELIGIBILITY_DATE:
            appends += await _eligibility_with(notices, deadline, today)
        try:
            recorded = await notices.log.append_streams(
                appends,
                metadata={**ctx.metadata(), "deadline": deadline.kind.value},
                idempotency_key=f"notices:deadline:{key}",
            )
        except WrongExpectedVersion:
            continue  # someone appended meanwhile: fold again and look again
        done.add(key)
        fired += sum(1 for r in recorded if r.stream_id == stream_id and r.stream_version > loaded.version)
    raise Conflict(f"{stream_id} kept changing while its deadlines were being recorded")
