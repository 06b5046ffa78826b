"""The state of one financial year's PP+ budget, folded from its stream.

Every figure - the grant, what is top-sliced, what is committed, what is paid, what remains - is
derived by folding the year's events with ``evolve``; nothing is stored that the events do not
say. ``NO_BUDGET`` is the state of a year whose stream has no events yet.

Each request keeps every dated step it went through (``history``), so its status on any day can
be read back, and each year keeps its ledger, every money movement dated (``ledger``): the request
register, the budget ledger, the school projects list and the reports are all read from this one
fold.

The requests, projects, runs and top-slices are kept in ``ItemsById`` and the ledger in
``Entries`` (``domain.kept``): an event changes one item, and the budget after it shares every
other item with the budget before it, so folding a year costs in proportion to its events, and
read models find what an event changed by comparing items by identity.

*Approved* is everything the panel has funded (requests and school projects) and not withdrawn;
*paid* is the part of it finance has paid; *committed* is approved but not yet paid; *remaining*
is the grant less top-slices less approved. Approvals and top-slices are refused when they would
take *remaining* below zero, so it never is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cached_property
from typing import TypeVar

from shared.errors import InvalidInput, NotFound
from shared.events import Event

from .events import (
    BudgetEvent,
    CentralProvisionTopSliced,
    FundedTarget,
    GrantCalculatedFromCensus,
    GrantLetterRecorded,
    ImpactRecorded,
    InterventionType,
    Milestone,
    MoreInformationProvided,
    MoreInformationRequested,
    PaymentLine,
    PaymentRunCancelled,
    PaymentRunPaid,
    PaymentRunScheduled,
    ProjectMilestoneMet,
    PupilPremiumPlusRequested,
    ReviewedTarget,
    RequestApproved,
    RequestPartApproved,
    RequestRefused,
    RequestWithdrawn,
    SchoolProjectApproved,
    SchoolProjectProposed,
    SchoolProjectRefused,
    TopSliceAmended,
)
from .kept import Entries, ItemsById
from .ledger import LedgerEntry, movements


Item = TypeVar("Item")


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    AWAITING_INFORMATION = "awaiting_information"
    APPROVED = "approved"
    PART_APPROVED = "part_approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    SCHEDULED = "scheduled"
    PAID = "paid"


OPEN_STATUSES = frozenset({RequestStatus.SUBMITTED, RequestStatus.AWAITING_INFORMATION})
FUNDED_STATUSES = frozenset(
    {RequestStatus.APPROVED, RequestStatus.PART_APPROVED, RequestStatus.SCHEDULED, RequestStatus.PAID}
)


@dataclass(frozen=True)
class QuestionsAsked:
    """The panel's questions when it asked for more information before deciding."""

    asked_on: date
    questions: tuple[str, ...]
    panel_members: tuple[str, ...]


@dataclass(frozen=True)
class InformationGiven:
    """The school's answer to the panel's questions, with the amount it now asks for."""

    provided_on: date
    information: str
    provided_by: str
    amount_pence: int


@dataclass(frozen=True)
class ImpactReview:
    """The outcome the next PEP review gave each funded target, linked to the spend."""

    pep_id: str  # the PEP whose review it was, not the one the request was made under
    reviewed_on: date
    spend_pence: int
    paid: bool
    outcomes: tuple[ReviewedTarget, ...]


@dataclass(frozen=True)
class RequestState:
    request_id: str
    child_id: str
    school_urn: str
    term: str
    amount_requested_pence: int
    pep_id: str
    targets: tuple[FundedTarget, ...]
    intervention_type: InterventionType
    requested_on: date
    status: RequestStatus = RequestStatus.SUBMITTED
    decision: RequestStatus | None = None
    amount_approved_pence: int = 0
    decided_on: date | None = None
    run_id: str | None = None
    paid_on: date | None = None
    intervention: str = ""
    policy: str = ""
    requested_by: str = ""
    reasons: tuple[str, ...] = ()
    panel_members: tuple[str, ...] = ()
    questions: tuple[QuestionsAsked, ...] = ()
    information: tuple[InformationGiven, ...] = ()
    scheduled_on: date | None = None
    finance_reference: str | None = None
    withdrawn_on: date | None = None
    withdrawal_reason: str | None = None
    impact: ImpactReview | None = None
    history: tuple[tuple[date, RequestStatus], ...] = ()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_funded(self) -> bool:
        return self.status in FUNDED_STATUSES

    @property
    def impact_recorded(self) -> bool:
        return self.impact is not None

    @property
    def impact_recorded_on(self) -> date | None:
        return self.impact.reviewed_on if self.impact else None

    def status_on(self, day: date) -> RequestStatus | None:
        """The status at the end of ``day``; None before the request was made."""
        status = None
        for when, step in self.history:
            if when <= day:
                status = step
        return status

    @property
    def days_to_decision(self) -> int | None:
        return (self.decided_on - self.requested_on).days if self.decided_on else None

    @property
    def days_to_payment(self) -> int | None:
        return (self.paid_on - self.requested_on).days if self.paid_on else None


class ProjectStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REFUSED = "refused"
    SCHEDULED = "scheduled"
    PAID = "paid"


@dataclass(frozen=True)
class MilestoneMet:
    """The day a project's milestone was met, and the school's evidence for it."""

    met_on: date
    evidence: str


@dataclass(frozen=True)
class ProjectState:
    project_id: str
    school_urn: str
    child_ids: tuple[str, ...]
    milestones: tuple[Milestone, ...]
    amount_requested_pence: int
    title: str
    plan: str
    proposed_on: date
    proposed_by: str
    status: ProjectStatus = ProjectStatus.PROPOSED
    amount_approved_pence: int = 0
    decided_on: date | None = None
    reasons: tuple[str, ...] = ()
    panel_members: tuple[str, ...] = ()
    met: Mapping[str, MilestoneMet] = field(default_factory=dict)  # by milestone id
    run_id: str | None = None
    paid_on: date | None = None

    @property
    def is_funded(self) -> bool:
        return self.status in (ProjectStatus.APPROVED, ProjectStatus.SCHEDULED, ProjectStatus.PAID)

    @property
    def milestones_met(self) -> frozenset[str]:
        return frozenset(self.met)

    def milestone(self, milestone_id: str) -> Milestone | None:
        return next((m for m in self.milestones if m.milestone_id == milestone_id), None)


@dataclass(frozen=True)
class TopSlice:
    top_slice_id: str
    name: str
    amount_pence: int


class RunStatus(StrEnum):
    SCHEDULED = "scheduled"
    PAID = "paid"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class PaymentRun:
    run_id: str
    lines: tuple[PaymentLine, ...]
    scheduled_on: date
    status: RunStatus = RunStatus.SCHEDULED
    finance_reference: str | None = None
    paid_on: date | None = None
    cancelled_on: date | None = None
    cancellation_reason: str | None = None

    @property
    def total_pence(self) -> int:
        return sum(line.amount_pence for line in self.lines)


