"""The council's categorisation of a school: an adviser proposes, a principal adviser decides.

The proposer and the approver are the callers named in their tokens, never a body field, so
"approved by someone other than the proposer" cannot be got round.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Depends, Response

from schools import access
from schools.api.answers import answer, nothing_new, recorded_types
from schools.api.schemas.categorisation import (
    ApprovalCreate,
    CategorisationPublic,
    ProposalCreate,
    RejectionCreate,
)
from schools.api.schemas.paths import Identifier
from schools.domain.categorisation import ApproveCategory, ProposeCategory, RejectCategoryProposal
from schools.handlers.categorisation import decide_category
from schools.wiring import Schools, SchoolsDep
from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.context import CommandContext, ContextDep

router = APIRouter(prefix="/schools/{urn}/categorisation", tags=["categorisation"])


@router.post(
    "/proposals",
    response_model=CategorisationPublic,
    status_code=201,
    responses=nothing_new(CategorisationPublic),
    summary="Propose a category",
)
async def propose_category(
    urn: UrnPath,
    body: ProposalCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.PROPOSE_CATEGORY)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> CategorisationPublic:
    command = ProposeCategory(
        urn=urn,
        proposal_id=f"proposal-{uuid.uuid4().hex[:12]}",
        category=body.category,
        reasons=body.reasons,
        proposed_by=principal.subject,
        proposed_on=body.proposed_on or ctx.today,
    )
    return await _categorised(schools, ctx, response, command, created=True)


@router.post(
    "/proposals/{proposal_id}/approval",
    response_model=CategorisationPublic,
    summary="Approve a proposed category (a principal adviser other than the proposer)",
)
async def approve_category(
    urn: UrnPath,
    proposal_id: Identifier,
    response: Response,
    principal: Annotated[Principal, Depends(access.APPROVE_CATEGORY)],
    ctx: ContextDep,
    schools: SchoolsDep,
    body: Annotated[ApprovalCreate | None, Body()] = None,
) -> CategorisationPublic:
    approved_on = body.approved_on if body is not None else None
    command = ApproveCategory(
        urn=urn, proposal_id=proposal_id, approved_by=principal.subject, approved_on=approved_on or ctx.today
    )
    return await _categorised(schools, ctx, response, command)


@router.post(
    "/proposals/{proposal_id}/rejection",
    response_model=CategorisationPublic,
    summary="Send a proposed category back, with the reason",
)
async def reject_category(
    urn: UrnPath,
    proposal_id: Identifier,
    body: RejectionCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.APPROVE_CATEGORY)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> CategorisationPublic:
    command = RejectCategoryProposal(
        urn=urn,
        proposal_id=proposal_id,
        rejected_by=principal.subject,
        rejected_on=body.rejected_on or ctx.today,
        reason=body.reason,
    )
    return await _categorised(schools, ctx, response, command)


async def _categorised(
    schools: Schools,
    ctx: CommandContext,
    response: Response,
    command: ProposeCategory | ApproveCategory | RejectCategoryProposal,
    *,
    created: bool = False,
) -> CategorisationPublic:
    """Decide on the school's category and answer with the categorisation as it now stands."""
    outcome = await decide_category(schools, ctx, command)
    answer(response, outcome, created=created)
    return CategorisationPublic.of(command.urn, outcome.state, outcome.version, recorded_types(outcome))
