"""A designated teacher's request for PP+ for a child and a term (domain.md section 3)."""

from datetime import date

import pytest

from pp_builders import (
    FY,
    OTHER_URN,
    POLICIES,
    TERMS,
    TODAY,
    URN,
    approved,
    child,
    described,
    given,
    grant,
    line,
    paid,
    part_approved,
    pep_events,
    refused,
    requested,
    scheduled,
)
from pupil_premium.domain.budget_state import RequestStatus
from pupil_premium.domain.child_facts import facts_from
from pupil_premium.domain.devolution import DEFAULT_DEVOLUTION_POLICIES, Bands, TermlyInstalments
from pupil_premium.domain.events import (
    FundedTarget,
    InterventionType,
    MoreInformationProvided,
    MoreInformationRequested,
    PupilPremiumPlusRequested,
    RequestWithdrawn,
)
from pupil_premium.domain.funding_requests import (
    ProvideMoreInformation,
    RequestPupilPremiumPlus,
    WithdrawRequest,
    provide_more_information,
    request_pupil_premium_plus,
    withdraw_request,
)
from pupil_premium.domain.pep_events import (
    ChildLeftCare,
    ChildMovedSchool,
    PepCompleted,
    PepReviewRecorded,
    TargetProgress,
)
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation


def request(**changes) -> RequestPupilPremiumPlus:
    fields = {
        "financial_year": FY,
        "request_id": "R1",
        "child_id": "C1",
        "school_urn": URN,
        "term": "autumn-2024",
        "amount_pence": 50_000,
        "target_ids": ("T1",),
        "intervention_type": InterventionType.TUTORING,
        "intervention": "Weekly one-to-one reading tuition",
        "requested_by": "Designated teacher",
    }
    return RequestPupilPremiumPlus(**{**fields, **changes})


def decide(command, budget=None, *, facts="default", policies=POLICIES, today=TODAY):
    return request_pupil_premium_plus(
        command,
        budget if budget is not None else given(grant()),
        child=child() if facts == "default" else facts,
        terms=TERMS,
        policies=policies,
        today=today,
    )


def test_a_request_against_the_childs_pep_targets_is_recorded():
    assert decide(request(target_ids=("T1", "T2"))) == [
        PupilPremiumPlusRequested(
            financial_year=FY,
            request_id="R1",
            child_id="C1",
            school_urn=URN,
            term="autumn-2024",
            term_starts_on=date(2024, 9, 1),
            term_ends_on=date(2024, 12, 31),
            amount_pence=50_000,
            pep_id="PEP-C1-1",
            targets=(
                FundedTarget(target_id="T1", description=described("T1")),
                FundedTarget(target_id="T2", description=described("T2")),
            ),
            intervention_type=InterventionType.TUTORING,
            intervention="Weekly one-to-one reading tuition",
            requested_on=TODAY,
            requested_by="Designated teacher",
            policy="requests against PEP targets of up to 650.00 pounds a term",
        )
    ]


def test_a_request_can_be_made_before_the_grant_is_known():
    assert given(*decide(request(), given())).requests["R1"].status is RequestStatus.SUBMITTED


def test_a_term_outside_the_financial_year_is_refused():
    """Summer 2025 starts in April 2025, so it belongs to 2025-26, not 2024-25."""
    with pytest.raises(InvalidInput) as refusal:
        decide(request(term="summer-2025"))
    assert refusal.value.field == "term"


def test_a_term_that_is_not_in_the_term_dates_is_refused():
    with pytest.raises(InvalidInput) as refusal:
        decide(request(term="autumn-2031"))
    assert refusal.value.field == "term"


def test_an_unknown_child_is_not_found():
    with pytest.raises(NotFound) as refusal:
        decide(request(child_id="C404"), facts=None)
    assert refusal.value.field == "child_id"


def test_a_child_not_on_roll_at_that_school_on_that_date_is_refused():
    """domain.md section 3: never pay for a child not on roll at that school."""
    with pytest.raises(RuleViolation) as refusal:
        decide(request(school_urn=OTHER_URN))
    assert refusal.value.field == "school_urn"


def test_a_child_who_moved_away_is_no_longer_funded_at_the_old_school():
    facts = facts_from(
        "C1",
        [
            *pep_events(),
            ChildMovedSchool(
                child_id="C1",
                from_urn=URN,
                to_urn=OTHER_URN,
                left_previous_school_on=date(2024, 10, 4),
                start_date=date(2024, 10, 7),
            ),
        ],
    )
    with pytest.raises(RuleViolation) as refusal:
        decide(request(), facts=facts)
    assert refusal.value.field == "school_urn"