@dataclass(frozen=True)
class Budget:
    financial_year: str | None = None
    grant_pence: int = 0
    grant_recorded: bool = False
    top_slices: Mapping[str, TopSlice] = field(default_factory=ItemsById)
    requests: Mapping[str, RequestState] = field(default_factory=ItemsById)
    projects: Mapping[str, ProjectState] = field(default_factory=ItemsById)
    runs: Mapping[str, PaymentRun] = field(default_factory=ItemsById)
    ledger: Sequence[LedgerEntry] = field(default_factory=Entries)
    requests_of_child: Mapping[str, tuple[str, ...]] = field(default_factory=ItemsById)
    """Each child's requests this year by id, in the order made: a command about one child reads
    that child's requests, not the whole year's."""

    # The year's totals walk every request: each is worked out once for a budget (a budget is
    # never changed, so neither is its total), not once for each time a command or answer asks.
    @cached_property
    def top_sliced_pence(self) -> int:
        return sum(top_slice.amount_pence for top_slice in self.top_slices.values())

    @cached_property
    def approved_pence(self) -> int:
        """Funded for schools (requests and projects), whether paid yet or not."""
        return sum(map(_funded_pence, self.requests.values())) + sum(map(_funded_pence, self.projects.values()))

    @cached_property
    def paid_pence(self) -> int:
        return sum(map(_paid_pence, self.requests.values())) + sum(map(_paid_pence, self.projects.values()))

    @property
    def committed_pence(self) -> int:
        """Approved and not yet paid."""
        return self.approved_pence - self.paid_pence

    @property
    def remaining_pence(self) -> int:
        return self.grant_pence - self.top_sliced_pence - self.approved_pence

    def request(self, request_id: str) -> RequestState:
        request = self.requests.get(request_id)
        if request is None:
            raise NotFound(f"there is no request {request_id} in {self._year_name()}", field="request_id")
        return request

    def project(self, project_id: str) -> ProjectState:
        project = self.projects.get(project_id)
        if project is None:
            raise NotFound(
                f"there is no school project {project_id} in {self._year_name()}",
                field="project_id",
            )
        return project

    def _year_name(self) -> str:
        return f"the {self.financial_year} budget" if self.financial_year else "this budget"

    def requests_for(self, child_id: str) -> list[RequestState]:
        """A child's requests this year, in the order they were made."""
        return [self.requests[request_id] for request_id in self.requests_of_child.get(child_id, ())]

    def open_request_for(self, child_id: str, term: str) -> RequestState | None:
        return next((r for r in self.requests_for(child_id) if r.term == term and r.is_open), None)

    def awarded_to(self, child_id: str, *, term: str | None = None, excluding: str | None = None) -> int:
        """Approved for a child this year (or in one term), not counting request ``excluding``."""
        return sum(
            r.amount_approved_pence
            for r in self.requests_for(child_id)
            if r.is_funded
            and (term is None or r.term == term)
            and r.request_id != excluding
        )


NO_BUDGET = Budget()


def evolve(budget: Budget, event: Event) -> Budget:
    before = budget
    if isinstance(event, BudgetEvent) and budget.financial_year is None:
        budget = replace(budget, financial_year=event.financial_year)
    entries = movements(budget, event)
    budget = _evolve(budget, event)
    budget = replace(budget, ledger=_entries(budget.ledger).plus(entries)) if entries else budget
    _carry_totals(before, budget)
    return budget


def _funded_pence(item: RequestState | ProjectState) -> int:
    return item.amount_approved_pence if item.is_funded else 0


def _paid_pence(item: RequestState | ProjectState) -> int:
    paid = item.status is RequestStatus.PAID if isinstance(item, RequestState) else item.status is ProjectStatus.PAID
    return item.amount_approved_pence if paid else 0


def _carry_totals(before: Budget, after: Budget) -> None:
    """The year's approved and paid totals of ``after``, worked out from ``before``'s and the few
    requests and projects the event changed, so a year's totals cost the same to know at its
    first request as at its four-thousandth. (Each total is a ``cached_property``: this sets
    the value it would have worked out by walking every item.)"""
    if after is before:
        return
    changed = [
        *_changed(after.requests, before.requests),
        *_changed(after.projects, before.projects),
    ]
    for total, of in (("approved_pence", _funded_pence), ("paid_pence", _paid_pence)):
        earlier = getattr(before, total)
        after.__dict__[total] = earlier + sum(of(new) - (of(old) if old is not None else 0) for new, old in changed)


def _changed(now: Mapping[str, Item], earlier: Mapping[str, Item]) -> Iterable[tuple[Item, Item | None]]:
    # A budget made by hand may hold a plain dict: taken into an ``ItemsById``, as ``_with`` does.
    return ItemsById.of(now).changed_since(earlier)


