"""PP+ requests: what a designated teacher sends, the request as the budget has it after a
command, and the request register's record of it."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from shared.urn import Urn
from shared.web.paging import Page

from pupil_premium.domain.budget_state import Budget, RequestState, RequestStatus
from pupil_premium.domain.events import FundedTarget, InterventionType
from pupil_premium.domain.money import PositivePence
from pupil_premium.queries import requests as queries

from .common import Body, Label, Note


class RequestCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "child_id": "C000123",
                    "school_urn": "118234",
                    "term": "autumn-2026",
                    "amount_pence": 45000,
                    "target_ids": ["T1"],
                    "intervention_type": "tutoring",
                    "intervention": (
                        "One-to-one reading tutoring with a qualified teacher, two 30-minute sessions a "
                        "week for ten weeks, to meet the PEP's reading target."
                    ),
                },
            ]
        }
    )

    child_id: Label
    school_urn: Urn | None = Field(
        default=None, description="a designated teacher's own school when left out"
    )
    term: Label = Field(description="e.g. autumn-2026")
    amount_pence: PositivePence
    target_ids: list[Label] = Field(
        min_length=1, max_length=50, description="the child's PEP targets it serves"
    )
    intervention_type: InterventionType
    intervention: Note


class MoreInformationCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "information": (
                        "The tutor is employed by the school; sessions run before school on Tuesdays and "
                        "Thursdays. The cost is now 10 weeks at 40 pounds."
                    ),
                    "revised_amount_pence": 40000,
                },
            ]
        }
    )

    information: Note
    revised_amount_pence: PositivePence | None = None


class WithdrawalCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"reason": "Jordan has moved school; the new school will make its own request."},
            ]
        }
    )

    reason: Note


class _RequestNamed(BaseModel):
    # How both answers open: which request, for whom, and where it stands.
    financial_year: str
    request_id: str
    child_id: str
    school_urn: str
    term: str
    status: RequestStatus
    decision: RequestStatus | None


class RequestPublic(_RequestNamed):
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


class StepPublic(BaseModel):
    on: date
    status: RequestStatus


class RequestRecordPublic(_RequestNamed):
    """A request as the register holds it: its story so far, and how long each step took."""

    pep_id: str
    targets: list[FundedTarget]
    intervention_type: InterventionType
    intervention: str
    policy: str
    amount_requested_pence: int
    amount_approved_pence: int
    requested_on: date
    requested_by: str
    decided_on: date | None
    reasons: list[str]
    panel_members: list[str]
    questions: list[dict[str, Any]]
    information: list[dict[str, Any]]
    run_id: str | None
    scheduled_on: date | None
    paid_on: date | None
    finance_reference: str | None
    withdrawn_on: date | None
    withdrawal_reason: str | None
    impact_recorded_on: date | None
    days_to_decision: int | None
    days_to_payment: int | None
    history: list[StepPublic]
    position: int


class RequestPage(Page[RequestRecordPublic]):
    """The request register, a page at a time, in the order requests were made."""


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


# Worked out from the register's row, not stored in it.
_DERIVED = frozenset({"days_to_decision", "days_to_payment", "history", "position"})


def record_public(row: dict[str, Any]) -> RequestRecordPublic:
    record = queries.request_from_row(row)
    return RequestRecordPublic(
        **{name: row[name] for name in RequestRecordPublic.model_fields if name not in _DERIVED},
        days_to_decision=record.days_to_decision,
        days_to_payment=record.days_to_payment,
        history=[StepPublic(on=on, status=status) for on, status in record.history],
        position=row["requested_position"],
    )