def test_a_child_who_has_left_care_is_refused():
    facts = facts_from("C1", [*pep_events(), ChildLeftCare(child_id="C1", left_care_on=date(2024, 10, 1))])
    with pytest.raises(RuleViolation) as refusal:
        decide(request(), facts=facts)
    assert refusal.value.field == "child_id"


def test_no_pep_no_premium():
    """domain.md section 3: PP+ is used for the needs in the child's PEP - "no PEP, no premium"."""
    with pytest.raises(RuleViolation, match="no PEP, no premium") as refusal:
        decide(request(), facts=child(completed=None))
    assert refusal.value.field == "child_id"


def test_an_out_of_date_pep_is_no_pep():
    with pytest.raises(RuleViolation, match="no PEP, no premium"):
        decide(request(), facts=child(completed=date(2024, 2, 1)))


def test_a_target_that_is_not_the_childs_is_refused_naming_it():
    with pytest.raises(RuleViolation, match="not one of C1's PEP targets") as refusal:
        decide(request(target_ids=("T1", "T-OF-C2")))
    assert refusal.value.field == "target_ids[1]"


def test_a_target_closed_at_a_review_can_no_longer_be_funded():
    facts = facts_from(
        "C1",
        [
            *pep_events(completed=date(2024, 5, 1)),
            PepReviewRecorded(
                child_id="C1",
                pep_id="PEP-C1-2",
                meeting_date=date(2024, 9, 25),
                target_progress=(
                    TargetProgress(target_id="T1", status="achieved"),
                    TargetProgress(target_id="T2", status="on_track"),
                ),
            ),
            PepCompleted(child_id="C1", pep_id="PEP-C1-2", completed_on=date(2024, 9, 26), rating="green"),
        ],
    )
    assert decide(request(target_ids=("T2",)), facts=facts)[0].pep_id == "PEP-C1-2"
    with pytest.raises(RuleViolation, match="not in force") as refusal:
        decide(request(target_ids=("T2", "T1")), facts=facts)
    assert refusal.value.field == "target_ids[1]"


def test_a_target_named_twice_is_refused():
    with pytest.raises(InvalidInput) as refusal:
        decide(request(target_ids=("T1", "T1")))
    assert refusal.value.field == "target_ids[1]"


def test_an_amount_above_the_policys_termly_cap_is_refused():
    """domain.md section 3: capped termly requests, e.g. up to 650 pounds a term."""
    assert decide(request(amount_pence=65_000))
    with pytest.raises(RuleViolation) as refusal:
        decide(request(amount_pence=65_001))
    assert refusal.value.field == "amount_pence"


def test_the_cap_counts_what_was_already_approved_for_the_child_that_term():
    first = requested("R1", amount=40_000)
    budget = given(grant(), first, approved(first))
    with pytest.raises(RuleViolation):
        decide(request(request_id="R2", amount_pence=30_000), budget)
    assert decide(request(request_id="R2", amount_pence=25_000), budget)
    assert decide(request(request_id="R2", term="spring-2025", amount_pence=65_000), budget)


def test_the_policy_in_force_on_the_day_decides_the_cap():
    policies = DEFAULT_DEVOLUTION_POLICIES.adopt(date(2024, 9, 1), Bands())
    with pytest.raises(RuleViolation, match="not one of the bands"):
        decide(request(amount_pence=50_000), policies=policies)
    assert decide(request(amount_pence=80_000), policies=policies)[0].policy.startswith("banded awards")


def test_termly_instalments_need_a_good_pep():
    """domain.md section 3: fixed termly instalments released when the PEP is good."""
    policies = DEFAULT_DEVOLUTION_POLICIES.adopt(date(2024, 9, 1), TermlyInstalments())
    assert decide(request(amount_pence=30_000), policies=policies)
    with pytest.raises(RuleViolation, match="quality-assured green"):
        decide(request(amount_pence=30_000), facts=child(rating="amber"), policies=policies)


def test_a_second_open_request_for_the_same_child_and_term_is_refused():
    budget = given(grant(), requested("R1"))
    with pytest.raises(Conflict) as refusal:
        decide(request(request_id="R2", amount_pence=10_000), budget)
    assert refusal.value.field == "term"


