"""A school's published results: recording them evaluates the floor standard and the trend."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from schools import access
from schools.api.deps import LogDep, answered, recorded_types
from schools.domain.floor_standards import KeyStage
from schools.domain.performance import DownwardTrendIdentified, RecordResults
from schools.handlers.performance import record_results
from shared.security.principal import Principal
from shared.text import Label, Quantity
from shared.urn import UrnPath
from shared.web.context import ContextDep

router = APIRouter(prefix="/schools/{urn}/results", tags=["performance"])


class ResultsCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    year: int = Field(description="the summer the tests or examinations were sat, e.g. 2011")
    key_stage: KeyStage
    measures: dict[Label, Quantity] = Field(
        max_length=100,
        description="named measures; percentages are named pct_..., e.g. pct_level4_english_and_maths",
    )
    published_on: date


class ResultsPublic(BaseModel):
    urn: str
    year: int
    key_stage: KeyStage
    measures: dict[str, float]
    below_floor: bool | None = Field(
        description="null when no floor standard applies to that year and key stage"
    )
    downward_trend: bool = Field(description="a downward trend ending this year was identified")
    version: int
    recorded: list[str]


@router.post("", response_model=ResultsPublic, status_code=201, summary="Record a year's published results")
async def record_year_results(
    urn: UrnPath,
    body: ResultsCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_RESULTS)],
    ctx: ContextDep,
    log: LogDep,
) -> ResultsPublic:
    outcome = await record_results(log, ctx, RecordResults(urn=urn, **body.model_dump()))
    answered(response, outcome, created=True)
    key = (body.year, body.key_stage)
    return ResultsPublic(
        urn=urn,
        year=body.year,
        key_stage=body.key_stage,
        measures={name: float(value) for name, value in outcome.state.results.get(key, {}).items()},
        below_floor=outcome.state.below_floor.get(key),
        downward_trend=(body.key_stage, body.year) in outcome.state.trends_flagged
        or any(isinstance(e, DownwardTrendIdentified) for e in map(log.decode, outcome.recorded)),
        version=outcome.version,
        recorded=recorded_types(outcome),
    )
