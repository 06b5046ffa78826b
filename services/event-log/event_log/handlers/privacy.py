"""The data protection officer's commands: the retention schedule, a child's legal holds, and the
erasure of a child's personal data.

An erasure has two steps. ``PersonalDataErased`` is appended first, expecting the version of the
child's record it was decided on, so that it and a legal hold placed at the same moment cannot
both succeed; then the child's key is destroyed. Should the second step not happen (the process
stopped, the database went away), the erasure stands recorded and the daily retention review
(``jobs.retention_review``) destroys the key, as does a retry of the same request.
"""

from __future__ import annotations

import uuid

from shared.errors import NotFound
from shared.events import child_subject
from shared.privacy.events import privacy_stream
from shared.privacy.keys import destroy_key
from shared.web.commands import Outcome
from shared.web.context import CommandContext

from event_log.domain import protection, retention
from event_log.domain.protection import DataProtectionRecord, ErasureRule
from event_log.domain.retention import RetentionSchedule, RetentionSchedules
from event_log.queries.privacy import child_facts, child_known, erasures_left_unfinished
from event_log.wiring import EventLog


async def set_retention_schedule(
    log: EventLog, ctx: CommandContext, schedule: RetentionSchedule
) -> Outcome[RetentionSchedules]:
    command = retention.SetRetentionSchedule(schedule=schedule, set_on=ctx.today)
    return await log.decisions.execute(
        ctx,
        retention.RETENTION_STREAM,
        initial=retention.NO_SCHEDULES,
        evolve=retention.evolve,
        decide=lambda schedules: retention.decide(command, schedules),
        operation=f"retention-schedule:{schedule.effective_from}",
    )


async def place_legal_hold(
    log: EventLog, ctx: CommandContext, child_id: str, reason: str
) -> Outcome[DataProtectionRecord]:
    await _known(log, child_id)
    # Made here, not in the rule: a retried request is answered with the hold its first attempt
    # recorded, whatever id this attempt made.
    command = protection.PlaceLegalHold(
        subject=child_subject(child_id),
        hold_id=f"HOLD-{uuid.uuid4().hex[:12]}",
        reason=reason,
        placed_on=ctx.today,
    )
    return await _record(
        log, ctx, child_id, "legal-hold", lambda record: protection.place_legal_hold(command, record)
    )


async def lift_legal_hold(
    log: EventLog, ctx: CommandContext, child_id: str, hold_id: str, reason: str
) -> Outcome[DataProtectionRecord]:
    await _known(log, child_id)
    command = protection.LiftLegalHold(
        subject=child_subject(child_id), hold_id=hold_id, reason=reason, lifted_on=ctx.today
    )
    return await _record(
        log,
        ctx,
        child_id,
        f"legal-hold-lift:{hold_id}",
        lambda record: protection.lift_legal_hold(command, record),
    )


async def erase_personal_data(
    log: EventLog, ctx: CommandContext, child_id: str, rule: ErasureRule, reason: str
) -> Outcome[DataProtectionRecord]:
    await _known(log, child_id)
    subject = child_subject(child_id)
    child = await child_facts(log.pool, child_id)
    schedules = (await log.retention_schedules()).state
    command = protection.ErasePersonalData(subject=subject, rule=rule, reason=reason, erased_on=ctx.today)
    outcome = await _record(
        log,
        ctx,
        child_id,
        "erasure",
        lambda record: protection.erase_personal_data(command, record, child=child, schedules=schedules),
    )
    await destroy_key(log.pool, subject)
    return outcome


async def finish_erasures(log: EventLog) -> int:
    """Destroy the key of every child whose erasure is recorded but whose key still exists; how
    many were finished."""
    finished = 0
    for subject in await erasures_left_unfinished(log.pool):
        finished += await destroy_key(log.pool, subject)
    return finished


async def _known(log: EventLog, child_id: str) -> None:
    if not await child_known(log.pool, child_id):
        raise NotFound(f"the log has no record of child {child_id}", field="child_id")


async def _record(log: EventLog, ctx: CommandContext, child_id: str, operation: str, decide) -> Outcome:
    return await log.decisions.execute(
        ctx,
        privacy_stream(child_subject(child_id)),
        initial=protection.NO_RECORD,
        evolve=protection.evolve,
        decide=decide,
        operation=f"{operation}:{child_id}",
    )
