"""The pupil-premium API's shared shapes: the text a client may send, and what the API answers
with after a command - the budget, a request, a project or a payment run as the budget stream now
has it (``...Public``), built from the folded state the command produced.

Text is checked against the limits of ``shared.text`` after surrounding whitespace is trimmed, as
this service's commands have always trimmed it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel

from shared import text
from shared.text import Trimmed

from pupil_premium.domain.budget_state import (
    Budget,
    PaymentRun,
    ProjectState,
    ProjectStatus,
    RequestState,
    RequestStatus,
    RunStatus,
)
from pupil_premium.domain.events import FundedTarget, InterventionType, PaymentLine

Name = Annotated[text.Name, Trimmed]
Label = Annotated[text.Label, Trimmed]
Title = Annotated[text.Title, Trimmed]
Note = Annotated[text.Note, Trimmed]


class TopSlicePublic(BaseModel):
    top_slice_id: str
    name: str
    amount_pence: int


class BudgetPublic(BaseModel):
    financial_year: str
    grant_recorded: bool
    grant_pence: int
    top_sliced_pence: int
    approved_pence: int
    committed_pence: int
    paid_pence: int
    remaining_pence: int
    top_slices: list[TopSlicePublic]
    open_requests: int
    version: int


class RequestPublic(BaseModel):
    financial_year: str
    request_id: str
    child_id: str
    school_urn: str
    term: str
    status: RequestStatus
    decision: RequestStatus | None
    amount_requested_pence: int
    amount_approved_pence: int
    pep_id: str
    targets: list[FundedTarget]
    intervention_type: InterventionType
    requested_on: date
    decided_on: date | None
    run_id: str | None
    paid_on: date | None
    impact_recorded: bool
    budget_remaining_pence: int


class MilestonePublic(BaseModel):
    milestone_id: str
    description: str
    due_on: date
    met: bool


class ProjectPublic(BaseModel):
    financial_year: str
    project_id: str
    school_urn: str
    child_ids: list[str]
    milestones: list[MilestonePublic]
    amount_requested_pence: int
    amount_approved_pence: int
    status: ProjectStatus
    run_id: str | None
    budget_remaining_pence: int


class PaymentRunPublic(BaseModel):
    financial_year: str
    run_id: str
    status: RunStatus
    payments: list[PaymentLine]
    total_pence: int
    scheduled_on: date
    paid_on: date | None = None
    finance_reference: str | None = None
    cancelled_on: date | None = None
    cancellation_reason: str | None = None


def budget_public(budget: Budget, financial_year: str, version: int) -> BudgetPublic:
    return BudgetPublic(
        financial_year=financial_year,
        grant_recorded=budget.grant_recorded,
        grant_pence=budget.grant_pence,
        top_sliced_pence=budget.top_sliced_pence,
        approved_pence=budget.approved_pence,
        committed_pence=budget.committed_pence,
        paid_pence=budget.paid_pence,
        remaining_pence=budget.remaining_pence,
        top_slices=[
            TopSlicePublic(top_slice_id=t.top_slice_id, name=t.name, amount_pence=t.amount_pence)
            for t in budget.top_slices.values()
        ],
        open_requests=sum(1 for r in budget.requests.values() if r.is_open),
        version=version,
    )


def request_public(budget: Budget, request: RequestState, financial_year: str) -> RequestPublic:
    return RequestPublic(
        financial_year=financial_year,
        request_id=request.request_id,
        child_id=request.child_id,
        school_urn=request.school_urn,
        term=request.term,
        status=request.status,
        decision=request.decision,
        amount_requested_pence=request.amount_requested_pence,
        amount_approved_pence=request.amount_approved_pence,
        pep_id=request.pep_id,
        targets=list(request.targets),
        intervention_type=request.intervention_type,
        requested_on=request.requested_on,
        decided_on=request.decided_on,
        run_id=request.run_id,
        paid_on=request.paid_on,
        impact_recorded=request.impact_recorded,
        budget_remaining_pence=budget.remaining_pence,
    )


def project_public(budget: Budget, project: ProjectState, financial_year: str) -> ProjectPublic:
    return ProjectPublic(
        financial_year=financial_year,
        project_id=project.project_id,
        school_urn=project.school_urn,
        child_ids=list(project.child_ids),
        milestones=[
            MilestonePublic(
                milestone_id=m.milestone_id,
                description=m.description,
                due_on=m.due_on,
                met=m.milestone_id in project.milestones_met,
            )
            for m in project.milestones
        ],
        amount_requested_pence=project.amount_requested_pence,
        amount_approved_pence=project.amount_approved_pence,
        status=project.status,
        run_id=project.run_id,
        budget_remaining_pence=budget.remaining_pence,
    )


def payment_run_public(run: PaymentRun, financial_year: str) -> PaymentRunPublic:
    return PaymentRunPublic(
        financial_year=financial_year,
        run_id=run.run_id,
        status=run.status,
        payments=list(run.lines),
        total_pence=sum(line.amount_pence for line in run.lines),
        scheduled_on=run.scheduled_on,
        paid_on=run.paid_on,
        finance_reference=run.finance_reference,
        cancelled_on=run.cancelled_on,
        cancellation_reason=run.cancellation_reason,
    )
