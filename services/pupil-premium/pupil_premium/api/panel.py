"""The PP+ panel's decisions on a request: approve, part-approve, ask for more information, or
refuse, with reasons and the panel members. The Virtual School Head chairs and records them; an
approval never takes the budget below zero, however many are made at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from shared.security.principal import Principal
from shared.web.context import ContextDep
from shared.web.commands import Outcome, answered

from pupil_premium import access
from pupil_premium.api.schemas.common import year_label
from pupil_premium.api.schemas.panel import (
    ApprovalCreate,
    InformationRequestCreate,
    PartApprovalCreate,
    RefusalCreate,
)
from pupil_premium.api.schemas.requests import RequestPublic, request_public
from pupil_premium.handlers import panel as handlers
from pupil_premium.wiring import PupilPremiumDep

router = APIRouter(prefix="/budgets/{financial_year}/requests/{request_id}", tags=["panel"])

def _answer(outcome: Outcome, label: str, request_id: str, response: Response) -> RequestPublic:
    answered(response, outcome)
    return request_public(outcome.state, outcome.state.requests[request_id], label)


@router.post("/approval", summary="Approve the amount requested")
async def approve(
    financial_year: str,
    request_id: str,
    body: ApprovalCreate,
    principal: Annotated[Principal, Depends(access.PANEL)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    response: Response,
) -> RequestPublic:
    label = year_label(financial_year)
    outcome = await handlers.approve(pp, ctx, label, request_id, body.model_dump())
    return _answer(outcome, label, request_id, response)


@router.post("/part-approval", summary="Approve less than was requested, with reasons")
async def part_approve(
    financial_year: str,
    request_id: str,
    body: PartApprovalCreate,
    principal: Annotated[Principal, Depends(access.PANEL)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    response: Response,
) -> RequestPublic:
    label = year_label(financial_year)
    outcome = await handlers.part_approve(pp, ctx, label, request_id, body.model_dump())
    return _answer(outcome, label, request_id, response)


@router.post("/information-request", summary="Ask the school for more information")
async def ask_for_more_information(
    financial_year: str,
    request_id: str,
    body: InformationRequestCreate,
    principal: Annotated[Principal, Depends(access.PANEL)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    response: Response,
) -> RequestPublic:
    label = year_label(financial_year)
    outcome = await handlers.ask_for_more_information(pp, ctx, label, request_id, body.model_dump())
    return _answer(outcome, label, request_id, response)


@router.post("/refusal", summary="Refuse the request, with reasons")
async def refuse(
    financial_year: str,
    request_id: str,
    body: RefusalCreate,
    principal: Annotated[Principal, Depends(access.PANEL)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    response: Response,
) -> RequestPublic:
    label = year_label(financial_year)
    outcome = await handlers.refuse(pp, ctx, label, request_id, body.model_dump())
    return _answer(outcome, label, request_id, response)
