"""A child's care episodes and school places: one command, one append to ``child-<id>``."""

from __future__ import annotations

from shared.eventlog.store import EventStore
from shared.events import EventCatalogue
from shared.web.context import CommandContext

from pep.domain import children
from pep.domain.streams import child_stream

from .common import CommandResult, load_config, run_command


async def record(
    store: EventStore,
    catalogue: EventCatalogue,
    ctx: CommandContext,
    command: children.ChildCommand,
    operation: str,
) -> CommandResult:
    # Term dates are needed to count the school days lost awaiting a place.
    calendar = (await load_config(store, catalogue)).school_calendar()
    return await run_command(
        store,
        catalogue,
        ctx,
        child_stream(command.child_id),
        initial=children.NO_CHILD,
        evolve=children.evolve,
        decide=lambda state: children.decide(command, state, calendar=calendar, today=ctx.today),
        operation=f"{operation}:{command.child_id}",
    )
