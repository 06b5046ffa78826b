"""A child's PEPs: decided with the child's own record, the council's term dates and timing policy,
and appended to ``pep-<child id>``."""

from __future__ import annotations

from shared.eventlog.store import EventStore
from shared.events import EventCatalogue
from shared.web.context import CommandContext

from pep.domain import peps
from pep.domain.children import ChildState
from pep.domain.streams import pep_stream

from .common import CommandResult, load_config, run_command


async def record(
    store: EventStore,
    catalogue: EventCatalogue,
    ctx: CommandContext,
    command: peps.PepCommand,
    child: ChildState,
    operation: str,
) -> CommandResult:
    config = await load_config(store, catalogue)
    calendar, policies = config.school_calendar(), config.timing_policies()
    return await run_command(
        store,
        catalogue,
        ctx,
        pep_stream(command.child_id),
        initial=peps.NO_PEPS,
        evolve=peps.evolve,
        decide=lambda state: peps.decide(command, state, child=child, calendar=calendar, policies=policies),
        operation=f"{operation}:{command.child_id}:{command.pep_id}",
    )
