"""The PP+ panel's decisions on requests (domain.md section 3; seed 002, finance strand).

The panel approves, part-approves (with the amount approved), asks for more information, or
refuses, with reasons, and each decision records the panel members. Only an open request can be
decided: a decision on a request already decided is a conflict.

An approval is a decision against the year's budget: it is refused when it is more than the
remaining balance (or, under a devolved-share policy, more than is left of the devolved share).
Because approvals are appended to the budget stream with the stream version they were decided
against, two approvals made at the same moment cannot both spend the same balance: the second
append fails, the second approval is decided again against the new balance, and is refused if it
no longer fits.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.errors import InvalidInput
from shared.events import Command

from .budget_state import Budget, RequestState, RequestStatus, check_financial_year
from .devolution import DevolutionPolicies
from .events import MoreInformationRequested, RequestApproved, RequestPartApproved, RequestRefused
from .financial_year import FinancialYearLabel
from .money import Identifier, PositivePence, Text, pounds
from .refusals import BudgetExceeded, FundingStage

PanelMembers = tuple[Text, ...]


class _PanelDecision(Command):
    financial_year: FinancialYearLabel
    request_id: Identifier
    panel_members: PanelMembers = Field(min_length=1)


class ApproveRequest(_PanelDecision):
    reasons: tuple[Text, ...] = ()


class PartApproveRequest(_PanelDecision):
    amount_approved_pence: PositivePence
    reasons: tuple[Text, ...] = Field(min_length=1)


class AskForMoreInformation(_PanelDecision):
    questions: tuple[Text, ...] = Field(min_length=1)


class RefuseRequest(_PanelDecision):
    reasons: tuple[Text, ...] = Field(min_length=1)


def approve_request(
    command: ApproveRequest, budget: Budget, *, policies: DevolutionPolicies, today: date
) -> list[RequestApproved]:
    request = _open_request(command, budget)
    amount = request.amount_requested_pence
    check_affordable(budget, amount, policies=policies, today=today, field="request_id")
    return [
        RequestApproved(
            **_decision_fields(command, request, today),
            reasons=command.reasons,
            amount_approved_pence=amount,
        )
    ]


def part_approve_request(
    command: PartApproveRequest, budget: Budget, *, policies: DevolutionPolicies, today: date
) -> list[RequestPartApproved]:
    request = _open_request(command, budget)
    if command.amount_approved_pence >= request.amount_requested_pence:
        raise InvalidInput(
            f"a part-approval must be less than the {pounds(request.amount_requested_pence)} pounds "
            "requested; "
            "approve the request instead",
            field="amount_approved_pence",
        )
    check_affordable(
        budget, command.amount_approved_pence, policies=policies, today=today, field="amount_approved_pence"
    )
    return [
        RequestPartApproved(
            **_decision_fields(command, request, today),
            reasons=command.reasons,
            amount_approved_pence=command.amount_approved_pence,
        )
    ]


def ask_for_more_information(
    command: AskForMoreInformation, budget: Budget, *, today: date
) -> list[MoreInformationRequested]:
    request = _open_request(command, budget)
    if request.status is RequestStatus.AWAITING_INFORMATION:
        raise FundingStage(
            f"the panel is already waiting for more information on request {request.request_id}",
            field="request_id",
        )
    return [
        MoreInformationRequested(
            financial_year=command.financial_year,
            request_id=request.request_id,
            child_id=request.child_id,
            school_urn=request.school_urn,
            questions=command.questions,
            panel_members=command.panel_members,
            decided_on=today,
        )
    ]


def refuse_request(command: RefuseRequest, budget: Budget, *, today: date) -> list[RequestRefused]:
    request = _open_request(command, budget)
    return [RequestRefused(**_decision_fields(command, request, today), reasons=command.reasons)]


def check_affordable(
    budget: Budget, amount_pence: int, *, policies: DevolutionPolicies, today: date, field: str
) -> None:
    """Refuse an approval the budget cannot afford: never spend more than the budget."""
    if not budget.grant_recorded:
        raise BudgetExceeded(
            f"no grant is recorded for {budget.financial_year}; nothing can be approved yet", field=field
        )
    if amount_pence > budget.remaining_pence:
        raise BudgetExceeded(
            f"approving {pounds(amount_pence)} pounds would overspend the budget: "
            f"{pounds(budget.remaining_pence)} pounds remains",
            field=field,
        )
    limit = policies.in_force_on(today).devolved_limit_pence(budget.grant_pence)
    if limit is not None and budget.approved_pence + amount_pence > limit:
        raise BudgetExceeded(
            f"approving {pounds(amount_pence)} pounds would devolve more than the policy's share "
            "of the grant: "
            f"{pounds(max(limit - budget.approved_pence, 0))} pounds of the devolved share remains",
            field=field,
        )


def _open_request(command: _PanelDecision, budget: Budget) -> RequestState:
    check_financial_year(budget, command.financial_year)
    request = budget.request(command.request_id)
    if not request.is_open:
        raise FundingStage(
            f"request {request.request_id} has already been decided "
            f"({request.status.value.replace('_', ' ')})",
            field="request_id",
        )
    return request


def _decision_fields(command: _PanelDecision, request: RequestState, today: date) -> dict:
    return {
        "financial_year": command.financial_year,
        "request_id": request.request_id,
        "child_id": request.child_id,
        "school_urn": request.school_urn,
        "term": request.term,
        "intervention_type": request.intervention_type,
        "amount_requested_pence": request.amount_requested_pence,
        "panel_members": command.panel_members,
        "decided_on": today,
    }
