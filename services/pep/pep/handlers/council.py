"""The virtual school head sets the council's PEP timing and attendance policy versions (term dates are the council
calendar's, set at the schools service)."""

from __future__ import annotations

from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pep.domain import council_config
from pep.domain.streams import council_config_stream
from pep.domain.attendance_policy import AttendancePolicy
from pep.domain.timing import PepTimingPolicy
from pep.wiring import Pep


async def set_timing_policy(
    pep: Pep, ctx: CommandContext, policy: PepTimingPolicy
) -> Outcome[council_config.CouncilConfig]:
    command = council_config.SetPepTimingPolicy(policy=policy, set_on=ctx.today)
    return await _record(pep, ctx, command, f"timing-policy:{policy.effective_from}")


async def set_attendance_policy(
    pep: Pep, ctx: CommandContext, policy: AttendancePolicy
) -> Outcome[council_config.CouncilConfig]:
    command = council_config.SetAttendancePolicy(policy=policy, set_on=ctx.today)
    return await _record(pep, ctx, command, f"attendance-policy:{policy.effective_from}")


async def _record(
    pep: Pep,
    ctx: CommandContext,
    command: council_config.SetPepTimingPolicy | council_config.SetAttendancePolicy,
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
