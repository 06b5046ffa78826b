"""The virtual school head sets the council's term dates and PEP timing policy versions."""

from __future__ import annotations

from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pep.domain import council_config
from pep.domain.streams import council_config_stream
from pep.domain.terms import TermCalendar
from pep.domain.timing import PepTimingPolicy
from pep.wiring import Pep


async def set_term_dates(
    pep: Pep, ctx: CommandContext, council: str, calendar: TermCalendar
) -> Outcome[council_config.CouncilConfig]:
    command = council_config.SetTermDates(council=council, calendar=calendar, set_on=ctx.today)
    return await _record(pep, ctx, command, f"term-dates:{calendar.academic_year}")


async def set_timing_policy(
    pep: Pep, ctx: CommandContext, policy: PepTimingPolicy
) -> Outcome[council_config.CouncilConfig]:
    command = council_config.SetPepTimingPolicy(policy=policy, set_on=ctx.today)
    return await _record(pep, ctx, command, f"timing-policy:{policy.effective_from}")


async def _record(
    pep: Pep,
    ctx: CommandContext,
    command: council_config.SetTermDates | council_config.SetPepTimingPolicy,
    operation: str,
) -> Outcome[council_config.CouncilConfig]:
    return await pep.log.execute(
        ctx,
        council_config_stream(),
        initial=council_config.NO_CONFIG,
        evolve=council_config.evolve,
        decide=lambda state: council_config.decide(command, state),
        operation=operation,
    )
