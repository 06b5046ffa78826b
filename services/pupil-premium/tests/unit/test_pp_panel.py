"""The PP+ panel's decisions (domain.md section 3; seed 002, finance strand: "Establish panel
and process for PP+ review")."""

from datetime import date

import pytest

from pp_builders import (
    FY,
    PANEL,
    POLICIES,
    TODAY,
    URN,
    approved,
    given,
    grant,
    part_approved,
    refused,
    requested,
    top_sliced,
)
from pupil_premium.domain.budget_state import RequestStatus
from pupil_premium.domain.devolution import DEFAULT_DEVOLUTION_POLICIES, DevolvedShare
from pupil_premium.domain.events import (
    InterventionType,
    MoreInformationProvided,
    MoreInformationRequested,
    RequestApproved,
    RequestPartApproved,
    RequestRefused,
)
from pupil_premium.domain.money import parse_command
from pupil_premium.domain.panel import (
    ApproveRequest,
    AskForMoreInformation,
    PartApproveRequest,
    RefuseRequest,
    approve_request,
    ask_for_more_information,
    part_approve_request,
    refuse_request,
)
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation

REQUEST = requested("R1", amount=50_000)


def approve(request_id="R1"):
    return ApproveRequest(
        financial_year=FY, request_id=request_id, panel_members=PANEL, reasons=("Clear link to T1",)
    )


def decision_fields(**changes):
    fields = {
        "financial_year": FY,
        "request_id": "R1",
        "child_id": "C1",
        "school_urn": URN,
        "term": "autumn-2024",
        "intervention_type": InterventionType.TUTORING,
        "amount_requested_pence": 50_000,
        "panel_members": PANEL,
        "decided_on": TODAY,
    }
    return {**fields, **changes}


def test_the_panel_approves_the_amount_requested_and_it_is_committed():
    budget = given(grant(1_000_000), REQUEST)
    events = approve_request(approve(), budget, policies=POLICIES, today=TODAY)
    assert events == [
        RequestApproved(**decision_fields(), reasons=("Clear link to T1",), amount_approved_pence=50_000)
    ]
    after = given(grant(1_000_000), REQUEST, *events)
    assert after.requests["R1"].status is RequestStatus.APPROVED
    assert (after.committed_pence, after.remaining_pence) == (50_000, 950_000)


def test_the_panel_part_approves_with_the_amount_approved():
    command = PartApproveRequest(
        financial_year=FY,
        request_id="R1",
        panel_members=PANEL,
        amount_approved_pence=30_000,
        reasons=("Half a term",),
    )
    events = part_approve_request(command, given(grant(1_000_000), REQUEST), policies=POLICIES, today=TODAY)
    assert events == [
        RequestPartApproved(**decision_fields(), reasons=("Half a term",), amount_approved_pence=30_000)
    ]
    assert given(grant(1_000_000), REQUEST, *events).remaining_pence == 970_000


@pytest.mark.parametrize("amount", [50_000, 50_001])
def test_a_part_approval_must_be_less_than_the_amount_requested(amount):
    command = PartApproveRequest(
        financial_year=FY, request_id="R1", panel_members=PANEL, amount_approved_pence=amount, reasons=("r",)
    )
    with pytest.raises(InvalidInput) as refusal:
        part_approve_request(command, given(grant(), REQUEST), policies=POLICIES, today=TODAY)
    assert refusal.value.field == "amount_approved_pence"


def test_the_panel_asks_for_more_information_then_decides_on_the_answer():
    ask = AskForMoreInformation(
        financial_year=FY, request_id="R1", panel_members=PANEL, questions=("Which tutor?",)
    )
    asked = ask_for_more_information(ask, given(grant(), REQUEST), today=TODAY)
    assert asked == [
        MoreInformationRequested(
            financial_year=FY,
            request_id="R1",
            child_id="C1",
            school_urn=URN,
            questions=("Which tutor?",),
            panel_members=PANEL,
            decided_on=TODAY,
        )
    ]
    with pytest.raises(Conflict):
        ask_for_more_information(ask, given(grant(), REQUEST, *asked), today=TODAY)
    answered = MoreInformationProvided(
        financial_year=FY,
        request_id="R1",
        child_id="C1",
        school_urn=URN,
        information="An accredited tutor",
        previous_amount_pence=50_000,
        amount_pence=40_000,
        provided_on=date(2024, 10, 9),
        provided_by="Designated teacher",
    )
    later = date(2024, 10, 14)
    events = approve_request(
        approve(), given(grant(), REQUEST, *asked, answered), policies=POLICIES, today=later
    )
    assert events[0].amount_approved_pence == 40_000


