"""A designated teacher's request for PP+ for a child and a term (domain.md section 3).

A request names the child's PEP targets it serves, the planned intervention and its cost. It is
refused at once, with the reason, when the term is not in the budget's financial year, the child
is not known, not looked after or not on roll at that school on that date, has no current PEP
("no PEP, no premium"), a target is not that child's (or no longer in force), the amount is
more than the devolution policy allows, or a request for the same child and term is still open.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Command
from shared.urn import Urn

from .budget_state import Budget, RequestStatus, check_financial_year
from .child_facts import ChildEducationFacts
from .devolution import DevolutionPolicies, DevolutionPolicy
from .events import (
    FundedTarget,
    InterventionType,
    MoreInformationProvided,
    PupilPremiumPlusRequested,
    RequestWithdrawn,
)
from .financial_year import FinancialYear, FinancialYearLabel
from .money import Identifier, PositivePence, Text
from .refusals import FundingStage, NoPepNoPremium, NotOnRoll, RequestAlreadyOpen
from .terms import TermCalendar


class RequestPupilPremiumPlus(Command):
    financial_year: FinancialYearLabel
    request_id: Identifier
    child_id: Identifier
    school_urn: Urn
    term: Identifier
    amount_pence: PositivePence
    target_ids: tuple[Identifier, ...] = Field(min_length=1)
    intervention_type: InterventionType
    intervention: Text
    requested_by: Text


class ProvideMoreInformation(Command):
    financial_year: FinancialYearLabel
    request_id: Identifier
    information: Text
    revised_amount_pence: PositivePence | None = None
    provided_by: Text


class WithdrawRequest(Command):
    financial_year: FinancialYearLabel
    request_id: Identifier
    reason: Text
    withdrawn_by: Text


def request_pupil_premium_plus(
    command: RequestPupilPremiumPlus,
    budget: Budget,
    *,
    child: ChildEducationFacts | None,
    terms: TermCalendar,
    policies: DevolutionPolicies,
    today: date,
) -> list[PupilPremiumPlusRequested]:
    check_financial_year(budget, command.financial_year)
    if command.request_id in budget.requests:
        raise Conflict(f"request {command.request_id} already exists", field="request_id")
    year = FinancialYear.parse(command.financial_year)
    term = terms.get(command.term)
    if term.financial_year != year:
        raise InvalidInput(
            f"the {term.name} term starts in {term.financial_year.label}, "
            f"outside the {year.label} financial year",
            field="term",
        )
    _check_no_repeated_targets(command.target_ids)
    if child is None:
        raise NotFound(f"no looked-after child {command.child_id} is known", field="child_id")
    if not child.looked_after_on(today):
        raise NotOnRoll(
            f"{command.child_id} is not looked after on {today.isoformat()}", field="child_id"
        )
    if not child.on_roll_at(command.school_urn, today):
        raise NotOnRoll(
            f"{command.child_id} is not on roll at school {command.school_urn} on {today.isoformat()}",
            field="school_urn",
        )
    pep = child.current_pep(today, terms)
    if pep is None:
        raise NoPepNoPremium(
            f"no PEP, no premium: {command.child_id} has no current PEP on {today.isoformat()}",
            field="child_id",
        )
    policy = policies.in_force_on(today)
    policy.check_pep_rating(pep.rating)
    targets = []
    for index, target_id in enumerate(command.target_ids):
        target = child.target(target_id)
        if target is None:
            raise NoPepNoPremium(
                f"target {target_id} is not one of {command.child_id}'s PEP targets",
                field=f"target_ids[{index}]",
            )
        if not target.in_force_on(today):
            raise NoPepNoPremium(
                f"target {target_id} is not in force in {command.child_id}'s PEP on {today.isoformat()} "
                "(its PEP is not complete, or a review has closed it)",
                field=f"target_ids[{index}]",
            )
        targets.append(FundedTarget(target_id=target.target_id, description=target.description))
    open_request = budget.open_request_for(command.child_id, command.term)
    if open_request is not None:
        raise RequestAlreadyOpen(
            f"request {open_request.request_id} for {command.child_id} in the {term.name} term is still open",
            field="term",
        )
    _check_amount(policy, budget, command.child_id, command.term, command.amount_pence, "amount_pence", None)
    return [
        PupilPremiumPlusRequested(
            financial_year=command.financial_year,
            request_id=command.request_id,
            child_id=command.child_id,
            school_urn=command.school_urn,
            term=term.key,
            term_starts_on=term.starts_on,
            term_ends_on=term.ends_on,
            amount_pence=command.amount_pence,
            pep_id=pep.pep_id,
            targets=tuple(targets),
            intervention_type=command.intervention_type,
            intervention=command.intervention,
            requested_on=today,
            requested_by=command.requested_by,
            policy=policy.describe(),
        )
    ]


def provide_more_information(
    command: ProvideMoreInformation, budget: Budget, *, policies: DevolutionPolicies, today: date
) -> list[MoreInformationProvided]:
    check_financial_year(budget, command.financial_year)
    request = budget.request(command.request_id)
    if request.status is not RequestStatus.AWAITING_INFORMATION:
        raise FundingStage(
            f"the panel has not asked for more information on request {request.request_id} "
            f"(it is {request.status.value.replace('_', ' ')})",
            field="request_id",
        )
    amount = request.amount_requested_pence
    if command.revised_amount_pence is not None:
        amount = command.revised_amount_pence
        policy = policies.in_force_on(request.requested_on)
        _check_amount(
            policy, budget, request.child_id, request.term, amount, "revised_amount_pence", request.request_id
        )
    return [
        MoreInformationProvided(
            financial_year=command.financial_year,
            request_id=request.request_id,
            child_id=request.child_id,
            school_urn=request.school_urn,
            information=command.information,
            previous_amount_pence=request.amount_requested_pence,
            amount_pence=amount,
            provided_on=today,
            provided_by=command.provided_by,
        )
    ]


def withdraw_request(command: WithdrawRequest, budget: Budget, *, today: date) -> list[RequestWithdrawn]:
    check_financial_year(budget, command.financial_year)
    request = budget.request(command.request_id)
    if request.status in (RequestStatus.REFUSED, RequestStatus.WITHDRAWN, RequestStatus.PAID):
        raise FundingStage(
            f"request {request.request_id} is already {request.status.value} and cannot be withdrawn",
            field="request_id",
        )
    if request.status is RequestStatus.SCHEDULED:
        raise FundingStage(
            f"request {request.request_id} is in payment run {request.run_id}; cancel the run first",
            field="request_id",
        )
    return [
        RequestWithdrawn(
            financial_year=command.financial_year,
            request_id=request.request_id,
            child_id=request.child_id,
            school_urn=request.school_urn,
            reason=command.reason,
            withdrawn_on=today,
            withdrawn_by=command.withdrawn_by,
            released_pence=request.amount_approved_pence if request.is_funded else 0,
        )
    ]


def _check_no_repeated_targets(target_ids: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for index, target_id in enumerate(target_ids):
        if target_id in seen:
            raise InvalidInput(f"target {target_id} is named twice", field=f"target_ids[{index}]")
        seen.add(target_id)


def _check_amount(
    policy: DevolutionPolicy,
    budget: Budget,
    child_id: str,
    term: str,
    amount_pence: int,
    field_name: str,
    excluding: str | None,
) -> None:
    already = budget.awarded_to(
        child_id, term=term if policy.cap_scope == "term" else None, excluding=excluding
    )
    policy.check_amount(amount_pence, already_awarded_pence=already, field_name=field_name)
