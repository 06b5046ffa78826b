"""The council's configuration: support offers, floor, review and stuck rules, and the report-card
concern policy."""

from __future__ import annotations

from schools.domain import configuration
from schools.domain.configuration import (
    CONFIGURATION_STREAM,
    DEFAULT_CONFIGURATION,
    ConfigurationCommand,
    CouncilConfiguration,
    SetFloorRule,
    SetReportCardConcernPolicy,
    SetReviewRule,
    SetStuckRule,
    SetSupportOffer,
)
from schools.wiring import Schools
from shared.web.commands import Outcome
from shared.web.context import CommandContext

OPERATIONS = {
    SetSupportOffer: "set-support-offer",
    SetFloorRule: "set-floor-rule",
    SetReviewRule: "set-review-rule",
    SetStuckRule: "set-stuck-rule",
    SetReportCardConcernPolicy: "set-report-card-concern-policy",
}


async def configure(
    schools: Schools,
    ctx: CommandContext,
    command: ConfigurationCommand,
) -> Outcome[CouncilConfiguration]:
    return await schools.log.execute(
        ctx,
        CONFIGURATION_STREAM,
        initial=DEFAULT_CONFIGURATION,
        evolve=configuration.evolve,
        decide=lambda config: configuration.decide(command, config),
        operation=OPERATIONS[type(command)],
    )
