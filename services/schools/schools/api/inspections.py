"""Ofsted inspections of a school, and the publication of their reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from schools import access
from schools.api.answers import answer, nothing_new, recorded_types
from schools.api.schemas.inspections import InspectionCreate, InspectionPublic, PublicationCreate
from schools.api.schemas.paths import Identifier
from schools.domain.inspections import (
    InspectionHistory,
    InspectionRecorded,
    PublishInspectionReport,
    RecordInspection,
    SchoolIdentifiedAsStuck,
)
from schools.handlers.inspections import decide_inspection
from schools.wiring import Schools, SchoolsDep
from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.commands import Outcome
from shared.web.context import ContextDep

router = APIRouter(prefix="/schools/{urn}/inspections", tags=["inspections"])


@router.post(
    "",
    response_model=InspectionPublic,
    status_code=201,
    responses=nothing_new(InspectionPublic),
    summary="Record an Ofsted inspection",
)
async def record_inspection(
    urn: UrnPath,
    body: InspectionCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_INSPECTION)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> InspectionPublic:
    outcome = await decide_inspection(schools, ctx, RecordInspection(urn=urn, **body.facts()))
    answer(response, outcome, created=True)
    return _inspection(schools, urn, outcome, body.inspection_id.strip())


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
    schools: SchoolsDep,
) -> InspectionPublic:
    command = PublishInspectionReport(urn=urn, inspection_id=inspection_id, published_on=body.published_on)
    outcome = await decide_inspection(schools, ctx, command)
    answer(response, outcome)
    return _inspection(schools, urn, outcome, inspection_id)


def _inspection(
    schools: Schools, urn: str, outcome: Outcome[InspectionHistory], inspection_id: str
) -> InspectionPublic:
    inspection = outcome.state.find(inspection_id)
    assert inspection is not None
    recorded = [schools.log.decode(r) for r in outcome.recorded]
    details = next((e for e in recorded if isinstance(e, InspectionRecorded)), None)
    stuck = next((e for e in recorded if isinstance(e, SchoolIdentifiedAsStuck)), None)
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
        good_or_better=inspection.good_or_better,
        concern_policy_from=inspection.concern_policy_from,
        published_on=inspection.published_on,
        stuck=stuck is not None,
        stuck_rule=stuck.rule.value if stuck else None,
        recorded=recorded_types(outcome),
    )
