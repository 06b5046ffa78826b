"""The virtual school head sets the council's term dates and PEP timing policy versions."""

from __future__ import annotations

from shared.eventlog.store import EventStore
from shared.events import EventCatalogue
from shared.web.context import CommandContext

from pep.domain import council_config
from pep.domain.streams import council_config_stream
from pep.domain.terms import TermCalendar
from pep.domain.timing import PepTimingPolicy

from .common import CommandResult, run_command


async def set_term_dates(
    store: EventStore, catalogue: EventCatalogue, ctx: CommandContext, council: str, calendar: TermCalendar
) -> CommandResult:
    command = council_config.SetTermDates(council=council, calendar=calendar, set_on=ctx.today)
    return await _run(store, catalogue, ctx, command, f"term-dates:{calendar.academic_year}")


async def set_timing_policy(
    store: EventStore, catalogue: EventCatalogue, ctx: CommandContext, policy: PepTimingPolicy
) -> CommandResult:
    command = council_config.SetPepTimingPolicy(policy=policy, set_on=ctx.today)
    return await _run(store, catalogue, ctx, command, f"timing-policy:{policy.effective_from}")


async def _run(store, catalogue, ctx, command, operation: str) -> CommandResult:
    return await run_command(
        store,
        catalogue,
        ctx,
        council_config_stream(),
        initial=council_config.NO_CONFIG,
        evolve=council_config.evolve,
        decide=lambda state: council_config.decide(command, state),
        operation=operation,
    )
