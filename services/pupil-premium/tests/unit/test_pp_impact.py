"""Impact: the outcome of the funded targets at the next PEP review, linked to the spend.

domain.md section 3: the school reports impact against the targets at the next PEP review;
seed 002: "Evaluation of PP+ spend identifies impact of spend against outcomes for pupils".
"""

from datetime import date

from pp_builders import (
    FY,
    URN,
    approved,
    described,
    given,
    grant,
    line,
    paid,
    pep_events,
    refused,
    requested,
    scheduled,
)
from pupil_premium.domain.child_facts import facts_from
from pupil_premium.domain.events import ImpactRecorded, InterventionType, ReviewedTarget, TargetOutcome
from pupil_premium.domain.impact import LinkReviewToSpend, ReviewOutcome, link_review_to_spend
from pupil_premium.domain.pep_events import PepCompleted, PepReviewRecorded, TargetProgress

FUNDED = requested("R1", amount=50_000, targets=("T1", "T2"))
DECISION = approved(FUNDED, on=date(2024, 10, 1))


def review(on=date(2024, 12, 3), **outcomes):
    return LinkReviewToSpend(
        financial_year=FY,
        child_id="C1",
        pep_id="PEP-C1-2",
        reviewed_on=on,
        target_outcomes=tuple(ReviewOutcome(target_id=t, outcome=o) for t, o in outcomes.items()),
    )


def test_the_next_review_links_the_funded_targets_outcomes_to_the_spend():
    history = [grant(), FUNDED, DECISION, scheduled("RUN1", line(DECISION)), paid("RUN1", line(DECISION))]
    events = link_review_to_spend(review(T1="achieved", T2="behind", T7="on_track"), given(*history))
    assert events == [
        ImpactRecorded(
            financial_year=FY,
            request_id="R1",
            child_id="C1",
            school_urn=URN,
            term="autumn-2024",
            intervention_type=InterventionType.TUTORING,
            spend_pence=50_000,
            paid=True,
            pep_id="PEP-C1-2",
            reviewed_on=date(2024, 12, 3),
            outcomes=(
                ReviewedTarget(target_id="T1", description=described("T1"), outcome=TargetOutcome.ACHIEVED),
                ReviewedTarget(target_id="T2", description=described("T2"), outcome=TargetOutcome.BEHIND),
            ),
        )
    ]


def test_a_funded_target_the_review_is_silent_about_is_not_reported():
    events = link_review_to_spend(review(T1="on_track"), given(grant(), FUNDED, DECISION))
    assert [o.outcome for o in events[0].outcomes] == [TargetOutcome.ON_TRACK, TargetOutcome.NOT_REPORTED]
    assert events[0].paid is False


def test_spend_is_linked_once_only_to_the_next_review():
    history = [grant(), FUNDED, DECISION]
    first = link_review_to_spend(review(T1="achieved"), given(*history))
    assert link_review_to_spend(review(T1="achieved"), given(*history, *first)) == []
    assert link_review_to_spend(review(on=date(2025, 3, 20), T1="achieved"), given(*history, *first)) == []


def test_a_review_held_before_the_decision_does_not_evaluate_it():
    assert (
        link_review_to_spend(review(on=date(2024, 10, 1), T1="achieved"), given(grant(), FUNDED, DECISION))
        == []
    )


def test_refused_open_and_other_childrens_requests_are_not_linked():
    other = requested("R2", child_id="C2")
    open_request = requested("R3", term="spring-2025")
    history = [grant(), other, approved(other), open_request, FUNDED, refused(FUNDED)]
    assert link_review_to_spend(review(T1="achieved"), given(*history)) == []


def test_the_command_is_built_from_the_pep_services_completed_review():
    facts = facts_from(
        "C1",
        [
            *pep_events(),
            PepReviewRecorded(
                child_id="C1",
                pep_id="PEP-C1-2",
                meeting_date=date(2024, 12, 3),
                target_progress=(
                    TargetProgress(target_id="T1", status="achieved"),
                    TargetProgress(target_id="T2", status="not_achieved"),
                ),
            ),
            PepCompleted(child_id="C1", pep_id="PEP-C1-2", completed_on=date(2024, 12, 6), rating="green"),
        ],
    )
    command = LinkReviewToSpend.for_completed_pep(facts, "PEP-C1-2", FY)
    assert command == review(T1="achieved", T2="not_achieved")
    assert LinkReviewToSpend.for_completed_pep(facts, "PEP-C1-1", FY) is None  # the first PEP reviews nothing
