"""The council's PP+ settings: the rate per child and devolution policy versions (term dates are
the council calendar's, set at the schools service)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from shared.events import Event
from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pupil_premium.domain import council_config as config
from pupil_premium.domain.council_config import (
    NO_SETTINGS,
    CouncilSettings,
    config_stream_id,
    evolve_settings,
)
from pupil_premium.domain.money import parse_command
from pupil_premium.handlers.common import actor
from pupil_premium.wiring import PupilPremium


async def set_rate(pp: PupilPremium, ctx: CommandContext, fields: dict[str, Any]) -> Outcome:
    command = parse_command(config.SetRate, fields)
    return await _decide_on_settings(
        pp,
        ctx,
        f"set-rate:{command.financial_year}",
        lambda settings: config.set_rate(command, settings, today=ctx.today, by=actor(ctx)),
    )


async def adopt_devolution_policy(pp: PupilPremium, ctx: CommandContext, fields: dict[str, Any]) -> Outcome:
    command = parse_command(config.AdoptDevolutionPolicy, fields)
    return await _decide_on_settings(
        pp,
        ctx,
        "adopt-policy",
        lambda settings: config.adopt_devolution_policy(command, settings, today=ctx.today, by=actor(ctx)),
    )


async def _decide_on_settings(
    pp: PupilPremium,
    ctx: CommandContext,
    operation: str,
    decide: Callable[[CouncilSettings], Sequence[Event]],
) -> Outcome:
    """Decide a command against the council's settings and record what it decided, through the
    service log, as ``handlers.common.decide_on_budget`` does for a year's budget."""
    return await pp.log.execute(
        ctx,
        config_stream_id(),
        initial=NO_SETTINGS,
        evolve=evolve_settings,
        decide=decide,
        operation=operation,
    )
