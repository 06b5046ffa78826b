"""Payment runs: approved amounts scheduled for payment to schools, then marked paid.

What must never happen (domain.md section 3): paying twice for the same request, or paying for a
child not on roll at that school. So a request or project can be in only one live run (scheduled
or paid); a run retried with the same id and the same items appends nothing new; marking a run
paid again with the same finance reference appends nothing new; and a request is only scheduled
while its child is on roll at the school it was approved for. A run finance did not pay can be
cancelled, which frees its items for a new run.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Command

from .budget_state import Budget, PaymentRun, ProjectStatus, RequestStatus, RunStatus, check_financial_year
from .child_facts import ChildEducationFacts
from .events import PaymentLine, PaymentRunCancelled, PaymentRunPaid, PaymentRunScheduled
from .financial_year import FinancialYearLabel
from .money import Identifier, Text
from .refusals import AlreadyInPaymentRun, FundingStage, NotApprovedForPayment, NotOnRoll


class SchedulePaymentRun(Command):
    financial_year: FinancialYearLabel
    run_id: Identifier
    request_ids: tuple[Identifier, ...] = ()
    project_ids: tuple[Identifier, ...] = ()


class RecordPaymentRunPaid(Command):
    financial_year: FinancialYearLabel
    run_id: Identifier
    finance_reference: Text
    paid_on: date


class CancelPaymentRun(Command):
    financial_year: FinancialYearLabel
    run_id: Identifier
    reason: Text


def schedule_payment_run(
    command: SchedulePaymentRun,
    budget: Budget,
    *,
    children: Mapping[str, ChildEducationFacts],
    today: date,
) -> list[PaymentRunScheduled]:
    check_financial_year(budget, command.financial_year)
    wanted = [("request", item_id) for item_id in command.request_ids] + [
        ("project", item_id) for item_id in command.project_ids
    ]
    existing = budget.runs.get(command.run_id)
    if existing is not None:
        if existing.status is not RunStatus.CANCELLED and sorted(wanted) == sorted(
            (line.item, line.item_id) for line in existing.lines
        ):
            return []
        raise Conflict(
            f"payment run {command.run_id} already exists with different items or was cancelled; "
            "use a new run id",
            field="run_id",
        )
    if not wanted:
        raise InvalidInput("a payment run needs at least one request or project", field="request_ids")
    _check_no_repeats(command.request_ids, "request_ids")
    _check_no_repeats(command.project_ids, "project_ids")
    lines = [
        _request_line(budget, request_id, index, children, today)
        for index, request_id in enumerate(command.request_ids)
    ]
    lines += [
        _project_line(budget, project_id, index) for index, project_id in enumerate(command.project_ids)
    ]
    return [
        PaymentRunScheduled(
            financial_year=command.financial_year,
            run_id=command.run_id,
            payments=tuple(lines),
            total_pence=sum(line.amount_pence for line in lines),
            scheduled_on=today,
        )
    ]


def record_payment_run_paid(
    command: RecordPaymentRunPaid, budget: Budget, *, today: date
) -> list[PaymentRunPaid]:
    run = _named_run(command, budget)
    if run.status is RunStatus.PAID:
        if run.finance_reference == command.finance_reference:
            return []
        raise FundingStage(
            f"payment run {run.run_id} was already paid under finance reference {run.finance_reference}",
            field="finance_reference",
        )
    if run.status is RunStatus.CANCELLED:
        raise FundingStage(f"payment run {run.run_id} was cancelled", field="run_id")
    if command.paid_on > today:
        raise InvalidInput("a payment cannot be recorded as made in the future", field="paid_on")
    if command.paid_on < run.scheduled_on:
        raise InvalidInput("a run cannot be paid before it was scheduled", field="paid_on")
    return [
        PaymentRunPaid(
            financial_year=command.financial_year,
            run_id=run.run_id,
            payments=run.lines,
            total_pence=run.total_pence,
            finance_reference=command.finance_reference,
            paid_on=command.paid_on,
        )
    ]


def cancel_payment_run(
    command: CancelPaymentRun, budget: Budget, *, today: date
) -> list[PaymentRunCancelled]:
    run = _named_run(command, budget)
    if run.status is RunStatus.CANCELLED:
        return []
    if run.status is RunStatus.PAID:
        raise FundingStage(f"payment run {run.run_id} has been paid and cannot be cancelled", field="run_id")
    return [
        PaymentRunCancelled(
            financial_year=command.financial_year,
            run_id=run.run_id,
            payments=run.lines,
            total_pence=run.total_pence,
            reason=command.reason,
            cancelled_on=today,
        )
    ]


def _request_line(
    budget: Budget, request_id: str, index: int, children: Mapping[str, ChildEducationFacts], today: date
) -> PaymentLine:
    field = f"request_ids[{index}]"
    request = budget.requests.get(request_id)
    if request is None:
        raise NotFound(f"there is no request {request_id}", field=field)
    if request.status is RequestStatus.PAID:
        raise AlreadyInPaymentRun(
            f"request {request_id} has already been paid (run {request.run_id})", field=field
        )
    if request.status is RequestStatus.SCHEDULED:
        raise AlreadyInPaymentRun(
            f"request {request_id} is already in payment run {request.run_id}", field=field
        )
    if not request.is_funded:
        raise NotApprovedForPayment(
            f"request {request_id} is {request.status.value.replace('_', ' ')}, not approved", field=field
        )
    child = children.get(request.child_id)
    if child is None or not child.on_roll_at(request.school_urn, today):
        raise NotOnRoll(
            f"{request.child_id} is not on roll at school {request.school_urn} on {today.isoformat()}; "
            "PP+ is not paid for a child who has left the school",
            field=field,
        )
    return PaymentLine(
        item="request",
        item_id=request_id,
        school_urn=request.school_urn,
        child_ids=(request.child_id,),
        amount_pence=request.amount_approved_pence,
    )


def _named_run(command: RecordPaymentRunPaid | CancelPaymentRun, budget: Budget) -> PaymentRun:
    """The run a command names, in the year's budget it names."""
    check_financial_year(budget, command.financial_year)
    run = budget.runs.get(command.run_id)
    if run is None:
        raise NotFound(f"there is no payment run {command.run_id}", field="run_id")
    return run


def _project_line(budget: Budget, project_id: str, index: int) -> PaymentLine:
    field = f"project_ids[{index}]"
    project = budget.projects.get(project_id)
    if project is None:
        raise NotFound(f"there is no school project {project_id}", field=field)
    if project.status in (ProjectStatus.SCHEDULED, ProjectStatus.PAID):
        raise AlreadyInPaymentRun(
            f"school project {project_id} is already {project.status.value} (run {project.run_id})",
            field=field,
        )
    if project.status is not ProjectStatus.APPROVED:
        raise NotApprovedForPayment(
            f"school project {project_id} is {project.status.value}, not approved", field=field
        )
    return PaymentLine(
        item="project",
        item_id=project_id,
        school_urn=project.school_urn,
        child_ids=project.child_ids,
        amount_pence=project.amount_approved_pence,
    )


def _check_no_repeats(item_ids: tuple[str, ...], field: str) -> None:
    seen: set[str] = set()
    for index, item_id in enumerate(item_ids):
        if item_id in seen:
            raise InvalidInput(f"{item_id} is named twice in the run", field=f"{field}[{index}]")
        seen.add(item_id)
