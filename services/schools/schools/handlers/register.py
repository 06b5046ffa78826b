"""The register: registering a school, changing its details or status, recording a conversion."""

from __future__ import annotations

from schools.domain import register
from schools.domain.conversion import RecordAcademyConversion, decide_conversion
from schools.domain.register import (
    NO_SCHOOL,
    ChangeSchoolStatus,
    RegisterSchool,
    School,
    UpdateSchoolDetails,
    school_stream,
)
from schools.wiring import Schools
from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import WrongExpectedVersion
from shared.web.commands import Outcome
from shared.web.context import CommandContext


async def register_school(schools: Schools, ctx: CommandContext, command: RegisterSchool) -> Outcome[School]:
    return await _decide_on_register(schools, ctx, command, command.urn, "register-school")


async def update_details(
    schools: Schools, ctx: CommandContext, command: UpdateSchoolDetails
) -> Outcome[School]:
    return await _decide_on_register(schools, ctx, command, command.urn, "update-school-details")


async def change_status(schools: Schools, ctx: CommandContext, command: ChangeSchoolStatus) -> Outcome[School]:
    return await _decide_on_register(schools, ctx, command, command.urn, "change-school-status")


async def _decide_on_register(
    schools: Schools,
    ctx: CommandContext,
    command: RegisterSchool | UpdateSchoolDetails | ChangeSchoolStatus,
    urn: str,
    operation: str,
) -> Outcome[School]:
    return await schools.log.execute(
        ctx,
        school_stream(urn),
        initial=NO_SCHOOL,
        evolve=register.evolve,
        decide=lambda school: register.decide(command, school, today=ctx.today),
        operation=f"{operation}:{urn}",
    )


async def record_conversion(
    schools: Schools, ctx: CommandContext, command: RecordAcademyConversion
) -> tuple[Outcome[School], Outcome[School]]:
    """Close the predecessor and register the academy in one append: both or neither.

    If-Match, when given, is the predecessor's version (the ETag of its profile)."""

    async def decide():
        predecessor = await schools.school(command.urn)
        academy = await schools.school(command.academy_urn)
        if ctx.if_match is not None and ctx.if_match != predecessor.version:
            raise WrongExpectedVersion(school_stream(command.urn), ctx.if_match, predecessor.version)
        conversion = decide_conversion(command, predecessor.state, academy.state, today=ctx.today)
        return [
            (conversion.predecessor_stream, predecessor.version, conversion.predecessor_events),
            (conversion.academy_stream, academy.version, conversion.academy_events),
        ]

    operation = f"record-conversion:{command.urn}"
    # execute_many answers a retried Idempotency-Key with what the first request recorded.
    recorded = await schools.log.execute_many(ctx, decide, operation=operation)
    predecessor = await _outcome(schools, school_stream(command.urn), recorded)
    academy = await _outcome(schools, school_stream(command.academy_urn), recorded)
    return predecessor, academy


async def _outcome(schools: Schools, stream_id: str, recorded: list[RecordedEvent]) -> Outcome[School]:
    """The register entry as this append left it (a later change is not this answer's)."""
    mine = [r for r in recorded if r.stream_id == stream_id]
    cutoff = mine[-1].stream_version if mine else None
    loaded = await schools.log.load(stream_id, NO_SCHOOL, register.evolve, up_to_version=cutoff)
    return Outcome(stream_id, loaded.state, loaded.version, mine)
