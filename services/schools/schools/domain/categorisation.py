"""The council's own category for each school: one stream per school, ``categorisation-<urn>``.

A school improvement adviser proposes a category with reasons; a principal adviser (someone
other than the proposer) approves it or sends it back. Each school is categorised again every
review cycle, which is a term of the council's calendar (Kent reviews its schools six times a
year, seed 003 "LA Monitoring and Evaluation Schedule"). The category follows Ofsted where Ofsted
has placed the school in a category of concern, and drives the support allocated (``support.py``)
and how often progress is reviewed (``reviews.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import ClassVar

from schools.domain.checks import each_text, not_in_future, required_text
from schools.domain.inspections import InspectionHistory
from schools.domain.refusals import (
    CategoryDisagreesWithOfsted,
    ProposalAwaitingApproval,
    SchoolNotOpen,
    SecondAdviserNeeded,
)
from schools.domain.register import School, open_on, registered
from schools.domain.school_events import RecordedFields, SchoolCommand, SchoolEvent
from schools.domain.terms import TermCalendar
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Command, Event


def categorisation_stream(urn: str) -> str:
    return f"categorisation-{urn}"


class CouncilCategory(StrEnum):
    """domain.md section 1; seed 003 "Allocations of Support for each Category of School"."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    REQUIRES_IMPROVEMENT = "requires_improvement"  # includes satisfactory under the old framework
    OFSTED_CATEGORY = "ofsted_category"  # serious weaknesses or special measures
    AT_RISK = "at_risk"  # at risk of category: downward trends, close to or below floor, ...


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


class CategoryProposal(RecordedFields):
    """An adviser's proposal of a category for the school, with the reasons."""

    proposal_id: str
    category: CouncilCategory
    reasons: list[str]
    proposed_by: str  # the school improvement adviser
    proposed_on: date


class ProposalRejection(RecordedFields):
    """A principal adviser's reason for sending a proposal back."""

    proposal_id: str
    rejected_by: str
    rejected_on: date
    reason: str


class CategoryProposed(CategoryProposal, SchoolEvent):
    """An adviser proposed a category for the school, with reasons; it awaits a principal adviser.
    ``review_cycle`` is the term of the council's calendar the proposal belongs to."""

    event_type: ClassVar[str] = "CategoryProposed"
    effective_field: ClassVar[str] = "proposed_on"

    review_cycle: str


class SchoolCategorised(SchoolEvent):
    """A principal adviser approved a category: it is the school's category from ``categorised_on``
    until the next one. ``previous_category`` is None for a school's first categorisation."""

    event_type: ClassVar[str] = "SchoolCategorised"
    effective_field: ClassVar[str] = "categorised_on"

    proposal_id: str
    category: CouncilCategory
    previous_category: CouncilCategory | None = None
    reasons: list[str]
    proposed_by: str
    proposed_on: date
    approved_by: str
    categorised_on: date
    review_cycle: str


class CategoryProposalRejected(ProposalRejection, SchoolEvent):
    """A principal adviser sent a proposal back, with the reason; the category is unchanged."""

    event_type: ClassVar[str] = "CategoryProposalRejected"
    effective_field: ClassVar[str] = "rejected_on"


CATEGORISATION_EVENTS: tuple[type[Event], ...] = (
    CategoryProposed,
    SchoolCategorised,
    CategoryProposalRejected,
)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


class ProposeCategory(CategoryProposal, SchoolCommand):
    """Propose a category for the school ``urn``."""


class ApproveCategory(Command):
    urn: str
    proposal_id: str
    approved_by: str  # a principal adviser
    approved_on: date


class RejectCategoryProposal(ProposalRejection, SchoolCommand):
    """Send the proposal back, with the reason."""


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    proposal_id: str
    category: CouncilCategory
    reasons: tuple[str, ...]
    proposed_by: str
    proposed_on: date
    review_cycle: str


@dataclass(frozen=True)
class ApprovedCategory:
    category: CouncilCategory
    categorised_on: date
    review_cycle: str
    approved_by: str


@dataclass(frozen=True)
class Categorisation:
    current: ApprovedCategory | None = None
    pending: Proposal | None = None
    proposal_ids: frozenset[str] = frozenset()

    @property
    def category(self) -> CouncilCategory | None:
        return self.current.category if self.current else None


NOT_CATEGORISED = Categorisation()


def evolve(state: Categorisation, event: Event) -> Categorisation:
    match event:
        case CategoryProposed():
            return replace(
                state,
                pending=Proposal(
                    proposal_id=event.proposal_id,
                    category=event.category,
                    reasons=tuple(event.reasons),
                    proposed_by=event.proposed_by,
                    proposed_on=event.proposed_on,
                    review_cycle=event.review_cycle,
                ),
                proposal_ids=state.proposal_ids | {event.proposal_id},
            )
        case SchoolCategorised():
            return replace(
                state,
                current=ApprovedCategory(
                    category=event.category,
                    categorised_on=event.categorised_on,
                    review_cycle=event.review_cycle,
                    approved_by=event.approved_by,
                ),
                pending=None,
            )
        case CategoryProposalRejected():
            return replace(state, pending=None)
    return state