def test_the_panel_refuses_with_reasons():
    command = RefuseRequest(
        financial_year=FY, request_id="R1", panel_members=PANEL, reasons=("Funded by the school",)
    )
    assert refuse_request(command, given(grant(), REQUEST), today=TODAY) == [
        RequestRefused(**decision_fields(), reasons=("Funded by the school",))
    ]


def test_a_refusal_without_reasons_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as refusal:
        parse_command(
            RefuseRequest, {"financial_year": FY, "request_id": "R1", "panel_members": ["VSH"], "reasons": []}
        )
    assert refusal.value.field == "reasons"


def test_a_decision_records_who_sat_on_the_panel():
    with pytest.raises(InvalidInput) as refusal:
        parse_command(ApproveRequest, {"financial_year": FY, "request_id": "R1", "panel_members": []})
    assert refusal.value.field == "panel_members"


@pytest.mark.parametrize(
    "decided",
    [approved(REQUEST), part_approved(REQUEST, 10_000), refused(REQUEST)],
    ids=["approved", "part-approved", "refused"],
)
def test_a_decision_on_a_request_already_decided_is_a_conflict(decided):
    budget = given(grant(), REQUEST, decided)
    with pytest.raises(Conflict) as refusal:
        approve_request(approve(), budget, policies=POLICIES, today=TODAY)
    assert refusal.value.field == "request_id"
    with pytest.raises(Conflict):
        refuse_request(
            RefuseRequest(financial_year=FY, request_id="R1", panel_members=PANEL, reasons=("r",)),
            budget,
            today=TODAY,
        )
    with pytest.raises(Conflict):
        ask_for_more_information(
            AskForMoreInformation(financial_year=FY, request_id="R1", panel_members=PANEL, questions=("q",)),
            budget,
            today=TODAY,
        )


def test_a_decision_on_an_unknown_request_is_not_found():
    with pytest.raises(NotFound) as refusal:
        approve_request(approve("R9"), given(grant()), policies=POLICIES, today=TODAY)
    assert refusal.value.field == "request_id"


def test_an_approval_larger_than_the_remaining_balance_is_refused():
    """domain.md section 3: never spend more than the budget."""
    budget = given(grant(1_000_000), top_sliced("TS1", 960_000), REQUEST)
    with pytest.raises(RuleViolation, match="overspend") as refusal:
        approve_request(approve(), budget, policies=POLICIES, today=TODAY)
    assert refusal.value.field == "request_id"
    command = PartApproveRequest(
        financial_year=FY,
        request_id="R1",
        panel_members=PANEL,
        amount_approved_pence=40_000,
        reasons=("What is left",),
    )
    assert (
        part_approve_request(command, budget, policies=POLICIES, today=TODAY)[0].amount_approved_pence
        == 40_000
    )


def test_an_approval_that_exactly_uses_the_balance_is_allowed():
    budget = given(grant(1_000_000), top_sliced("TS1", 950_000), REQUEST)
    events = approve_request(approve(), budget, policies=POLICIES, today=TODAY)
    assert given(grant(1_000_000), top_sliced("TS1", 950_000), REQUEST, *events).remaining_pence == 0


def test_nothing_is_approved_before_the_grant_is_recorded():
    with pytest.raises(RuleViolation, match="no grant"):
        approve_request(approve(), given(REQUEST), policies=POLICIES, today=TODAY)


def test_under_a_devolved_share_approvals_stop_at_that_share_of_the_grant():
    """domain.md section 3: e.g. 50% devolved / 50% retained."""
    policies = DEFAULT_DEVOLUTION_POLICIES.adopt(date(2024, 4, 1), DevolvedShare(devolved_percent=50))
    earlier = requested("R0", child_id="C0", amount=60_000)
    budget = given(grant(200_000), earlier, approved(earlier), REQUEST)
    with pytest.raises(RuleViolation, match="devolved share"):
        approve_request(approve(), budget, policies=policies, today=TODAY)
    assert approve_request(approve(), budget, policies=POLICIES, today=TODAY)