def test_once_the_first_request_is_decided_another_for_the_same_term_may_follow():
    first = requested("R1")
    assert decide(request(request_id="R2", amount_pence=10_000), given(grant(), first, refused(first)))


def test_a_request_id_is_used_once():
    with pytest.raises(Conflict) as refusal:
        decide(request(term="spring-2025"), given(grant(), requested("R1")))
    assert refusal.value.field == "request_id"


# --- more information -------------------------------------------------------------------------


def asked(request_event, on=date(2024, 9, 30)):
    return MoreInformationRequested(
        financial_year=FY,
        request_id=request_event.request_id,
        child_id=request_event.child_id,
        school_urn=request_event.school_urn,
        questions=("Which tutor, and how many sessions?",),
        panel_members=("VSH",),
        decided_on=on,
    )


def information(**changes):
    fields = {
        "financial_year": FY,
        "request_id": "R1",
        "information": "Ten sessions with an accredited tutor",
        "provided_by": "Designated teacher",
    }
    return ProvideMoreInformation(**{**fields, **changes})


def test_the_school_answers_the_panels_questions_and_the_request_goes_back_to_the_panel():
    first = requested("R1")
    budget = given(grant(), first, asked(first))
    events = provide_more_information(
        information(revised_amount_pence=45_000), budget, policies=POLICIES, today=TODAY
    )
    assert events == [
        MoreInformationProvided(
            financial_year=FY,
            request_id="R1",
            child_id="C1",
            school_urn=URN,
            information="Ten sessions with an accredited tutor",
            previous_amount_pence=50_000,
            amount_pence=45_000,
            provided_on=TODAY,
            provided_by="Designated teacher",
        )
    ]
    request_state = given(grant(), first, asked(first), *events).requests["R1"]
    assert (request_state.status, request_state.amount_requested_pence) == (RequestStatus.SUBMITTED, 45_000)


def test_a_revised_amount_is_held_to_the_cap():
    first = requested("R1")
    with pytest.raises(RuleViolation) as refusal:
        provide_more_information(
            information(revised_amount_pence=70_000),
            given(grant(), first, asked(first)),
            policies=POLICIES,
            today=TODAY,
        )
    assert refusal.value.field == "revised_amount_pence"


def test_information_the_panel_did_not_ask_for_is_refused():
    with pytest.raises(Conflict) as refusal:
        provide_more_information(
            information(), given(grant(), requested("R1")), policies=POLICIES, today=TODAY
        )
    assert refusal.value.field == "request_id"


# --- withdrawal -------------------------------------------------------------------------------


def withdraw(request_id="R1"):
    return WithdrawRequest(
        financial_year=FY, request_id=request_id, reason="Child moved placement", withdrawn_by="VSH"
    )


def test_an_open_request_can_be_withdrawn():
    assert withdraw_request(withdraw(), given(grant(), requested("R1")), today=TODAY) == [
        RequestWithdrawn(
            financial_year=FY,
            request_id="R1",
            child_id="C1",
            school_urn=URN,
            reason="Child moved placement",
            withdrawn_on=TODAY,
            withdrawn_by="VSH",
            released_pence=0,
        )
    ]


def test_withdrawing_an_approved_request_returns_its_amount_to_the_budget():
    first = requested("R1")
    history = [grant(1_000_000), first, part_approved(first, 30_000)]
    events = withdraw_request(withdraw(), given(*history), today=TODAY)
    assert events[0].released_pence == 30_000
    assert given(*history).remaining_pence == 970_000
    assert given(*history, *events).remaining_pence == 1_000_000


def test_a_request_in_a_payment_run_or_paid_cannot_be_withdrawn():
    first = requested("R1")
    decision = approved(first)
    in_run = [grant(), first, decision, scheduled("RUN1", line(decision))]
    with pytest.raises(Conflict, match="cancel the run first"):
        withdraw_request(withdraw(), given(*in_run), today=TODAY)
    with pytest.raises(Conflict):
        withdraw_request(withdraw(), given(*in_run, paid("RUN1", line(decision))), today=TODAY)


def test_an_unknown_request_is_not_found():
    with pytest.raises(NotFound) as refusal:
        withdraw_request(withdraw("R9"), given(grant()), today=TODAY)
    assert refusal.value.field == "request_id"
