"""Warning notices (stream ``notice-<notice id>``): draft, amend, discard, give, and what follows."""

from __future__ import annotations

from shared.errors import InvalidInput, NotFound
from shared.web.commands import Outcome, execute
from shared.web.context import CommandContext
from notices.domain import warning_notice
from notices.domain.direction import direction_stream
from notices.domain.warning_notice import (
    NO_NOTICE,
    DraftWarningNotice,
    NoticeStage,
    WarningNotice,
    WarningNoticeCommand,
    notice_stream,
)
from notices.handlers.common import first_event, new_id
from notices.school_facts import school_facts
from notices.wiring import Notices

DRAFT = "DraftWarningNotice"


async def new_notice_id(notices: Notices, ctx: CommandContext) -> str:
    return await new_id(notices, ctx, DRAFT)


async def _check_direction(notices: Notices, command: DraftWarningNotice) -> None:
    """A notice answering a Secretary of State's direction must name a direction about its school."""
    if command.direction_id is None:
        return
    direction = await first_event(
        notices, direction_stream(command.direction_id), "direction_id", "Secretary of State's direction"
    )
    if direction["urn"] != command.urn:
        raise InvalidInput(
            f"Direction {command.direction_id} is about URN {direction['urn']}, not {command.urn}.",
            field="direction_id",
        )


async def handle(
    notices: Notices, ctx: CommandContext, command: WarningNoticeCommand
) -> Outcome[WarningNotice]:
    stream = notice_stream(command.notice_id)
    if isinstance(command, DraftWarningNotice):
        await _check_direction(notices, command)
        urn = command.urn
        operation = DRAFT
    else:
        urn = (await first_event(notices, stream, "notice_id", "warning notice"))["urn"]
        operation = f"{type(command).__name__}:{command.notice_id}"
    school = await school_facts(notices, urn)

    def decide(state: WarningNotice):
        if state.stage is NoticeStage.NONE and not isinstance(command, DraftWarningNotice):
            raise NotFound(f"There is no warning notice {command.notice_id}.", field="notice_id")
        return warning_notice.decide(
            command, state, school=school, today=ctx.today, rules=notices.rules, calendar=notices.calendar
        )

    return await execute(
        notices.store,
        notices.catalogue,
        ctx,
        stream,
        initial=NO_NOTICE,
        evolve=warning_notice.evolve,
        decide=decide,
        operation=operation,
    )
