"""The PP+ panel's decisions on a request: approve, part-approve, ask for more information, or
refuse, with reasons and the panel members. The Virtual School Head chairs and records them; an
approval never takes the budget below zero, however many are made at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from shared.security.principal import Principal
from shared.web.context import ContextDep
from shared.web.commands import Outcome, answered

from pupil_premium import access
from pupil_premium.api.budgets import year_label
from pupil_premium.api.schemas import Name, Note, RequestPublic, request_public
from pupil_premium.domain.money import PositivePence
from pupil_premium.handlers import panel as handlers
from pupil_premium.wiring import PupilPremiumDep

router = APIRouter(prefix="/budgets/{financial_year}/requests/{request_id}", tags=["panel"])

PanelMembers = Annotated[list[Name], Field(min_length=1, max_length=20, description="who sat on the panel")]
Reasons = Annotated[list[Note], Field(min_length=1, max_length=20)]


class _Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    panel_members: PanelMembers


class ApprovalCreate(_Decision):
    reasons: list[Note] = Field(default_factory=list, max_length=20)


class PartApprovalCreate(_Decision):
    amount_approved_pence: PositivePence
    reasons: Reasons


class InformationRequestCreate(_Decision):
    questions: Annotated[list[Note], Field(min_length=1, max_length=20)]


class RefusalCreate(_Decision):
    reasons: Reasons


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
