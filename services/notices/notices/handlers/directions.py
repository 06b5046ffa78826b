"""The Secretary of State's directions to consider giving a notice (stream ``direction-<id>``)."""

from __future__ import annotations

from shared.errors import NotFound
from shared.web.commands import Outcome, execute
from shared.web.context import CommandContext
from notices.domain import direction
from notices.domain.direction import (
    NO_DIRECTION,
    Direction,
    DirectionCommand,
    RecordDirectionToConsiderWarningNotice,
    direction_stream,
)
from notices.handlers.common import first_event, new_id
from notices.school_facts import school_facts
from notices.wiring import Notices

RECORD = "RecordDirectionToConsiderWarningNotice"


async def new_direction_id(notices: Notices, ctx: CommandContext) -> str:
    return await new_id(notices, ctx, RECORD)


async def handle(notices: Notices, ctx: CommandContext, command: DirectionCommand) -> Outcome[Direction]:
    stream = direction_stream(command.direction_id)
    if isinstance(command, RecordDirectionToConsiderWarningNotice):
        urn, operation = command.urn, RECORD
    else:
        urn = (await first_event(notices, stream, "direction_id", "Secretary of State's direction"))["urn"]
        operation = f"{type(command).__name__}:{command.direction_id}"
    school = await school_facts(notices, urn)

    def decide(state: Direction):
        if state.direction_id is None and not isinstance(command, RecordDirectionToConsiderWarningNotice):
            raise NotFound(f"There is no direction {command.direction_id}.", field="direction_id")
        return direction.decide(
            command, state, school=school, today=ctx.today, rules=notices.rules, calendar=notices.calendar
        )

    return await execute(
        notices.store,
        notices.catalogue,
        ctx,
        stream,
        initial=NO_DIRECTION,
        evolve=direction.evolve,
        decide=decide,
        operation=operation,
    )
