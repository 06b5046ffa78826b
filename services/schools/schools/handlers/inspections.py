"""Ofsted inspections: recording one (and any "stuck" flag it raises) and its publication, judged
by the council's stuck rules and report-card concern policy as its configuration stands."""

from __future__ import annotations

from schools.domain import inspections
from schools.domain.inspections import (
    NO_INSPECTIONS,
    InspectionHistory,
    PublishInspectionReport,
    RecordInspection,
    inspections_stream,
)
from schools.wiring import Schools
from shared.web.commands import Outcome
from shared.web.context import CommandContext

OPERATIONS = {
    RecordInspection: "record-inspection",
    PublishInspectionReport: "publish-inspection-report",
}


async def decide_inspection(
    schools: Schools, ctx: CommandContext, command: RecordInspection | PublishInspectionReport
) -> Outcome[InspectionHistory]:
    school = await schools.school(command.urn)
    policies = (await schools.configuration()).state.inspection_policies()
    return await schools.log.execute(
        ctx,
        inspections_stream(command.urn),
        initial=NO_INSPECTIONS,
        evolve=inspections.evolve,
        decide=lambda history: inspections.decide(
            command, history, school=school.state, today=ctx.today, policies=policies
        ),
        operation=f"{OPERATIONS[type(command)]}:{command.urn}",
    )
