"""Adviser support: the year's allocation from the category, increases, and visits against it.

``support_decision`` is the one place that loads what a support decision needs (the school, its
category and the council's support offers) and decides with it: the routes, the reaction to a
school being categorised and the start-of-year job all decide through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from schools.domain import support
from schools.domain.categorisation import Categorisation
from schools.domain.register import School
from schools.domain.support import (
    NO_SUPPORT,
    AllocateSupport,
    IncreaseSupport,
    LogAdviserVisit,
    SupportPolicy,
    SupportRecord,
    support_stream,
)
from schools.wiring import Schools
from shared.events import Event
from shared.web.commands import Outcome
from shared.web.context import CommandContext

OPERATIONS = {
    AllocateSupport: "allocate-support",
    IncreaseSupport: "increase-support",
    LogAdviserVisit: "log-adviser-visit",
}

SupportCommand = AllocateSupport | IncreaseSupport | LogAdviserVisit


@dataclass(frozen=True)
class SupportDecision:
    """What a school's support decision is made from, and on which day."""

    school: School
    categorisation: Categorisation
    policy: SupportPolicy
    today: date

    def decide(self, command: SupportCommand, record: SupportRecord) -> list[Event]:
        return support.decide(
            command,
            record,
            school=self.school,
            categorisation=self.categorisation,
            policy=self.policy,
            today=self.today,
        )


async def support_decision(
    schools: Schools, urn: str, *, today: date, categorisation: Categorisation | None = None
) -> SupportDecision:
    """The school, its approved category and the support offers in the configuration. A reaction
    to a categorisation gives the category it was just given (``categorisation``), so it decides
    on that category whatever has been approved since."""
    school = await schools.school(urn)
    if categorisation is None:
        categorisation = (await schools.categorisation(urn)).state
    config = await schools.configuration()
    return SupportDecision(school.state, categorisation, config.state.support_policy(), today)


async def decide_support(
    schools: Schools, ctx: CommandContext, command: SupportCommand
) -> Outcome[SupportRecord]:
    decision = await support_decision(schools, command.urn, today=ctx.today)
    return await schools.log.execute(
        ctx,
        support_stream(command.urn),
        initial=NO_SUPPORT,
        evolve=support.evolve,
        decide=lambda record: decision.decide(command, record),
        operation=f"{OPERATIONS[type(command)]}:{command.urn}",
    )
