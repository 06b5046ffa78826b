"""The Secretary of State's directions to consider giving a notice (stream ``direction-<id>``)."""

from __future__ import annotations

from shared.web.commands import Outcome
from shared.web.context import CommandContext
from notices.domain import direction
from notices.domain.direction import (
    NO_DIRECTION,
    Direction,
    DirectionCommand,
    RecordDirectionToConsiderWarningNotice,
    direction_stream,
)
from notices.domain.school_facts import SchoolFacts
from notices.handlers.common import new_id, operation_on, school_of_record
from notices.queries.school_facts import school_facts
from notices.wiring import Notices

RECORD = "RecordDirectionToConsiderWarningNotice"


async def new_direction_id(notices: Notices, ctx: CommandContext) -> str:
    return await new_id(notices, ctx, RECORD)


async def school_of_direction(notices: Notices, direction_id: str) -> str:
    """The school a direction is about; an unknown direction is refused (404)."""
    return await school_of_record(
        notices, direction_stream(direction_id), "direction_id", "Secretary of State's direction"
    )


async def handle(notices: Notices, ctx: CommandContext, command: DirectionCommand) -> Outcome[Direction]:
    if isinstance(command, RecordDirectionToConsiderWarningNotice):
        urn, operation = command.urn, RECORD
    else:
        # An unknown direction is refused here, before anything is decided.
        urn = await school_of_direction(notices, command.direction_id)
        operation = operation_on(command, command.direction_id)
    return await decide_on_direction(
        notices, ctx, command, await school_facts(notices.log, urn), operation=operation
    )


async def decide_on_direction(
    notices: Notices, ctx: CommandContext, command: DirectionCommand, school: SchoolFacts, *, operation: str
) -> Outcome[Direction]:
    """Decide ``command`` on its direction's stream with the school as given (a policy passes the
    school as it stood when the event it reacts to happened)."""
    return await notices.log.execute(
        ctx,
        direction_stream(command.direction_id),
        initial=NO_DIRECTION,
        evolve=direction.evolve,
        decide=lambda state: direction.decide(
            command, state, school=school, today=ctx.today, rules=notices.rules, calendar=notices.calendar
        ),
        operation=operation,
    )
