"""A school's work with the DfE's RISE team: its start, plan, funding and end."""

from __future__ import annotations

from schools.domain import rise
from schools.domain.rise import NO_RISE, RiseCommand, RiseRecord, rise_stream
from schools.wiring import Schools
from shared.web.commands import Outcome
from shared.web.context import CommandContext

OPERATIONS = {
    rise.StartRiseEngagement: "start-rise-engagement",
    rise.RecordRisePlan: "record-rise-plan",
    rise.RecordRiseFunding: "record-rise-funding",
    rise.EndRiseEngagement: "end-rise-engagement",
}


async def decide_rise(schools: Schools, ctx: CommandContext, command: RiseCommand) -> Outcome[RiseRecord]:
    school = await schools.school(command.urn)
    return await schools.log.execute(
        ctx,
        rise_stream(command.urn),
        initial=NO_RISE,
        evolve=rise.evolve,
        decide=lambda record: rise.decide(command, record, school=school.state),
        operation=f"{OPERATIONS[type(command)]}:{command.urn}",
    )
