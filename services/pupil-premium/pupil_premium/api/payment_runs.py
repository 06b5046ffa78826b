"""Payment runs: approved amounts scheduled for payment to schools, then marked paid with the
finance reference (or cancelled). A request is never paid twice: a run retried with the same id
and items changes nothing, and an item already in a live run cannot be put in another."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from shared.errors import NotFound
from shared.security.principal import Principal
from shared.web.commands import etag
from shared.web.paging import single_page

from pupil_premium import access
from pupil_premium.api.budget_command import BudgetCommandDep
from pupil_premium.api.schemas.common import year_label
from pupil_premium.api.schemas.payment_runs import (
    CancellationCreate,
    PaymentMadeCreate,
    PaymentRunCreate,
    PaymentRunList,
    PaymentRunPublic,
    payment_run_public,
    run_record,
)
from pupil_premium.domain.budget_state import RunStatus
from pupil_premium.handlers import payments as handlers
from pupil_premium.handlers.common import recorded_value
from pupil_premium.queries import projects_and_runs as queries
from pupil_premium.wiring import PupilPremiumDep

router = APIRouter(prefix="/budgets/{financial_year}/payment-runs", tags=["payment runs"])


@router.post(
    "",
    status_code=201,
    responses={
        200: {
            "model": PaymentRunPublic,
            "description": "Nothing new was scheduled: the same run was asked for again",
        }
    },
    summary="Schedule approved requests and projects for payment",
)
async def schedule(
    financial_year: str,
    body: PaymentRunCreate,
    principal: Annotated[Principal, Depends(access.SCHEDULE_PAYMENT)],
    command: BudgetCommandDep,
) -> PaymentRunPublic:
    fields = body.model_dump()
    label, outcome = await command.run(handlers.schedule, financial_year, fields)
    run_id = recorded_value(outcome, "run_id", fields["run_id"])
    if not outcome.recorded:
        command.response.status_code = 200  # the same run asked for again: nothing new was scheduled
    command.created_at(f"/budgets/{label}/payment-runs/{run_id}")
    return payment_run_public(outcome.state.runs[run_id], label)


@router.get("", summary="The year's payment runs, in the order they were scheduled")
async def list_runs(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    pp: PupilPremiumDep,
    status: RunStatus | None = None,
) -> PaymentRunList:
    rows = await queries.list_payment_runs(
        pp.pool, year_label(financial_year), status=status.value if status else None
    )
    return PaymentRunList(**single_page(run_record(row) for row in rows))


@router.get("/{run_id}", summary="One payment run, as the budget stream has it now")
async def run(
    financial_year: str,
    run_id: str,
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    pp: PupilPremiumDep,
    response: Response,
) -> PaymentRunPublic:
    label = year_label(financial_year)
    loaded = await pp.budget(label)
    found = loaded.state.runs.get(run_id)
    if found is None:
        raise NotFound(f"there is no payment run {run_id} in the {label} budget", field="run_id")
    response.headers["ETag"] = etag(loaded.version)
    return payment_run_public(found, label)


@router.post("/{run_id}/paid", summary="Record that finance paid the run, with the finance reference")
async def paid(
    financial_year: str,
    run_id: str,
    body: PaymentMadeCreate,
    principal: Annotated[Principal, Depends(access.RECORD_PAYMENT)],
    command: BudgetCommandDep,
) -> PaymentRunPublic:
    return await command.on_payment_run(handlers.record_paid, financial_year, run_id, body.model_dump())


@router.post(
    "/{run_id}/cancellation", summary="Cancel a run finance did not pay; its items can be scheduled again"
)
async def cancel(
    financial_year: str,
    run_id: str,
    body: CancellationCreate,
    principal: Annotated[Principal, Depends(access.CANCEL_PAYMENT)],
    command: BudgetCommandDep,
) -> PaymentRunPublic:
    return await command.on_payment_run(handlers.cancel, financial_year, run_id, body.model_dump())
