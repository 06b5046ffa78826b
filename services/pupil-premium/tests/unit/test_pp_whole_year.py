"""One child's PP+ from grant letter to impact, every step decided by the domain's own rules."""

from datetime import date

from pp_builders import FY, PANEL, POLICIES, TERMS, URN, pep_events
from pupil_premium.domain.budget import (
    RecordGrantLetter,
    TopSliceForCentralProvision,
    record_grant_letter,
    top_slice,
)
from pupil_premium.domain.budget_state import RequestStatus, fold
from pupil_premium.domain.child_facts import facts_from
from pupil_premium.domain.events import InterventionType, TargetOutcome
from pupil_premium.domain.funding_requests import RequestPupilPremiumPlus, request_pupil_premium_plus
from pupil_premium.domain.impact import LinkReviewToSpend, link_review_to_spend
from pupil_premium.domain.panel import ApproveRequest, approve_request
from pupil_premium.domain.payments import (
    RecordPaymentRunPaid,
    SchedulePaymentRun,
    record_payment_run_paid,
    schedule_payment_run,
)
from pupil_premium.domain.pep_events import PepCompleted, PepReviewRecorded, TargetProgress
from pupil_premium.domain.reports.impact import impact_report
from pupil_premium.domain.reports.position import budget_position
from pupil_premium.domain.budget_state import every_request
from pupil_premium.domain.reports.tracking import drift_and_delay


def test_a_request_goes_from_grant_to_payment_to_impact():
    stream: list = []
    pep_history = pep_events("C1", completed=date(2024, 9, 20))

    def run(decision):
        events = decision(fold(stream))
        stream.extend(events)
        return events

    run(
        lambda budget: record_grant_letter(
            RecordGrantLetter(
                financial_year=FY,
                letter_reference="DfE 2024-25",
                letter_date=date(2024, 6, 14),
                grant_pence=514_000,
            ),
            budget,
            today=date(2024, 6, 14),
        )
    )
    run(
        lambda budget: top_slice(
            TopSliceForCentralProvision(
                financial_year=FY,
                top_slice_id="ARTS",
                name="Arts Award",
                purpose="Arts Award projects in the February half term",
                amount_pence=100_000,
                decided_by="Virtual School Head",
            ),
            budget,
            today=date(2024, 6, 20),
        )
    )
    run(
        lambda budget: request_pupil_premium_plus(
            RequestPupilPremiumPlus(
                financial_year=FY,
                request_id="R1",
                child_id="C1",
                school_urn=URN,
                term="autumn-2024",
                amount_pence=65_000,
                target_ids=("T1",),
                intervention_type=InterventionType.TUTORING,
                intervention="Reading tuition, two sessions a week",
                requested_by="Designated teacher",
            ),
            budget,
            child=facts_from("C1", pep_history),
            terms=TERMS,
            policies=POLICIES,
            today=date(2024, 9, 23),
        )
    )
    run(
        lambda budget: approve_request(
            ApproveRequest(financial_year=FY, request_id="R1", panel_members=PANEL),
            budget,
            policies=POLICIES,
            today=date(2024, 9, 30),
        )
    )
    run(
        lambda budget: schedule_payment_run(
            SchedulePaymentRun(financial_year=FY, run_id="2024-10-A", request_ids=("R1",)),
            budget,
            children={"C1": facts_from("C1", pep_history)},
            today=date(2024, 10, 1),
        )
    )
    run(
        lambda budget: record_payment_run_paid(
            RecordPaymentRunPaid(
                financial_year=FY, run_id="2024-10-A", finance_reference="AP-55120", paid_on=date(2024, 10, 4)
            ),
            budget,
            today=date(2024, 10, 4),
        )
    )
    pep_history += [
        PepReviewRecorded(
            child_id="C1",
            pep_id="PEP-C1-2",
            meeting_date=date(2024, 12, 3),
            target_progress=(
                TargetProgress(target_id="T1", status="achieved"),
                TargetProgress(target_id="T2", status="on_track"),
            ),
        ),
        PepCompleted(child_id="C1", pep_id="PEP-C1-2", completed_on=date(2024, 12, 5), rating="green"),
    ]
    command = LinkReviewToSpend.for_completed_pep(facts_from("C1", pep_history), "PEP-C1-2", FY)
    run(lambda budget: link_review_to_spend(command, budget))

    budget = fold(stream)
    assert budget.requests["R1"].status is RequestStatus.PAID
    position = budget_position(stream, FY)
    assert (
        position.grant_pence,
        position.top_sliced_pence,
        position.paid_pence,
        position.remaining_pence,
    ) == (
        514_000,
        100_000,
        65_000,
        349_000,
    )
    delay = drift_and_delay(every_request(stream), as_of=date(2024, 12, 31))
    assert (delay.to_decision.longest_days, delay.to_payment.longest_days) == (7, 11)
    (line,) = impact_report(stream, by="intervention_type")
    assert (line.key, line.targets_achieved, line.spend_per_target_achieved_pence) == ("tutoring", 1, 65_000)
    assert stream[-1].outcomes[0].outcome is TargetOutcome.ACHIEVED
