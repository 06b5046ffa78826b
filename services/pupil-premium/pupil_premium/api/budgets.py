"""A financial year's budget: the grant, top-slices for central provision, and the position."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from shared.errors import NotFound
from shared.security.principal import Principal
from shared.web.commands import etag

from pupil_premium import access
from pupil_premium.api.budget_command import BudgetCommandDep
from pupil_premium.api.schemas.budgets import (
    BudgetPublic,
    CensusGrantCreate,
    EndOfDay,
    GrantLetterCreate,
    TopSliceAmendmentCreate,
    TopSliceCreate,
    TopSlicePublic,
    budget_public,
    top_slice_public,
)
from pupil_premium.api.schemas.common import year_label
from pupil_premium.domain.reports.position import BudgetPosition
from pupil_premium.handlers import budget as handlers
from pupil_premium.handlers.common import recorded_value
from pupil_premium.queries import budgets as queries
from pupil_premium.wiring import PupilPremiumDep

router = APIRouter(prefix="/budgets/{financial_year}", tags=["budgets"])


@router.get("", summary="The budget as it stands: grant, top-slices, committed, paid, remaining")
async def budget(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    pp: PupilPremiumDep,
    response: Response,
) -> BudgetPublic:
    label = year_label(financial_year)
    loaded = await pp.budget(label)
    if loaded.version == 0:
        raise NotFound(f"nothing has been recorded for the {label} budget yet", field="financial_year")
    response.headers["ETag"] = etag(loaded.version)
    return budget_public(loaded.state, label, loaded.version)


@router.get("/position", summary="The budget position on a date (today when no date is given)")
async def position(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    pp: PupilPremiumDep,
    as_of: EndOfDay = None,
) -> BudgetPosition:
    return await queries.position_on(pp.pool, year_label(financial_year), as_of)


@router.post("/grant/census", summary="Set the grant: the rate per child times the children looked after")
async def grant_from_census(
    financial_year: str,
    body: CensusGrantCreate,
    principal: Annotated[Principal, Depends(access.SET_GRANT)],
    command: BudgetCommandDep,
) -> BudgetPublic:
    label, outcome = await command.run(
        handlers.set_grant_from_census, financial_year, body.census_date, body.looked_after_children
    )
    return budget_public(outcome.state, label, outcome.version)


@router.post("/grant/letter", summary="Set the grant to the amount in the DfE's grant letter")
async def grant_from_letter(
    financial_year: str,
    body: GrantLetterCreate,
    principal: Annotated[Principal, Depends(access.SET_GRANT)],
    command: BudgetCommandDep,
) -> BudgetPublic:
    label, outcome = await command.run(handlers.record_grant_letter, financial_year, body.model_dump())
    return budget_public(outcome.state, label, outcome.version)


@router.post("/top-slices", status_code=201, summary="Top-slice an amount for central provision")
async def top_slice(
    financial_year: str,
    body: TopSliceCreate,
    principal: Annotated[Principal, Depends(access.TOP_SLICE)],
    command: BudgetCommandDep,
) -> TopSlicePublic:
    _, outcome = await command.run(handlers.top_slice, financial_year, body.model_dump())
    return top_slice_public(outcome.state.top_slices[recorded_value(outcome, "top_slice_id", None)])


@router.post("/top-slices/{top_slice_id}/amendments", summary="Change a top-slice's amount, with the reason")
async def amend_top_slice(
    financial_year: str,
    top_slice_id: str,
    body: TopSliceAmendmentCreate,
    principal: Annotated[Principal, Depends(access.TOP_SLICE)],
    command: BudgetCommandDep,
) -> TopSlicePublic:
    _, outcome = await command.run(handlers.amend_top_slice, financial_year, top_slice_id, body.model_dump())
    return top_slice_public(outcome.state.top_slices[top_slice_id])
