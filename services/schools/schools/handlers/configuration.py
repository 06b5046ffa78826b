"""The council's configuration: support offers, floor and review rules."""

from __future__ import annotations

from schools.domain import configuration
from schools.domain.configuration import (
    CONFIGURATION_STREAM,
    DEFAULT_CONFIGURATION,
    CouncilConfiguration,
    SetFloorRule,
    SetReviewRule,
    SetSupportOffer,
)
from schools.wiring import Schools
from shared.web.commands import Outcome
from shared.web.context import CommandContext

OPERATIONS = {
    SetSupportOffer: "set-support-offer",
    SetFloorRule: "set-floor-rule",
    SetReviewRule: "set-review-rule",
}


async def configure(
    schools: Schools,
    ctx: CommandContext,
    command: SetSupportOffer | SetFloorRule | SetReviewRule,
) -> Outcome[CouncilConfiguration]:
    return await schools.log.execute(
        ctx,
        CONFIGURATION_STREAM,
        initial=DEFAULT_CONFIGURATION,
        evolve=configuration.evolve,
        decide=lambda config: configuration.decide(command, config),
        operation=OPERATIONS[type(command)],
    )
