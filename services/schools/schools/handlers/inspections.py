"""Ofsted inspections: recording one (and any "stuck" flag it raises) and its publication."""

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
    return await schools.log.execute(
        ctx,
        inspections_stream(command.urn),
        initial=NO_INSPECTIONS,
        evolve=inspections.evolve,
        decide=lambda history: inspections.decide(command, history, school=school.state, today=ctx.today),
        operation=f"{OPERATIONS[type(command)]}:{command.urn}",
    )
