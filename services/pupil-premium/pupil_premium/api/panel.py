"""The PP+ panel's decisions on a request: approve, part-approve, ask for more information, or
refuse, with reasons and the panel members. The Virtual School Head chairs and records them; an
approval never takes the budget below zero, however many are made at once."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from shared.security.principal import Principal

from pupil_premium import access
from pupil_premium.api.budget_command import BudgetCommandDep
from pupil_premium.api.schemas.panel import (
    ApprovalCreate,
    InformationRequestCreate,
    PartApprovalCreate,
    RefusalCreate,
)
from pupil_premium.api.schemas.requests import RequestPublic
from pupil_premium.handlers import panel as handlers

router = APIRouter(prefix="/budgets/{financial_year}/requests/{request_id}", tags=["panel"])

# The Virtual School Head, who chairs the panel and records its decisions.
PanelChair = Annotated[Principal, Depends(access.PANEL)]


@router.post("/approval", summary="Approve the amount requested")
async def approve(
    financial_year: str,
    request_id: str,
    body: ApprovalCreate,
    principal: PanelChair,
    command: BudgetCommandDep,
) -> RequestPublic:
    return await command.on_request(handlers.approve, financial_year, request_id, body.model_dump())


@router.post("/part-approval", summary="Approve less than was requested, with reasons")
async def part_approve(
    financial_year: str,
    request_id: str,
    body: PartApprovalCreate,
    principal: PanelChair,
    command: BudgetCommandDep,
) -> RequestPublic:
    return await command.on_request(handlers.part_approve, financial_year, request_id, body.model_dump())


@router.post("/information-request", summary="Ask the school for more information")
async def ask_for_more_information(
    financial_year: str,
    request_id: str,
    body: InformationRequestCreate,
    principal: PanelChair,
    command: BudgetCommandDep,
) -> RequestPublic:
    return await command.on_request(
        handlers.ask_for_more_information, financial_year, request_id, body.model_dump()
    )


@router.post("/refusal", summary="Refuse the request, with reasons")
async def refuse(
    financial_year: str,
    request_id: str,
    body: RefusalCreate,
    principal: PanelChair,
    command: BudgetCommandDep,
) -> RequestPublic:
    return await command.on_request(handlers.refuse, financial_year, request_id, body.model_dump())
