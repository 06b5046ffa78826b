"""Requests by status, drift and delay, and the weekly tracking sheet (seed 002, finance strand:
"PP+ devolved without drift or delay", "weekly tracking (spreadsheet)")."""

from datetime import date

from pp_scenario import autumn_2024
from pupil_premium.domain.budget_state import RequestStatus
from pupil_premium.domain.budget_state import every_request
from pupil_premium.domain.reports.tracking import (
    DelaySummary,
    drift_and_delay,
    requests_by_status,
    weekly_tracking,
)

RECORDS = every_request(autumn_2024())


def by_status(groups):
    return {group.status: group.request_ids for group in groups if group.count}


def test_requests_are_grouped_by_their_status_now():
    groups = requests_by_status(RECORDS)
    assert [group.status for group in groups] == list(RequestStatus)
    assert by_status(groups) == {
        RequestStatus.SUBMITTED: ("R4",),
        RequestStatus.REFUSED: ("R3",),
        RequestStatus.WITHDRAWN: ("R5",),
        RequestStatus.PAID: ("R1", "R2"),
    }
    paid = next(group for group in groups if group.status is RequestStatus.PAID)
    assert (paid.requested_pence, paid.approved_pence) == (110_000, 90_000)


def test_requests_by_status_on_an_earlier_day():
    assert by_status(requests_by_status(RECORDS, as_of=date(2024, 10, 2))) == {
        RequestStatus.SUBMITTED: ("R3",),
        RequestStatus.AWAITING_INFORMATION: ("R2",),
        RequestStatus.APPROVED: ("R1", "R5"),
    }


def test_each_request_keeps_its_dated_steps():
    r2 = next(record for record in RECORDS if record.request_id == "R2")
    assert [status for _, status in r2.history] == [
        RequestStatus.SUBMITTED,
        RequestStatus.AWAITING_INFORMATION,
        RequestStatus.SUBMITTED,
        RequestStatus.PART_APPROVED,
        RequestStatus.SCHEDULED,
        RequestStatus.PAID,
    ]
    assert (r2.days_to_decision, r2.days_to_payment, r2.finance_reference) == (13, 21, "FIN-002")


def test_drift_and_delay_measures_days_from_request_to_decision_and_to_payment():
    report = drift_and_delay(RECORDS, as_of=date(2024, 10, 20))
    assert report.to_decision == DelaySummary(count=4, median_days=7.0, mean_days=8.0, longest_days=13)
    assert report.to_payment == DelaySummary(count=2, median_days=19.5, mean_days=19.5, longest_days=21)
    assert (report.awaiting_decision, report.awaiting_payment, report.longest_wait_days) == (1, 0, 11)
    r1 = next(line for line in report.lines if line.request_id == "R1")
    assert (r1.days_to_decision, r1.working_days_to_decision) == (8, 6)
    assert (r1.days_to_payment, r1.working_days_to_payment) == (18, 14)


def test_drift_and_delay_as_it_stood_on_an_earlier_day():
    report = drift_and_delay(RECORDS, as_of=date(2024, 10, 5))
    assert report.to_payment.count == 0
    assert report.to_decision.count == 2  # R1 and R5, decided on 1 October
    assert (report.awaiting_decision, report.awaiting_payment) == (2, 2)
    assert report.longest_wait_days == 12  # R1, requested 23 September
    assert len(report.lines) == 4  # R4 had not been made


def test_the_weekly_tracking_sheet_counts_the_weeks_activity():
    week = weekly_tracking(RECORDS, week_starting=date(2024, 10, 7))
    assert week.week_ending == date(2024, 10, 13)
    assert (week.received, week.received_pence) == (1, 65_000)
    assert (week.approved, week.approved_pence, week.refused) == (1, 40_000, 1)
    assert (week.paid, week.paid_pence) == (1, 50_000)
    assert week.more_information_requested == 0
    assert (
        week.awaiting_decision_at_week_end,
        week.awaiting_payment_at_week_end,
        week.awaiting_payment_pence,
    ) == (1, 1, 40_000)
    assert {line.request_id: line.status for line in week.lines} == {
        "R1": RequestStatus.PAID,
        "R2": RequestStatus.SCHEDULED,
        "R3": RequestStatus.REFUSED,
        "R4": RequestStatus.SUBMITTED,
        "R5": RequestStatus.WITHDRAWN,
    }
    assert {line.request_id: line.days_open for line in week.lines if line.days_open is not None} == {
        "R2": 18,
        "R4": 4,
    }


def test_the_weekly_sheet_leaves_out_requests_finished_before_the_week():
    week = weekly_tracking(RECORDS, week_starting=date(2024, 10, 14))
    assert [line.request_id for line in week.lines] == ["R2", "R4"]
    r2 = week.lines[0]
    assert (r2.status, r2.paid_on, r2.amount_approved_pence) == (
        RequestStatus.PAID,
        date(2024, 10, 16),
        40_000,
    )


def test_the_weekly_sheet_does_not_know_the_future():
    week = weekly_tracking(RECORDS, week_starting=date(2024, 9, 30))
    r2 = next(line for line in week.lines if line.request_id == "R2")
    assert (r2.status, r2.decided_on, r2.amount_approved_pence) == (RequestStatus.SUBMITTED, None, 0)
    assert week.more_information_requested == 1
