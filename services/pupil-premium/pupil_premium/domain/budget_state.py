"""The state of one financial year's PP+ budget, folded from its stream.

Every figure - the grant, what is top-sliced, what is committed, what is paid, what remains - is
derived by folding the year's events with ``evolve``; nothing is stored that the events do not
say. ``NO_BUDGET`` is the state of a year whose stream has no events yet.

*Approved* is everything the panel has funded (requests and school projects) and not withdrawn;
*paid* is the part of it finance has paid; *committed* is approved but not yet paid; *remaining*
is the grant less top-slices less approved. Approvals and top-slices are refused when they would
take *remaining* below zero, so it never is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

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
    RequestApproved,
    RequestPartApproved,
    RequestRefused,
    RequestWithdrawn,
    SchoolProjectApproved,
    SchoolProjectProposed,
    SchoolProjectRefused,
    TopSliceAmended,
)


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
    impact_recorded: bool = False

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_funded(self) -> bool:
        return self.status in FUNDED_STATUSES


class ProjectStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    REFUSED = "refused"
    SCHEDULED = "scheduled"
    PAID = "paid"


@dataclass(frozen=True)
class ProjectState:
    project_id: str
    school_urn: str
    child_ids: tuple[str, ...]
    milestones: tuple[Milestone, ...]
    amount_requested_pence: int
    status: ProjectStatus = ProjectStatus.PROPOSED
    amount_approved_pence: int = 0
    milestones_met: frozenset[str] = frozenset()
    run_id: str | None = None

    @property
    def is_funded(self) -> bool:
        return self.status in (ProjectStatus.APPROVED, ProjectStatus.SCHEDULED, ProjectStatus.PAID)

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


@dataclass(frozen=True)
class Budget:
    financial_year: str | None = None
    grant_pence: int = 0
    grant_recorded: bool = False
    top_slices: Mapping[str, TopSlice] = field(default_factory=dict)
    requests: Mapping[str, RequestState] = field(default_factory=dict)
    projects: Mapping[str, ProjectState] = field(default_factory=dict)
    runs: Mapping[str, PaymentRun] = field(default_factory=dict)

    @property
    def top_sliced_pence(self) -> int:
        return sum(top_slice.amount_pence for top_slice in self.top_slices.values())

    @property
    def approved_pence(self) -> int:
        """Funded for schools (requests and projects), whether paid yet or not."""
        requests = sum(r.amount_approved_pence for r in self.requests.values() if r.is_funded)
        projects = sum(p.amount_approved_pence for p in self.projects.values() if p.is_funded)
        return requests + projects

    @property
    def paid_pence(self) -> int:
        requests = sum(
            r.amount_approved_pence for r in self.requests.values() if r.status is RequestStatus.PAID
        )
        projects = sum(
            p.amount_approved_pence for p in self.projects.values() if p.status is ProjectStatus.PAID
        )
        return requests + projects

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

    def open_request_for(self, child_id: str, term: str) -> RequestState | None:
        return next(
            (r for r in self.requests.values() if r.child_id == child_id and r.term == term and r.is_open),
            None,
        )

    def awarded_to(self, child_id: str, *, term: str | None = None, excluding: str | None = None) -> int:
        """Approved for a child this year (or in one term), not counting request ``excluding``."""
        return sum(
            r.amount_approved_pence
            for r in self.requests.values()
            if r.child_id == child_id
            and r.is_funded
            and (term is None or r.term == term)
            and r.request_id != excluding
        )


NO_BUDGET = Budget()


def evolve(budget: Budget, event: Event) -> Budget:
    if isinstance(event, BudgetEvent) and budget.financial_year is None:
        budget = replace(budget, financial_year=event.financial_year)
    match event:
        case GrantCalculatedFromCensus() | GrantLetterRecorded():
            return replace(budget, grant_pence=event.grant_pence, grant_recorded=True)
        case CentralProvisionTopSliced():
            top_slice = TopSlice(event.top_slice_id, event.name, event.amount_pence)
            return replace(budget, top_slices={**budget.top_slices, event.top_slice_id: top_slice})
        case TopSliceAmended():
            top_slice = replace(budget.top_slices[event.top_slice_id], amount_pence=event.amount_pence)
            return replace(budget, top_slices={**budget.top_slices, event.top_slice_id: top_slice})
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
            )
            return _with_request(budget, request)
        case MoreInformationRequested():
            return _change_request(budget, event.request_id, status=RequestStatus.AWAITING_INFORMATION)
        case MoreInformationProvided():
            return _change_request(
                budget,
                event.request_id,
                status=RequestStatus.SUBMITTED,
                amount_requested_pence=event.amount_pence,
            )
        case RequestApproved() | RequestPartApproved():
            decision = (
                RequestStatus.APPROVED if isinstance(event, RequestApproved) else RequestStatus.PART_APPROVED
            )
            return _change_request(
                budget,
                event.request_id,
                status=decision,
                decision=decision,
                amount_approved_pence=event.amount_approved_pence,
                decided_on=event.decided_on,
            )
        case RequestRefused():
            return _change_request(
                budget,
                event.request_id,
                status=RequestStatus.REFUSED,
                decision=RequestStatus.REFUSED,
                decided_on=event.decided_on,
            )
        case RequestWithdrawn():
            return _change_request(budget, event.request_id, status=RequestStatus.WITHDRAWN)
        case SchoolProjectProposed():
            project = ProjectState(
                project_id=event.project_id,
                school_urn=event.school_urn,
                child_ids=event.child_ids,
                milestones=event.milestones,
                amount_requested_pence=event.amount_pence,
            )
            return replace(budget, projects={**budget.projects, event.project_id: project})
        case SchoolProjectApproved():
            return _change_project(
                budget,
                event.project_id,
                status=ProjectStatus.APPROVED,
                amount_approved_pence=event.amount_approved_pence,
            )
        case SchoolProjectRefused():
            return _change_project(budget, event.project_id, status=ProjectStatus.REFUSED)
        case ProjectMilestoneMet():
            met = budget.projects[event.project_id].milestones_met | {event.milestone_id}
            return _change_project(budget, event.project_id, milestones_met=met)
        case PaymentRunScheduled():
            run = PaymentRun(event.run_id, event.payments, event.scheduled_on)
            budget = replace(budget, runs={**budget.runs, event.run_id: run})
            return _change_items(
                budget, event.payments, RequestStatus.SCHEDULED, ProjectStatus.SCHEDULED, run_id=event.run_id
            )
        case PaymentRunPaid():
            run = replace(
                budget.runs[event.run_id],
                status=RunStatus.PAID,
                finance_reference=event.finance_reference,
                paid_on=event.paid_on,
            )
            budget = replace(budget, runs={**budget.runs, event.run_id: run})
            return _change_items(
                budget, event.payments, RequestStatus.PAID, ProjectStatus.PAID, paid_on=event.paid_on
            )
        case PaymentRunCancelled():
            run = replace(
                budget.runs[event.run_id],
                status=RunStatus.CANCELLED,
                cancelled_on=event.cancelled_on,
                cancellation_reason=event.reason,
            )
            budget = replace(budget, runs={**budget.runs, event.run_id: run})
            return _change_items(budget, event.payments, None, ProjectStatus.APPROVED, run_id=None)
        case ImpactRecorded():
            return _change_request(budget, event.request_id, impact_recorded=True)
    return budget


def fold(events: Iterable[Event], budget: Budget = NO_BUDGET) -> Budget:
    for event in events:
        budget = evolve(budget, event)
    return budget


def check_financial_year(budget: Budget, label: str) -> None:
    """A command must name the year of the stream it is decided against."""
    if budget.financial_year is not None and budget.financial_year != label:
        raise InvalidInput(f"this is the {budget.financial_year} budget, not {label}", field="financial_year")


def _with_request(budget: Budget, request: RequestState) -> Budget:
    return replace(budget, requests={**budget.requests, request.request_id: request})


def _change_request(budget: Budget, request_id: str, **changes) -> Budget:
    return _with_request(budget, replace(budget.requests[request_id], **changes))


def _change_project(budget: Budget, project_id: str, **changes) -> Budget:
    project = replace(budget.projects[project_id], **changes)
    return replace(budget, projects={**budget.projects, project_id: project})


def _change_items(
    budget: Budget,
    lines: tuple[PaymentLine, ...],
    request_status: RequestStatus | None,
    project_status: ProjectStatus,
    **changes,
) -> Budget:
    requests = dict(budget.requests)
    projects = dict(budget.projects)
    for line in lines:
        if line.item == "request":
            request = requests[line.item_id]
            status = request_status or request.decision
            request_changes = {k: v for k, v in changes.items() if k in ("run_id", "paid_on")}
            requests[line.item_id] = replace(request, status=status, **request_changes)
        else:
            project = projects[line.item_id]
            project_changes = {k: v for k, v in changes.items() if k == "run_id"}
            projects[line.item_id] = replace(project, status=project_status, **project_changes)
    return replace(budget, requests=requests, projects=projects)