def due_for_recategorisation(state: Categorisation, terms: TermCalendar, today: date) -> bool:
    """Whether the school has yet to be categorised in the review cycle (term) of ``today``."""
    if state.current is None:
        return True
    return state.current.review_cycle != terms.term_for(today, field="today").name


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def decide(
    command: ProposeCategory | ApproveCategory | RejectCategoryProposal,
    state: Categorisation,
    *,
    school: School,
    inspections: InspectionHistory,
    terms: TermCalendar,
    today: date,
) -> list[Event]:
    """``school`` and ``inspections`` are the school's register entry and Ofsted history (the
    category must agree with any Ofsted category of concern); ``terms`` names the review cycle."""
    registered(school, command.urn)
    match command:
        case ProposeCategory():
            return _propose(command, state, school, inspections, terms, today)
        case ApproveCategory():
            return _approve(command, state, inspections, today)
        case RejectCategoryProposal():
            return _reject(command, state, today)
    raise TypeError(f"not a categorisation command: {type(command).__name__}")


def _propose(
    command: ProposeCategory,
    state: Categorisation,
    school: School,
    inspections: InspectionHistory,
    terms: TermCalendar,
    today: date,
) -> list[Event]:
    if not school.is_open:
        raise SchoolNotOpen("a closed school is not categorised", field="urn")
    proposal_id = required_text(command.proposal_id, "proposal_id")
    if proposal_id in state.proposal_ids:
        raise Conflict(f"proposal {proposal_id} already exists", field="proposal_id")
    if state.pending is not None:
        raise ProposalAwaitingApproval(
            f"proposal {state.pending.proposal_id} ({state.pending.category.value}) awaits a "
            "principal adviser: approve or reject it first",
            field="proposal_id",
        )
    reasons = _reasons(command.reasons)
    proposed_by = required_text(command.proposed_by, "proposed_by")
    not_in_future(command.proposed_on, today, "proposed_on")
    open_on(school, command.proposed_on, "proposed_on")
    if state.current is not None and command.proposed_on < state.current.categorised_on:
        # A stream's dates run forward, so the category "as of" any date folds correctly:
        # historic categorisations are loaded oldest first.
        raise InvalidInput(
            f"the school's current category was approved on {state.current.categorised_on.isoformat()}; "
            "a new proposal is dated on or after it",
            field="proposed_on",
        )
    _agrees_with_ofsted(command.category, inspections.as_of(command.proposed_on))
    cycle = terms.term_for(command.proposed_on, field="proposed_on")
    return [
        CategoryProposed(
            urn=command.urn,
            proposal_id=proposal_id,
            category=command.category,
            reasons=reasons,
            proposed_by=proposed_by,
            proposed_on=command.proposed_on,
            review_cycle=cycle.name,
        )
    ]


def _approve(
    command: ApproveCategory, state: Categorisation, inspections: InspectionHistory, today: date
) -> list[Event]:
    proposal = _pending(state, command.proposal_id)
    approved_by = required_text(command.approved_by, "approved_by")
    if approved_by == proposal.proposed_by:
        raise SecondAdviserNeeded(
            "a category is approved by a principal adviser other than the adviser who proposed it",
            field="approved_by",
        )
    not_in_future(command.approved_on, today, "approved_on")
    if command.approved_on < proposal.proposed_on:
        raise InvalidInput("a proposal is approved after it is made", field="approved_on")
    _agrees_with_ofsted(proposal.category, inspections.as_of(command.approved_on))
    return [
        SchoolCategorised(
            urn=command.urn,
            proposal_id=proposal.proposal_id,
            category=proposal.category,
            previous_category=state.category,
            reasons=list(proposal.reasons),
            proposed_by=proposal.proposed_by,
            proposed_on=proposal.proposed_on,
            approved_by=approved_by,
            categorised_on=command.approved_on,
            review_cycle=proposal.review_cycle,
        )
    ]


def _reject(command: RejectCategoryProposal, state: Categorisation, today: date) -> list[Event]:
    proposal = _pending(state, command.proposal_id)
    not_in_future(command.rejected_on, today, "rejected_on")
    if command.rejected_on < proposal.proposed_on:
        raise InvalidInput("a proposal is rejected after it is made", field="rejected_on")
    return [
        CategoryProposalRejected(
            urn=command.urn,
            proposal_id=proposal.proposal_id,
            rejected_by=required_text(command.rejected_by, "rejected_by"),
            rejected_on=command.rejected_on,
            reason=required_text(command.reason, "reason"),
        )
    ]


def _agrees_with_ofsted(category: CouncilCategory, inspections: InspectionHistory) -> None:
    """``inspections`` are those that had taken place by the date of the decision."""
    ofsted = inspections.current_category_of_concern()
    if ofsted is not None and category != CouncilCategory.OFSTED_CATEGORY:
        raise CategoryDisagreesWithOfsted(
            f"Ofsted placed the school in {ofsted.value.replace('_', ' ')} at its latest "
            "inspection, so its category is ofsted_category",
            field="category",
        )
    if ofsted is None and category == CouncilCategory.OFSTED_CATEGORY:
        raise CategoryDisagreesWithOfsted(
            "Ofsted has not placed the school in a category of concern; a school at risk of one "
            "is categorised at_risk",
            field="category",
        )


def _pending(state: Categorisation, proposal_id: str) -> Proposal:
    if state.pending is None or state.pending.proposal_id != proposal_id:
        raise NotFound(f"no proposal {proposal_id} awaits approval", field="proposal_id")
    return state.pending


def _reasons(reasons: list[str]) -> list[str]:
    if not reasons:
        raise InvalidInput("a category needs at least one reason", field="reasons")
    return each_text(reasons, "reasons", "a reason cannot be blank")
