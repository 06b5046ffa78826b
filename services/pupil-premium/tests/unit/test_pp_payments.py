"""Payment runs: approved amounts scheduled and paid, never twice (domain.md section 3)."""

from datetime import date

import pytest

from pp_builders import (
    FY,
    OTHER_URN,
    TODAY,
    URN,
    approved,
    child,
    given,
    grant,
    line,
    paid,
    part_approved,
    pep_events,
    project_approved,
    project_proposed,
    refused,
    requested,
    scheduled,
)
from pupil_premium.domain.budget_state import ProjectStatus, RequestStatus
from pupil_premium.domain.child_facts import facts_from
from pupil_premium.domain.events import PaymentLine, PaymentRunCancelled, PaymentRunPaid, PaymentRunScheduled
from pupil_premium.domain.payments import (
    CancelPaymentRun,
    RecordPaymentRunPaid,
    SchedulePaymentRun,
    cancel_payment_run,
    record_payment_run_paid,
    schedule_payment_run,
)
from pupil_premium.domain.pep_events import ChildMovedSchool
from pupil_premium.domain.reports.position import position_of
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation

R1 = requested("R1", child_id="C1", amount=50_000)
R2 = requested("R2", child_id="C2", amount=60_000)
A1 = approved(R1)
A2 = part_approved(R2, 40_000)
CHILDREN = {"C1": child("C1"), "C2": child("C2")}
APPROVED = [grant(1_000_000), R1, A1, R2, A2]


def schedule(run_id="RUN1", request_ids=("R1", "R2"), project_ids=()):
    return SchedulePaymentRun(
        financial_year=FY, run_id=run_id, request_ids=request_ids, project_ids=project_ids
    )


def mark_paid(run_id="RUN1", reference="FIN-2024-0193", paid_on=date(2024, 10, 7)):
    return RecordPaymentRunPaid(
        financial_year=FY, run_id=run_id, finance_reference=reference, paid_on=paid_on
    )


def test_approved_amounts_are_scheduled_in_a_payment_run():
    events = schedule_payment_run(schedule(), given(*APPROVED), children=CHILDREN, today=TODAY)
    assert events == [
        PaymentRunScheduled(
            financial_year=FY,
            run_id="RUN1",
            payments=(
                PaymentLine(
                    item="request", item_id="R1", school_urn=URN, child_ids=("C1",), amount_pence=50_000
                ),
                PaymentLine(
                    item="request", item_id="R2", school_urn=URN, child_ids=("C2",), amount_pence=40_000
                ),
            ),
            total_pence=90_000,
            scheduled_on=TODAY,
        )
    ]
    assert events[0].subjects() == ["school:123456", "child:C1", "child:C2"]
    assert given(*APPROVED, *events).requests["R1"].status is RequestStatus.SCHEDULED


def test_a_run_marked_paid_records_the_finance_reference():
    history = [*APPROVED, scheduled("RUN1", line(A1), line(A2), on=date(2024, 10, 4))]
    events = record_payment_run_paid(mark_paid(), given(*history), today=TODAY)
    assert events == [
        PaymentRunPaid(
            financial_year=FY,
            run_id="RUN1",
            payments=(line(A1), line(A2)),
            total_pence=90_000,
            finance_reference="FIN-2024-0193",
            paid_on=date(2024, 10, 7),
        )
    ]
    budget = given(*history, *events)
    assert budget.requests["R2"].status is RequestStatus.PAID
    position = position_of(budget)
    assert (position.committed_pence, position.paid_pence, position.remaining_pence) == (0, 90_000, 910_000)


def test_a_retried_payment_run_appends_nothing_new():
    history = [*APPROVED, scheduled("RUN1", line(A1), line(A2))]
    assert (
        schedule_payment_run(
            schedule(request_ids=("R2", "R1")), given(*history), children=CHILDREN, today=TODAY
        )
        == []
    )


def test_a_retried_mark_paid_appends_nothing_new():
    history = [
        *APPROVED,
        scheduled("RUN1", line(A1), line(A2)),
        paid("RUN1", line(A1), line(A2), reference="FIN-7"),
    ]
    assert record_payment_run_paid(mark_paid(reference="FIN-7"), given(*history), today=TODAY) == []


def test_a_paid_run_cannot_be_paid_again_under_another_reference():
    history = [
        *APPROVED,
        scheduled("RUN1", line(A1), line(A2)),
        paid("RUN1", line(A1), line(A2), reference="FIN-7"),
    ]
    with pytest.raises(Conflict) as refusal:
        record_payment_run_paid(mark_paid(reference="FIN-8"), given(*history), today=TODAY)
    assert refusal.value.field == "finance_reference"


def test_a_run_id_reused_for_different_items_is_a_conflict():
    history = [*APPROVED, scheduled("RUN1", line(A1))]
    with pytest.raises(Conflict) as refusal:
        schedule_payment_run(
            schedule(request_ids=("R1", "R2")), given(*history), children=CHILDREN, today=TODAY
        )
    assert refusal.value.field == "run_id"


def test_a_request_already_paid_is_never_put_in_another_run():
    """domain.md section 3: never pay twice for the same request."""
    history = [*APPROVED, scheduled("RUN1", line(A1)), paid("RUN1", line(A1))]
    with pytest.raises(Conflict, match="already been paid") as refusal:
        schedule_payment_run(schedule("RUN2", ("R2", "R1")), given(*history), children=CHILDREN, today=TODAY)
    assert refusal.value.field == "request_ids[1]"


