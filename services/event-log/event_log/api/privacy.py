"""The data protection officer's records: the council's retention schedule, the children due for
erasure under it, each child's legal holds, and the erasure of a child's personal data by
destroying their key (docs/privacy.md).

The data protection officer keeps them; auditors read them. Each write is a command like any
service's: Idempotency-Key makes it safe to repeat, If-Match refuses it if the record changed
since it was read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request, Response

from shared.errors import NotFound
from shared.events import child_subject
from shared.privacy.events import privacy_stream
from shared.web.audit import record_child_read, record_child_reads
from shared.web.commands import Outcome, answered, etag
from shared.web.context import ContextDep

from event_log.access import DataProtectionOfficer, PrivacyReader
from event_log.api.schemas import (
    ChildId,
    DataProtectionRecordPublic,
    DueForErasure,
    DueForErasurePage,
    DueOn,
    ErasureBody,
    HoldId,
    LegalHoldBody,
    LegalHoldLiftBody,
    LegalHoldPlacedPublic,
    RetentionScheduleBody,
    RetentionSchedulesPublic,
)
from event_log.domain.catalogue import CATALOGUE
from event_log.domain.retention import (
    DEFAULT_RETENTION_SCHEDULE,
    RetentionRule,
    RetentionSchedule,
    RetentionSchedules,
)
from event_log.handlers import privacy
from event_log.queries.privacy import child_known, due_for_erasure_on, key_destroyed_at, protection_history
from event_log.wiring import EventLog, EventLogDep

router = APIRouter(prefix="/privacy", tags=["privacy"])


# -- the retention schedule ---------------------------------------------------------------------


@router.get(
    "/retention-schedule", response_model=RetentionSchedulesPublic, summary="The council's retention schedule"
)
async def retention_schedule(
    response: Response, principal: PrivacyReader, log: EventLogDep
) -> dict[str, Any]:
    """The default (in force until the council's first version), every version the council has
    set, and the version in force today."""
    loaded = await log.retention_schedules()
    response.headers["ETag"] = etag(loaded.version)
    return _schedules(loaded.state, loaded.version, log.clock.today())


@router.put(
    "/retention-schedule",
    response_model=RetentionSchedulesPublic,
    summary="Set a version of the retention schedule, in force from its effective date",
)
async def set_retention_schedule(
    body: RetentionScheduleBody,
    response: Response,
    principal: DataProtectionOfficer,
    ctx: ContextDep,
    log: EventLogDep,
) -> dict[str, Any]:
    """A version has a rule for each kind of record. Setting a version for a day that has one
    replaces it; the same version again records nothing."""
    schedule = RetentionSchedule(
        effective_from=body.effective_from,
        rules=tuple(RetentionRule(**rule.model_dump()) for rule in body.rules),
    )
    outcome = await privacy.set_retention_schedule(log, ctx, schedule)
    answered(response, outcome)
    return _schedules(outcome.state, outcome.version, ctx.today)


def _schedules(schedules: RetentionSchedules, version: int, today: date) -> dict[str, Any]:
    return {
        "version": version,
        "default": DEFAULT_RETENTION_SCHEDULE.model_dump(),
        "versions": [schedule.model_dump() for schedule in schedules.in_order()],
        "in_force_today": schedules.in_force_on(today).model_dump(),
    }


# -- the children due for erasure ---------------------------------------------------------------


@router.get(
    "/retention/due",
    response_model=DueForErasure,
    summary="The children whose records are due for erasure on a day, and whether a legal hold stops it",
)
async def due_for_erasure(
    request: Request, principal: PrivacyReader, log: EventLogDep, paging: DueForErasurePage, on: DueOn = None
) -> dict[str, Any]:
    day = on or log.clock.today()
    schedules = (await log.retention_schedules()).state
    due = await due_for_erasure_on(log.pool, schedules, day)
    page = paging.page_of_all(due, key=lambda d: (d.due_on, d.child_id))
    # A child's due date says when they were born: listing them is a read of their record.
    await record_child_reads(request, [d.child_id for d in page["items"]])
    return {
        **page,
        "items": [
            {
                "child_id": d.child_id,
                "rule": d.rule.record,
                "keep_for_years": d.rule.keep_for_years,
                "counted_from": d.rule.counted_from,
                "due_on": d.due_on,
                "under_legal_hold": d.held,
                "legal_holds": list(d.holds_in_force),
            }
            for d in page["items"]
        ],
        "on": day,
        "schedule_effective_from": schedules.in_force_on(day).effective_from,
        "due": len(due),
        "under_legal_hold": sum(1 for d in due if d.held),
    }


# -- a child's legal holds and erasure ----------------------------------------------------------


@router.get(
    "/children/{child_id}",
    response_model=DataProtectionRecordPublic,
    summary="A child's data protection record: legal holds and erasure",
)
async def child_record(
    child_id: ChildId, request: Request, response: Response, principal: PrivacyReader, log: EventLogDep
) -> dict[str, Any]:
    if not await child_known(log.pool, child_id):
        raise NotFound(f"the log has no record of child {child_id}", field="child_id")
    record = await _record(log, child_id)
    await record_child_read(request, child_id)
    response.headers["ETag"] = etag(record["version"])
    return record


@router.post(
    "/children/{child_id}/legal-holds",
    response_model=LegalHoldPlacedPublic,
    status_code=201,
    summary="Place a legal hold on a child's records: nothing is erased until it is lifted",
)
async def place_legal_hold(
    child_id: ChildId,
    body: LegalHoldBody,
    response: Response,
    principal: DataProtectionOfficer,
    ctx: ContextDep,
    log: EventLogDep,
) -> dict[str, Any]:
    outcome = await privacy.place_legal_hold(log, ctx, child_id, body.reason)
    answered(response, outcome, created=True)
    [placed] = [CATALOGUE.decode_record(r) for r in outcome.recorded]
    return {**await _record(log, child_id, outcome), "hold_id": placed.hold_id}


@router.post(
    "/children/{child_id}/legal-holds/{hold_id}/lift",
    response_model=DataProtectionRecordPublic,
    summary="Lift a legal hold",
)
async def lift_legal_hold(
    child_id: ChildId,
    hold_id: HoldId,
    body: LegalHoldLiftBody,
    response: Response,
    principal: DataProtectionOfficer,
    ctx: ContextDep,
    log: EventLogDep,
) -> dict[str, Any]:
    outcome = await privacy.lift_legal_hold(log, ctx, child_id, hold_id, body.reason)
    answered(response, outcome)
    return await _record(log, child_id, outcome)


@router.post(
    "/children/{child_id}/erasure",
    response_model=DataProtectionRecordPublic,
    summary="Erase a child's personal data: record the erasure, then destroy the child's key",
)
async def erase_personal_data(
    child_id: ChildId,
    body: ErasureBody,
    response: Response,
    principal: DataProtectionOfficer,
    ctx: ContextDep,
    log: EventLogDep,
) -> dict[str, Any]:
    """Refused (409) while a legal hold is in force (`legal-hold-in-force`), under a retention rule
    that is not the child's or has not fallen due (`retention-not-due`), and once the child is
    erased (`personal-data-erased`). Afterwards every personal field sealed with the child's key
    (name, date of birth, carers, the child's own words...) reads as null, named in the event's
    `erased`; everything else, the hash chain and the published checkpoints stay as they were."""
    outcome = await privacy.erase_personal_data(log, ctx, child_id, body.rule, body.reason)
    answered(response, outcome)
    return await _record(log, child_id, outcome)


async def _record(log: EventLog, child_id: str, outcome: Outcome | None = None) -> dict[str, Any]:
    """The child's record as a write left it (a retried request's, as its first attempt left it),
    or as it stands."""
    subject = child_subject(child_id)
    stream_id = privacy_stream(subject)
    up_to = max((r.position for r in outcome.recorded), default=None) if outcome is not None else None
    history = protection_history(await log.store.read_stream(stream_id, up_to_position=up_to))
    record = history.record
    erasure = record.erasure
    return {
        "child_id": child_id,
        "stream_id": stream_id,
        "version": history.version,
        "under_legal_hold": bool(record.holds_in_force),
        "legal_holds": [
            {
                "hold_id": hold.hold_id,
                "in_force": hold.in_force,
                "placed_on": hold.placed_on,
                "placed_by": history.placed_by[hold.hold_id],
                "reason": hold.reason,
                "lifted_on": hold.lifted_on,
                "lifted_by": history.lifted_by.get(hold.hold_id),
                "lift_reason": hold.lift_reason,
            }
            for hold in record.holds.values()
        ],
        "erasure": None
        if erasure is None
        else {
            "erased_on": erasure.erased_on,
            "erased_by": history.erased_by,
            "rule": erasure.rule,
            "reason": erasure.reason,
            "key_destroyed_at": await key_destroyed_at(log.pool, subject),
        },
    }