def _evolve(budget: Budget, event: Event) -> Budget:
    match event:
        case GrantCalculatedFromCensus() | GrantLetterRecorded():
            return replace(budget, grant_pence=event.grant_pence, grant_recorded=True)
        case CentralProvisionTopSliced():
            top_slice = TopSlice(event.top_slice_id, event.name, event.amount_pence)
            return replace(budget, top_slices=_with(budget.top_slices, event.top_slice_id, top_slice))
        case TopSliceAmended():
            top_slice = replace(budget.top_slices[event.top_slice_id], amount_pence=event.amount_pence)
            return replace(budget, top_slices=_with(budget.top_slices, event.top_slice_id, top_slice))
        case PupilPremiumPlusRequested():
            request = RequestState(
                request_id=event.request_id,
                child_id=event.child_id,
                school_urn=event.school_urn,
                term=event.term,
                amount_requested_pence=event.amount_pence,
                pep_id=event.pep_id,
                targets=event.targets,
                intervention_type=event.intervention_type,
                requested_on=event.requested_on,
                intervention=event.intervention,
                policy=event.policy,
                requested_by=event.requested_by,
                history=((event.requested_on, RequestStatus.SUBMITTED),),
            )
            return _with_request(budget, request)
        case MoreInformationRequested():
            asked = QuestionsAsked(event.decided_on, event.questions, event.panel_members)
            request = budget.requests[event.request_id]
            return _step(
                budget,
                event.request_id,
                event.decided_on,
                RequestStatus.AWAITING_INFORMATION,
                questions=(*request.questions, asked),
            )
        case MoreInformationProvided():
            given = InformationGiven(event.provided_on, event.information, event.provided_by, event.amount_pence)
            request = budget.requests[event.request_id]
            return _step(
                budget,
                event.request_id,
                event.provided_on,
                RequestStatus.SUBMITTED,
                amount_requested_pence=event.amount_pence,
                information=(*request.information, given),
            )
        case RequestApproved() | RequestPartApproved() | RequestRefused():
            decision, approved = _decision(event)
            return _step(
                budget,
                event.request_id,
                event.decided_on,
                decision,
                decision=decision,
                amount_approved_pence=approved,
                decided_on=event.decided_on,
                reasons=event.reasons,
                panel_members=event.panel_members,
            )
        case RequestWithdrawn():
            return _step(
                budget,
                event.request_id,
                event.withdrawn_on,
                RequestStatus.WITHDRAWN,
                withdrawn_on=event.withdrawn_on,
                withdrawal_reason=event.reason,
            )
        case SchoolProjectProposed():
            project = ProjectState(
                project_id=event.project_id,
                school_urn=event.school_urn,
                child_ids=event.child_ids,
                milestones=event.milestones,
                amount_requested_pence=event.amount_pence,
                title=event.title,
                plan=event.plan,
                proposed_on=event.proposed_on,
                proposed_by=event.proposed_by,
            )
            return replace(budget, projects=_with(budget.projects, event.project_id, project))
        case SchoolProjectApproved() | SchoolProjectRefused():
            approved = isinstance(event, SchoolProjectApproved)
            return _change_project(
                budget,
                event.project_id,
                status=ProjectStatus.APPROVED if approved else ProjectStatus.REFUSED,
                amount_approved_pence=event.amount_approved_pence if approved else 0,
                decided_on=event.decided_on,
                reasons=event.reasons,
                panel_members=event.panel_members,
            )
        case ProjectMilestoneMet():
            project = budget.projects[event.project_id]
            met = _with(project.met, event.milestone_id, MilestoneMet(event.met_on, event.evidence))
            return _change_project(budget, event.project_id, met=met)
        case PaymentRunScheduled():
            run = PaymentRun(event.run_id, event.payments, event.scheduled_on)
            budget = replace(budget, runs=_with(budget.runs, event.run_id, run))
            return _change_items(
                budget,
                event.payments,
                event.scheduled_on,
                RequestStatus.SCHEDULED,
                ProjectStatus.SCHEDULED,
                run_id=event.run_id,
                scheduled_on=event.scheduled_on,
            )
        case PaymentRunPaid():
            budget = _change_run(
                budget,
                event.run_id,
                status=RunStatus.PAID,
                finance_reference=event.finance_reference,
                paid_on=event.paid_on,
            )
            return _change_items(
                budget,
                event.payments,
                event.paid_on,
                RequestStatus.PAID,
                ProjectStatus.PAID,
                paid_on=event.paid_on,
                finance_reference=event.finance_reference,
            )
        case PaymentRunCancelled():
            budget = _change_run(
                budget,
                event.run_id,
                status=RunStatus.CANCELLED,
                cancelled_on=event.cancelled_on,
                cancellation_reason=event.reason,
            )
            # Back to the panel's decision (approved for a project), ready for another run.
            return _change_items(
                budget,
                event.payments,
                event.cancelled_on,
                None,
                ProjectStatus.APPROVED,
                run_id=None,
                scheduled_on=None,
            )
        case ImpactRecorded():
            impact = ImpactReview(event.pep_id, event.reviewed_on, event.spend_pence, event.paid, event.outcomes)
            return _change_request(budget, event.request_id, impact=impact)
    return budget


