"""PP+ requests: made by a designated teacher for a child on roll at their school, against the
child's PEP targets; more information for the panel; withdrawal; and the request register."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from shared.errors import NotFound
from shared.security.data_scope import designated_teacher_urn, ensure_designated_teacher_scope
from shared.security.principal import Principal
from shared.urn import UrnQuery
from shared.web.audit import record_child_read
from shared.web.context import ContextDep
from shared.web.paging import Keyset, Paging, keyset_paging

from pupil_premium import access
from pupil_premium.api.budget_command import BudgetCommandDep
from pupil_premium.api.schemas.common import year_label
from pupil_premium.api.schemas.requests import (
    MoreInformationCreate,
    RequestCreate,
    RequestPage,
    RequestPublic,
    RequestRecordPublic,
    WithdrawalCreate,
    record_public,
    request_public,
)
from pupil_premium.domain.budget_state import RequestStatus
from pupil_premium.domain.money import Identifier
from pupil_premium.handlers import requests as handlers
from pupil_premium.queries import requests as queries
from pupil_premium.queries.child_facts import facts_of, school_on_roll
from pupil_premium.wiring import PupilPremiumDep

router = APIRouter(prefix="/budgets/{financial_year}/requests", tags=["requests"])

# The register is in the order requests were made: by the log position each was requested at.
RequestsPage = Annotated[Paging[tuple[int] | None], keyset_paging(Keyset(int), max_limit=queries.MAX_PAGE)]


@router.post("", status_code=201, summary="Request PP+ for a child and a term against PEP targets")
async def make_request(
    financial_year: str,
    body: RequestCreate,
    principal: Annotated[Principal, Depends(access.REQUEST)],
    command: BudgetCommandDep,
) -> RequestPublic:
    label, outcome, request_id = await command.create_at_school(
        handlers.request_pupil_premium_plus, financial_year, body.model_dump(), principal, kind="request"
    )
    return request_public(outcome.state, outcome.state.requests[request_id], label)


@router.get("", summary="The request register, in the order requests were made")
async def list_requests(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_REQUESTS)],
    pp: PupilPremiumDep,
    paging: RequestsPage,
    status: RequestStatus | None = None,
    school_urn: UrnQuery = None,
    child_id: Identifier | None = None,
) -> RequestPage:
    own_school = designated_teacher_urn(principal)
    if own_school is not None and school_urn not in (None, own_school):
        ensure_designated_teacher_scope(principal, None)
    rows = await queries.list_requests(
        pp.pool,
        year_label(financial_year),
        status=status.value if status else None,
        school_urn=own_school or school_urn,
        child_id=child_id,
        after=paging.after[0] if paging.after else 0,
        limit=paging.fetch,
    )
    return RequestPage(
        **paging.page([record_public(row) for row in rows], key=lambda request: (request.position,))
    )


@router.get("/{request_id}", summary="One request and its story")
async def request_record(
    financial_year: str,
    request_id: str,
    principal: Annotated[Principal, Depends(access.READ_REQUESTS)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    request: Request,
) -> RequestRecordPublic:
    row = await queries.request_row(pp.pool, year_label(financial_year), request_id)
    if designated_teacher_urn(principal) is not None:
        on_roll = school_on_roll(await facts_of(pp.pool, row["child_id"]), ctx.today) if row else None
        ensure_designated_teacher_scope(principal, on_roll if row and row["school_urn"] == on_roll else None)
    if row is None:
        raise NotFound(
            f"there is no request {request_id} in the {year_label(financial_year)} budget", field="request_id"
        )
    await record_child_read(request, row["child_id"])
    return record_public(row)


@router.post("/{request_id}/more-information", summary="Give the panel the information it asked for")
async def provide_more_information(
    financial_year: str,
    request_id: str,
    body: MoreInformationCreate,
    principal: Annotated[Principal, Depends(access.REQUEST)],
    command: BudgetCommandDep,
) -> RequestPublic:
    return await command.on_request(
        handlers.provide_more_information, financial_year, request_id, body.model_dump()
    )


@router.post(
    "/{request_id}/withdrawal", summary="Withdraw a request not yet paid (an approval returns to the budget)"
)
async def withdraw(
    financial_year: str,
    request_id: str,
    body: WithdrawalCreate,
    principal: Annotated[Principal, Depends(access.REQUEST)],
    command: BudgetCommandDep,
) -> RequestPublic:
    return await command.on_request(handlers.withdraw_request, financial_year, request_id, body.model_dump())
