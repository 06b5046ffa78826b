"""Ofsted inspections of a school, and the publication of their reports."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from schools import access
from schools.api.deps import Identifier, LogDep, answered, recorded_types
from schools.api.schemas import InspectionPublic
from schools.domain.frameworks import CategoryOfConcern, Framework, InspectionType
from schools.domain.inspections import (
    InspectionHistory,
    InspectionRecorded,
    PublishInspectionReport,
    RecordInspection,
    SchoolIdentifiedAsStuck,
)
from schools.handlers.inspections import decide_inspection
from schools.handlers.log import SchoolsLog
from shared.security.principal import Principal
from shared.text import Label
from shared.urn import UrnPath
from shared.web.commands import Outcome
from shared.web.context import ContextDep

router = APIRouter(prefix="/schools/{urn}/inspections", tags=["inspections"])


class InspectionCreate(BaseModel):
    """Judgements in the vocabulary of ``framework``: an overall effectiveness grade where the
    framework has one, key judgements or report-card evaluation areas keyed by their name."""

    model_config = ConfigDict(extra="forbid")

    inspection_id: Label = Field(description="Ofsted's inspection number")
    inspected_on: date
    inspection_type: InspectionType
    framework: Framework
    overall_effectiveness: Label | None = None
    judgements: dict[Label, Label] = Field(default_factory=dict, max_length=30)
    safeguarding: Label | None = None
    category_of_concern: CategoryOfConcern | None = None


class PublicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    published_on: date


@router.post("", response_model=InspectionPublic, status_code=201, summary="Record an Ofsted inspection")
async def record_inspection(
    urn: UrnPath,
    body: InspectionCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_INSPECTION)],
    ctx: ContextDep,
    log: LogDep,
) -> InspectionPublic:
    outcome = await decide_inspection(log, ctx, RecordInspection(urn=urn, **body.model_dump()))
    answered(response, outcome, created=True)
    return _inspection(urn, outcome, body.inspection_id.strip(), log)


@router.post(
    "/{inspection_id}/publication",
    response_model=InspectionPublic,
    summary="Record the publication of an inspection's report",
)
async def publish_report(
    urn: UrnPath,
    inspection_id: Identifier,
    body: PublicationCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_INSPECTION)],
    ctx: ContextDep,
    log: LogDep,
) -> InspectionPublic:
    command = PublishInspectionReport(urn=urn, inspection_id=inspection_id, published_on=body.published_on)
    outcome = await decide_inspection(log, ctx, command)
    answered(response, outcome)
    return _inspection(urn, outcome, inspection_id, log)


def _inspection(
    urn: str, outcome: Outcome[InspectionHistory], inspection_id: str, log: SchoolsLog
) -> InspectionPublic:
    inspection = outcome.state.find(inspection_id)
    assert inspection is not None
    recorded = [log.decode(r) for r in outcome.recorded]
    details = next((e for e in recorded if isinstance(e, InspectionRecorded)), None)
    return InspectionPublic(
        urn=urn,
        inspection_id=inspection.inspection_id,
        inspected_on=inspection.inspected_on,
        inspection_type=inspection.inspection_type.value,
        framework=inspection.framework.value,
        overall_effectiveness=details.overall_effectiveness if details else None,
        judgements=dict(details.judgements) if details else {},
        safeguarding=details.safeguarding if details else None,
        category_of_concern=inspection.category_of_concern.value if inspection.category_of_concern else None,
        headline_judgement=inspection.headline.grade if inspection.headline else None,
        below_good=inspection.below_good,
        published_on=inspection.published_on,
        stuck=any(isinstance(e, SchoolIdentifiedAsStuck) for e in recorded),
        recorded=recorded_types(outcome),
    )
