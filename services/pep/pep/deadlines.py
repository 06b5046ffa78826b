"""The deadline scheduler: PEPs not initiated, not in place or not reviewed by their due date are
recorded overdue on their own, whether or not anyone is looking (domain.md section 2).

Each run goes through every child who has been in care, folds the child's streams and the
council's settings as they are now, and appends the overdue events due as of the clock's today,
one append per deadline with an idempotency key naming it (``pep:overdue:<child>:<deadline>``):
a deadline fires exactly once, after a restart, after a missed day, or with several instances
running. The PEP stream also remembers the deadlines already raised, so they are not decided again.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from shared.eventlog.records import NewEvent
from shared.eventlog.store import WrongExpectedVersion
from shared.scheduler import ScheduledJob

from pep.domain import attendance
from pep.domain.council_config import CouncilConfig
from pep.domain.deadlines import overdue_events
from pep.domain.streams import attendance_stream, pep_stream
from pep.domain.terms import TermDatesMissing
from pep.projections.log_reads import children_ever_in_care
from pep.queries import attendance as attendance_queries
from pep.wiring import Pep, from_state

log = logging.getLogger(__name__)
SCHEDULER_ACTOR = "pep-service:deadline-scheduler"


async def raise_overdue_peps(state: Any) -> int:
    """The scheduler's job; the scheduler hands it the app's state."""
    pep = from_state(state)
    today = pep.today()
    settings = await pep.config()
    appended = 0
    for child_id in await children_ever_in_care(pep.pool):
        try:
            appended += await _raise_for_child(pep, settings, child_id, today)
        except Exception:
            # One child's stream that cannot be folded must not stop every other child's deadlines;
            # the error is logged with the child and retried on the next run.
            log.exception("PEP deadlines of child %s could not be checked", child_id)
    return appended


async def _raise_for_child(pep: Pep, settings: CouncilConfig, child_id: str, today: date) -> int:
    child = await pep.child(child_id)
    peps = await pep.peps(child_id)
    try:
        due = overdue_events(
            child.state, peps.state, settings.timing_policies(), settings.school_calendar(), today
        )
    except TermDatesMissing as missing:
        log.warning("PEP deadlines of child %s cannot be checked: %s", child_id, missing.detail)
        return 0
    version = peps.version
    # Appended directly rather than through ``ServiceLog.execute``: there is no request, and the
    # idempotency key names the deadline itself, so it is the same in every run and instance.
    for event in due:
        try:
            recorded = await pep.log.append(
                pep_stream(child_id),
                [NewEvent.from_event(event, default_effective_date=today)],
                expected_version=version,
                metadata={"actor": SCHEDULER_ACTOR, "role": "service", "service": "pep"},
                idempotency_key=f"pep:overdue:{child_id}:{event.obligation_key()}",
            )
        except WrongExpectedVersion:
            # Someone recorded a PEP step meanwhile: the next run decides again with it.
            return due.index(event)
        version = max(version, recorded[-1].stream_version)
    return len(due)


PEP_DEADLINES = ScheduledJob("pep-overdue", raise_overdue_peps)


async def raise_missing_education_alerts(state: Any) -> int:
    """The daily check for children who may be missing education (domain.md section 6): each
    looked-after child on a school's roll whom no school has marked for the council's number of
    school days (``missing_education_school_days``) gets ``ChildPossiblyMissingEducation`` once
    for that gap, with an idempotency key naming the child and their last marked day. Only schools
    that send the council their marks are looked at: for one that sends none, no marks says
    nothing about a child."""
    pep = from_state(state)
    today = pep.today()
    settings = await pep.config()
    calendar, policies = settings.school_calendar(), settings.attendance_policies()
    if not calendar.covers(today):
        return 0
    appended = 0
    for row in await attendance_queries.children_on_roll_with_last_mark(pep.pool):
        try:
            appended += await _missing_education_for_child(pep, calendar, policies, row, today)
        except Exception:
            log.exception("attendance of child %s could not be checked for missing education", row["child_id"])
    return appended


async def _missing_education_for_child(pep: Pep, calendar, policies, row: dict[str, Any], today: date) -> int:
    child_id, urn = row["child_id"], row["current_urn"]
    loaded = await pep.log.load(attendance_stream(child_id), attendance.NO_ATTENDANCE, attendance.evolve)
    try:
        days = attendance.school_days_without_marks(loaded.state, row["on_roll_since"], today, calendar)
    except TermDatesMissing:
        return 0
    if days < policies.in_force_on(today).missing_education_school_days:
        return 0
    command = attendance.RaiseMissingEducationAlert(
        child_id=child_id, urn=urn, school_days_without_marks=days, raised_on=today
    )
    events = attendance.decide(command, loaded.state, policies=policies, calendar=calendar)
    if not events:
        return 0
    last = loaded.state.last_marked_on
    try:
        await pep.log.append(
            attendance_stream(child_id),
            [NewEvent.from_event(event, default_effective_date=today) for event in events],
            expected_version=loaded.version,
            metadata={"actor": SCHEDULER_ACTOR, "role": "service", "service": "pep"},
            idempotency_key=f"pep:missing-education:{child_id}:{last.isoformat() if last else 'never'}",
        )
    except WrongExpectedVersion:
        return 0  # marks arrived meanwhile: the next run decides again with them
    return len(events)


MISSING_EDUCATION = ScheduledJob("pep-missing-education", raise_missing_education_alerts)
