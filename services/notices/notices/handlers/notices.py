"""Warning notices (stream ``notice-<notice id>``): draft, amend, discard, give, and what follows."""

from __future__ import annotations

from shared.errors import InvalidInput
from shared.eventlog.store import WrongExpectedVersion
from shared.events import Event
from shared.web.commands import Outcome
from shared.web.context import CommandContext
from notices.domain import warning_notice
from notices.domain.warning_notice import (
    NO_NOTICE,
    DraftWarningNotice,
    GiveWarningNotice,
    WarningNotice,
    WarningNoticeCommand,
    notice_stream,
)
from notices.handlers.common import new_id, operation_on, school_of_record
from notices.handlers.directions import school_of_direction
from notices.domain.secretary_of_state_notices import NO_SECRETARY_OF_STATE_NOTICES
from notices.handlers.interventions import eligibility_recorded_with
from notices.handlers.secretary_of_state_notices import secretary_of_state_notices
from notices.queries.school_facts import school_facts
from notices.wiring import Notices

DRAFT = "DraftWarningNotice"


async def new_notice_id(notices: Notices, ctx: CommandContext) -> str:
    return await new_id(notices, ctx, DRAFT)


async def _check_direction(notices: Notices, command: DraftWarningNotice) -> None:
    """A notice answering a Secretary of State's direction must name a direction about its school."""
    if command.direction_id is None:
        return
    direction_urn = await school_of_direction(notices, command.direction_id)
    if direction_urn != command.urn:
        raise InvalidInput(
            f"Direction {command.direction_id} is about URN {direction_urn}, not {command.urn}.",
            field="direction_id",
        )


async def handle(
    notices: Notices, ctx: CommandContext, command: WarningNoticeCommand
) -> Outcome[WarningNotice]:
    """Decide ``command`` on the notice's stream and append, in the same append, the eligibility
    its events make on the school's intervention stream (a notice of intention makes the school
    eligible): both are recorded, or neither.

    The outcome is the notice's stream as this command left it; ``recorded`` holds every event
    the command recorded, the intervention stream's too."""
    stream = notice_stream(command.notice_id)
    if isinstance(command, DraftWarningNotice):
        await _check_direction(notices, command)
        urn, operation = command.urn, DRAFT
    else:
        # An unknown notice is refused here, before anything is decided.
        urn = await school_of_record(notices, stream, "notice_id", "warning notice")
        operation = operation_on(command, command.notice_id)
    school = await school_facts(notices.log, urn)

    async def decide() -> list[tuple[str, int, list[Event]]]:
        loaded = await notices.log.load(stream, NO_NOTICE, warning_notice.evolve)
        if ctx.if_match is not None and ctx.if_match != loaded.version:
            raise WrongExpectedVersion(stream, ctx.if_match, loaded.version)
        # Only giving a notice turns on the Secretary of State's notices to the school.
        secretary_of_state = (
            (await secretary_of_state_notices(notices, urn)).state
            if isinstance(command, GiveWarningNotice)
            else NO_SECRETARY_OF_STATE_NOTICES
        )
        events = warning_notice.decide(
            command,
            loaded.state,
            school=school,
            today=ctx.today,
            rules=notices.rules,
            calendar=notices.calendar,
            secretary_of_state=secretary_of_state,
        )
        plan = [(stream, loaded.version, events)]
        if events and (
            eligibility := await eligibility_recorded_with(notices, urn, events, school, ctx.today)
        ):
            plan.append(eligibility)
        return plan

    # execute_many answers a retried Idempotency-Key with what the first request recorded.
    recorded = await notices.log.execute_many(ctx, decide, operation=operation)
    mine = [r for r in recorded if r.stream_id == stream]
    cutoff = {"up_to_version": mine[-1].stream_version} if mine else {}
    loaded = await notices.log.load(stream, NO_NOTICE, warning_notice.evolve, **cutoff)
    return Outcome(stream, loaded.state, loaded.version, recorded)