def fold(events: Iterable[Event], budget: Budget = NO_BUDGET) -> Budget:
    for event in events:
        budget = evolve(budget, event)
    return budget


def fold_by_year(events: Iterable[Event]) -> dict[str, Budget]:
    """Each financial year's budget, folded from the events of its stream in the order given."""
    budgets: dict[str, Budget] = {}
    for event in events:
        if isinstance(event, BudgetEvent):
            year = event.financial_year
            budgets[year] = evolve(budgets.get(year, NO_BUDGET), event)
    return budgets


def every_request(events: Iterable[Event]) -> list[RequestState]:
    """Every request of every year in the events, each year's in the order they were made."""
    return [request for budget in fold_by_year(events).values() for request in budget.requests.values()]


def check_financial_year(budget: Budget, label: str) -> None:
    """A command must name the year of the stream it is decided against."""
    if budget.financial_year is not None and budget.financial_year != label:
        raise InvalidInput(f"this is the {budget.financial_year} budget, not {label}", field="financial_year")


def _with(items: Mapping[str, Item], item_id: str, item: Item) -> ItemsById[Item]:
    """The items with one added or replaced, sharing the rest (a budget made by hand may hold a
    plain dict: it is taken into an ``ItemsById`` once)."""
    return ItemsById.of(items).with_item(item_id, item)


def _entries(ledger: Sequence[LedgerEntry]) -> Entries[LedgerEntry]:
    return ledger if isinstance(ledger, Entries) else Entries(ledger)


def _with_request(budget: Budget, request: RequestState) -> Budget:
    if request.request_id in budget.requests:
        return replace(budget, requests=_with(budget.requests, request.request_id, request))
    made = (*budget.requests_of_child.get(request.child_id, ()), request.request_id)
    return replace(
        budget,
        requests=_with(budget.requests, request.request_id, request),
        requests_of_child=_with(budget.requests_of_child, request.child_id, made),
    )


def _change_request(budget: Budget, request_id: str, **changes) -> Budget:
    return _with_request(budget, replace(budget.requests[request_id], **changes))


def _step(budget: Budget, request_id: str, day: date, status: RequestStatus, **changes) -> Budget:
    """One dated step of a request's story: its new status, recorded in its history."""
    request = budget.requests[request_id]
    return _change_request(
        budget, request_id, status=status, history=(*request.history, (day, status)), **changes
    )


def _decision(event: RequestApproved | RequestPartApproved | RequestRefused) -> tuple[RequestStatus, int]:
    """The panel's decision and the amount it funds (nothing, when refused)."""
    match event:
        case RequestApproved():
            return RequestStatus.APPROVED, event.amount_approved_pence
        case RequestPartApproved():
            return RequestStatus.PART_APPROVED, event.amount_approved_pence
    return RequestStatus.REFUSED, 0


def _change_project(budget: Budget, project_id: str, **changes) -> Budget:
    project = replace(budget.projects[project_id], **changes)
    return replace(budget, projects=_with(budget.projects, project_id, project))


def _change_run(budget: Budget, run_id: str, **changes) -> Budget:
    run = replace(budget.runs[run_id], **changes)
    return replace(budget, runs=_with(budget.runs, run_id, run))


def _change_items(
    budget: Budget,
    lines: tuple[PaymentLine, ...],
    day: date,
    request_status: RequestStatus | None,
    project_status: ProjectStatus,
    **changes,
) -> Budget:
    """Move every request and project in a payment run a step; a request with no new status goes
    back to the panel's decision."""
    requests = ItemsById.of(budget.requests)
    projects = ItemsById.of(budget.projects)
    for line in lines:
        if line.item == "request":
            request = requests[line.item_id]
            status = request_status or request.decision
            requests = requests.with_item(
                line.item_id,
                replace(request, status=status, history=(*request.history, (day, status)), **changes),
            )
        else:
            project = projects[line.item_id]
            # A project keeps the run it is in and the day it was paid.
            project_changes = {k: v for k, v in changes.items() if k in ("run_id", "paid_on")}
            projects = projects.with_item(line.item_id, replace(project, status=project_status, **project_changes))
    return replace(budget, requests=requests, projects=projects)
