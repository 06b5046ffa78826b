"""A school's published results: recording them evaluates the floor standard and the trend."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from schools import access
from schools.api.answers import answer, nothing_new, recorded_types
from schools.api.schemas.performance import ResultsCreate, ResultsPublic
from schools.domain.performance import DownwardTrendIdentified, RecordResults
from schools.handlers.performance import record_results
from schools.wiring import SchoolsDep
from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.context import ContextDep

router = APIRouter(prefix="/schools/{urn}/results", tags=["performance"])


@router.post(
    "",
    response_model=ResultsPublic,
    status_code=201,
    responses=nothing_new(ResultsPublic),
    summary="Record a year's published results",
)
async def record_year_results(
    urn: UrnPath,
    body: ResultsCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_RESULTS)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> ResultsPublic:
    outcome = await record_results(schools, ctx, RecordResults(urn=urn, **body.model_dump()))
    answer(response, outcome, created=True)
    key = (body.year, body.key_stage)
    return ResultsPublic(
        urn=urn,
        year=body.year,
        key_stage=body.key_stage,
        measures={name: float(value) for name, value in outcome.state.results.get(key, {}).items()},
        below_floor=outcome.state.below_floor.get(key),
        downward_trend=(body.key_stage, body.year) in outcome.state.trends_flagged
        or any(isinstance(e, DownwardTrendIdentified) for e in map(schools.log.decode, outcome.recorded)),
        version=outcome.version,
        recorded=recorded_types(outcome),
    )
