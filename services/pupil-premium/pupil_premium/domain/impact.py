"""Impact: the outcome of the funded targets at the child's next PEP review, linked to the spend.

The school reports impact against the targets at the next PEP review (domain.md section 3), and
the plan wants PP+ spend evaluated against outcomes for pupils (seed 002, success criteria). When
the pep service completes a PEP whose review recorded progress on the child's targets, every
funded request for that child decided before the review meeting and not yet evaluated is linked to
it: each funded target gets the progress the review gives it, or ``not_reported`` when the review
is silent about it, so missing evaluations show up too. Linking the same review again finds
nothing left to link and appends nothing.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from shared.events import Command

from .budget_state import Budget, RequestStatus, check_financial_year
from .child_facts import ChildEducationFacts
from .events import ImpactRecorded, ReviewedTarget, TargetOutcome
from .financial_year import FinancialYearLabel
from .money import Identifier


class ReviewOutcome(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    target_id: Identifier
    outcome: TargetOutcome


class LinkReviewToSpend(Command):
    financial_year: FinancialYearLabel
    child_id: Identifier
    pep_id: Identifier
    reviewed_on: date
    target_outcomes: tuple[ReviewOutcome, ...] = ()

    @classmethod
    def for_completed_pep(
        cls, facts: ChildEducationFacts, pep_id: str, financial_year: str
    ) -> LinkReviewToSpend | None:
        """The command a completed PEP's final review becomes, for one budget year.

        None when the PEP is not complete or had no review (a child's first PEP reviews nothing).
        """
        pep = facts.pep(pep_id)
        if pep is None or pep.completed_on is None or pep.review is None:
            return None
        return cls(
            financial_year=financial_year,
            child_id=facts.child_id,
            pep_id=pep_id,
            reviewed_on=pep.review.meeting_date,
            target_outcomes=tuple(
                ReviewOutcome(target_id=target_id, outcome=TargetOutcome(status))
                for target_id, status in pep.review.progress
            ),
        )


def link_review_to_spend(command: LinkReviewToSpend, budget: Budget) -> list[ImpactRecorded]:
    check_financial_year(budget, command.financial_year)
    outcomes = {o.target_id: o.outcome for o in command.target_outcomes}
    events = []
    for request in budget.requests.values():
        if (
            request.child_id != command.child_id
            or not request.is_funded
            or request.impact_recorded
            or request.decided_on is None
            or request.decided_on >= command.reviewed_on
        ):
            continue
        events.append(
            ImpactRecorded(
                financial_year=command.financial_year,
                request_id=request.request_id,
                child_id=request.child_id,
                school_urn=request.school_urn,
                term=request.term,
                intervention_type=request.intervention_type,
                spend_pence=request.amount_approved_pence,
                paid=request.status is RequestStatus.PAID,
                pep_id=command.pep_id,
                reviewed_on=command.reviewed_on,
                outcomes=tuple(
                    ReviewedTarget(
                        target_id=target.target_id,
                        description=target.description,
                        outcome=outcomes.get(target.target_id, TargetOutcome.NOT_REPORTED),
                    )
                    for target in request.targets
                ),
            )
        )
    return events
