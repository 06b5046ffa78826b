"""Warning notices (stream ``notice-<notice id>``): draft, amend, discard, give, and what follows."""

from __future__ import annotations

from shared.errors import InvalidInput
from shared.web.commands import Outcome
from shared.web.context import CommandContext
from notices.domain import warning_notice
from notices.domain.warning_notice import (
    NO_NOTICE,
    DraftWarningNotice,
    WarningNotice,
    WarningNoticeCommand,
    notice_stream,
)
from notices.handlers.common import new_id, operation_on, school_of_record
from notices.handlers.directions import school_of_direction
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
    stream = notice_stream(command.notice_id)
    if isinstance(command, DraftWarningNotice):
        await _check_direction(notices, command)
        urn, operation = command.urn, DRAFT
    else:
        # An unknown notice is refused here, before anything is decided.
        urn = await school_of_record(notices, stream, "notice_id", "warning notice")
        operation = operation_on(command, command.notice_id)
    school = await school_facts(notices.log, urn)
    return await notices.log.execute(
        ctx,
        stream,
        initial=NO_NOTICE,
        evolve=warning_notice.evolve,
        decide=lambda state: warning_notice.decide(
            command, state, school=school, today=ctx.today, rules=notices.rules, calendar=notices.calendar
        ),
        operation=operation,
    )
