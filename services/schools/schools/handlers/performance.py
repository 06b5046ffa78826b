"""Published results: recording them evaluates that year's floor standard and the trend."""

from __future__ import annotations

from schools.domain import performance
from schools.domain.performance import NO_RESULTS, PerformanceRecord, RecordResults, performance_stream
from schools.wiring import Schools
from shared.web.commands import Outcome
from shared.web.context import CommandContext


async def record_results(
    schools: Schools, ctx: CommandContext, command: RecordResults
) -> Outcome[PerformanceRecord]:
    school = await schools.school(command.urn)
    config = await schools.configuration()
    floor_standards = config.state.floor_standards()
    return await schools.log.execute(
        ctx,
        performance_stream(command.urn),
        initial=NO_RESULTS,
        evolve=performance.evolve,
        decide=lambda record: performance.decide(
            command, record, school=school.state, floor_standards=floor_standards, today=ctx.today
        ),
        operation=f"record-results:{command.urn}:{command.year}:{command.key_stage.value}",
    )
