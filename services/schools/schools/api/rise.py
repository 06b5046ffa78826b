"""A school's work with the DfE's RISE team: the engagement's start, its plan and funding, its end."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from schools import access
from schools.api.answers import answer, nothing_new
from schools.api.schemas.paths import Identifier
from schools.api.schemas.rise import (
    RiseEndCreate,
    RiseEngagementCreate,
    RiseEngagementPublic,
    RiseFundingUpdate,
    RisePlanUpdate,
)
from schools.domain.rise import (
    EndRiseEngagement,
    RecordRiseFunding,
    RecordRisePlan,
    RiseCommand,
    StartRiseEngagement,
)
from schools.handlers.rise import decide_rise
from schools.wiring import Schools, SchoolsDep
from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.context import CommandContext, ContextDep

router = APIRouter(prefix="/schools/{urn}/rise-engagements", tags=["rise"])


@router.post(
    "",
    response_model=RiseEngagementPublic,
    status_code=201,
    responses=nothing_new(RiseEngagementPublic),
    summary="Record that the school began work with a RISE adviser",
)
async def start_engagement(
    urn: UrnPath,
    body: RiseEngagementCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_RISE)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> RiseEngagementPublic:
    """One engagement at a time: a new one is recorded once the last has ended."""
    command = StartRiseEngagement(
        urn=urn,
        engagement_id=f"rise-{uuid.uuid4().hex[:12]}",
        **body.model_dump(),
        recorded_by=principal.subject,
        recorded_on=ctx.today,
    )
    return await _decided(schools, ctx, response, command, created=True)


@router.put(
    "/{engagement_id}/plan", response_model=RiseEngagementPublic, summary="Record the engagement's plan"
)
async def record_plan(
    urn: UrnPath,
    engagement_id: Identifier,
    body: RisePlanUpdate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_RISE)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> RiseEngagementPublic:
    """Replaces the plan recorded before, while the engagement runs."""
    command = RecordRisePlan(
        urn=urn,
        engagement_id=engagement_id,
        plan=body.plan,
        recorded_by=principal.subject,
        recorded_on=ctx.today,
    )
    return await _decided(schools, ctx, response, command)


@router.put(
    "/{engagement_id}/funding",
    response_model=RiseEngagementPublic,
    summary="Record the funding awarded for the engagement",
)
async def record_funding(
    urn: UrnPath,
    engagement_id: Identifier,
    body: RiseFundingUpdate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_RISE)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> RiseEngagementPublic:
    """Replaces the amount recorded before, while the engagement runs."""
    command = RecordRiseFunding(
        urn=urn,
        engagement_id=engagement_id,
        amount_pence=body.amount_pence,
        recorded_by=principal.subject,
        recorded_on=ctx.today,
    )
    return await _decided(schools, ctx, response, command)


@router.post(
    "/{engagement_id}/end", response_model=RiseEngagementPublic, summary="Record the engagement's end"
)
async def end_engagement(
    urn: UrnPath,
    engagement_id: Identifier,
    body: RiseEndCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_RISE)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> RiseEngagementPublic:
    command = EndRiseEngagement(
        urn=urn,
        engagement_id=engagement_id,
        **body.model_dump(),
        recorded_by=principal.subject,
        recorded_on=ctx.today,
    )
    return await _decided(schools, ctx, response, command)


async def _decided(
    schools: Schools,
    ctx: CommandContext,
    response: Response,
    command: RiseCommand,
    *,
    created: bool = False,
) -> RiseEngagementPublic:
    """Decide, and answer with the engagement as it now stands."""
    outcome = await decide_rise(schools, ctx, command)
    answer(response, outcome, created=created)
    engagement = outcome.state.find(command.engagement_id)
    assert engagement is not None  # decide refuses an engagement it does not find
    return RiseEngagementPublic.of(engagement)
