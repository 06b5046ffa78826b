"""A child's care episodes and school places: one command, one append to ``child-<id>``."""

from __future__ import annotations

from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pep.domain import children
from pep.domain.streams import child_stream
from pep.wiring import Pep


async def record(
    pep: Pep, ctx: CommandContext, command: children.ChildCommand, operation: str
) -> Outcome[children.ChildState]:
    # Term dates are needed to count the school days lost awaiting a place.
    calendar = (await pep.config()).school_calendar()
    return await pep.log.execute(
        ctx,
        child_stream(command.child_id),
        initial=children.NO_CHILD,
        evolve=children.evolve,
        decide=lambda state: children.decide(command, state, calendar=calendar, today=ctx.today),
        operation=f"{operation}:{command.child_id}",
    )