def test_a_request_waiting_in_one_run_is_not_put_in_another():
    history = [*APPROVED, scheduled("RUN1", line(A1))]
    with pytest.raises(Conflict) as refusal:
        schedule_payment_run(schedule("RUN2", ("R1",)), given(*history), children=CHILDREN, today=TODAY)
    assert refusal.value.field == "request_ids[0]"


def test_a_cancelled_run_frees_its_requests_for_a_new_run():
    history = [*APPROVED, scheduled("RUN1", line(A1), line(A2))]
    cancelled = cancel_payment_run(
        CancelPaymentRun(financial_year=FY, run_id="RUN1", reason="Rejected by the finance system"),
        given(*history),
        today=TODAY,
    )
    assert cancelled == [
        PaymentRunCancelled(
            financial_year=FY,
            run_id="RUN1",
            payments=(line(A1), line(A2)),
            total_pence=90_000,
            reason="Rejected by the finance system",
            cancelled_on=TODAY,
        )
    ]
    budget = given(*history, *cancelled)
    assert budget.requests["R2"].status is RequestStatus.PART_APPROVED
    assert (
        schedule_payment_run(schedule("RUN2"), budget, children=CHILDREN, today=TODAY)[0].total_pence
        == 90_000
    )
    with pytest.raises(Conflict):
        record_payment_run_paid(mark_paid("RUN1"), budget, today=TODAY)
    with pytest.raises(Conflict):
        schedule_payment_run(schedule("RUN1"), budget, children=CHILDREN, today=TODAY)


def test_a_paid_run_cannot_be_cancelled_and_a_cancelled_one_cancels_once():
    history = [*APPROVED, scheduled("RUN1", line(A1)), paid("RUN1", line(A1))]
    command = CancelPaymentRun(financial_year=FY, run_id="RUN1", reason="r")
    with pytest.raises(Conflict):
        cancel_payment_run(command, given(*history), today=TODAY)
    once = [*APPROVED, scheduled("RUN1", line(A1))]
    cancelled = cancel_payment_run(command, given(*once), today=TODAY)
    assert cancel_payment_run(command, given(*once, *cancelled), today=TODAY) == []


def test_only_approved_requests_are_paid():
    r3 = requested("R3", child_id="C3")
    budget = given(*APPROVED, r3, refused(r3))
    with pytest.raises(RuleViolation, match="not approved") as refusal:
        schedule_payment_run(schedule(request_ids=("R1", "R3")), budget, children=CHILDREN, today=TODAY)
    assert refusal.value.field == "request_ids[1]"


def test_a_child_who_has_left_the_school_is_not_paid_for():
    """domain.md section 3: never pay for a child not on roll at that school."""
    moved = facts_from(
        "C2",
        [
            *pep_events("C2"),
            ChildMovedSchool(
                child_id="C2",
                from_urn=URN,
                to_urn=OTHER_URN,
                left_previous_school_on=date(2024, 10, 4),
                start_date=date(2024, 10, 7),
            ),
        ],
    )
    with pytest.raises(RuleViolation, match="not on roll") as refusal:
        schedule_payment_run(schedule(), given(*APPROVED), children={**CHILDREN, "C2": moved}, today=TODAY)
    assert refusal.value.field == "request_ids[1]"


def test_a_request_named_twice_in_a_run_is_refused():
    with pytest.raises(InvalidInput) as refusal:
        schedule_payment_run(
            schedule(request_ids=("R1", "R1")), given(*APPROVED), children=CHILDREN, today=TODAY
        )
    assert refusal.value.field == "request_ids[1]"


def test_an_empty_run_is_refused():
    with pytest.raises(InvalidInput):
        schedule_payment_run(schedule(request_ids=()), given(*APPROVED), children=CHILDREN, today=TODAY)


def test_a_payment_cannot_be_recorded_in_the_future_or_before_the_run():
    history = [*APPROVED, scheduled("RUN1", line(A1), on=date(2024, 10, 4))]
    with pytest.raises(InvalidInput) as refusal:
        record_payment_run_paid(mark_paid(paid_on=date(2024, 10, 8)), given(*history), today=TODAY)
    assert refusal.value.field == "paid_on"
    with pytest.raises(InvalidInput):
        record_payment_run_paid(mark_paid(paid_on=date(2024, 10, 3)), given(*history), today=TODAY)


def test_an_unknown_run_is_not_found():
    with pytest.raises(NotFound) as refusal:
        record_payment_run_paid(mark_paid("RUN9"), given(*APPROVED), today=TODAY)
    assert refusal.value.field == "run_id"


def test_an_approved_school_project_is_paid_to_its_school():
    project = project_proposed("P1", amount=300_000)
    history = [grant(1_000_000), project, project_approved(project, pence=250_000)]
    events = schedule_payment_run(
        schedule(request_ids=(), project_ids=("P1",)), given(*history), children={}, today=TODAY
    )
    assert events[0].payments == (
        PaymentLine(
            item="project", item_id="P1", school_urn=URN, child_ids=("C1", "C2", "C3"), amount_pence=250_000
        ),
    )
    budget = given(*history, *events, paid("RUN1", *events[0].payments))
    assert budget.projects["P1"].status is ProjectStatus.PAID
    assert budget.paid_pence == 250_000
    with pytest.raises(Conflict):
        schedule_payment_run(
            schedule("RUN2", request_ids=(), project_ids=("P1",)), budget, children={}, today=TODAY
        )
