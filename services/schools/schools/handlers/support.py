"""Adviser support: the year's allocation from the category, increases, and visits against it."""

from __future__ import annotations

from schools.domain import support
from schools.domain.support import (
    NO_SUPPORT,
    AllocateSupport,
    IncreaseSupport,
    LogAdviserVisit,
    SupportRecord,
    support_stream,
)
from schools.wiring import Schools
from shared.web.commands import Outcome
from shared.web.context import CommandContext

OPERATIONS = {
    AllocateSupport: "allocate-support",
    IncreaseSupport: "increase-support",
    LogAdviserVisit: "log-adviser-visit",
}


async def decide_support(
    schools: Schools, ctx: CommandContext, command: AllocateSupport | IncreaseSupport | LogAdviserVisit
) -> Outcome[SupportRecord]:
    school = await schools.school(command.urn)
    category = await schools.categorisation(command.urn)
    config = await schools.configuration()
    policy = config.state.support_policy()
    return await schools.log.execute(
        ctx,
        support_stream(command.urn),
        initial=NO_SUPPORT,
        evolve=support.evolve,
        decide=lambda record: support.decide(
            command,
            record,
            school=school.state,
            categorisation=category.state,
            policy=policy,
            today=ctx.today,
        ),
        operation=f"{OPERATIONS[type(command)]}:{command.urn}",
    )
