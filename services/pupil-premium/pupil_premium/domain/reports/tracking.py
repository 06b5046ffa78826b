"""Requests by status, drift and delay, and the weekly tracking sheet (seed 002, finance strand).

The plan wants "PP+ devolved without drift or delay" with weekly tracking: these read the request
register as it stood on a date, so last week's sheet can be produced again exactly as it was.
Delay is measured in calendar days and in working days, from request to decision and from request
to payment - the numbers the plan wants driven down.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from shared.calendar import working_days_between
from shared.errors import InvalidInput

from ..budget_state import OPEN_STATUSES, RequestState, RequestStatus
from ..events import InterventionType

FINISHED = frozenset({RequestStatus.PAID, RequestStatus.REFUSED, RequestStatus.WITHDRAWN})
AWAITING_PAYMENT = frozenset({RequestStatus.APPROVED, RequestStatus.PART_APPROVED, RequestStatus.SCHEDULED})


@dataclass(frozen=True)
class StatusGroup:
    status: RequestStatus
    count: int
    requested_pence: int
    approved_pence: int
    request_ids: tuple[str, ...]


def requests_by_status(records: Iterable[RequestState], *, as_of: date | None = None) -> list[StatusGroup]:
    """Every status in lifecycle order with the requests in it (on ``as_of``, or now)."""
    grouped: dict[RequestStatus, list[RecordAsOf]] = {status: [] for status in RequestStatus}
    for record in records:
        seen = RecordAsOf.of(record, as_of)
        if seen is not None:
            grouped[seen.status].append(seen)
    return [
        StatusGroup(
            status=status,
            count=len(members),
            requested_pence=sum(m.record.amount_requested_pence for m in members),
            approved_pence=sum(m.amount_approved_pence for m in members),
            request_ids=tuple(m.record.request_id for m in members),
        )
        for status, members in grouped.items()
    ]


@dataclass(frozen=True)
class RecordAsOf:
    """A request as it stood at the end of a day: later decisions and payments are not yet known."""

    record: RequestState
    status: RequestStatus
    decided_on: date | None
    paid_on: date | None
    amount_approved_pence: int

    @classmethod
    def of(cls, record: RequestState, day: date | None) -> RecordAsOf | None:
        if day is None:
            return cls(record, record.status, record.decided_on, record.paid_on, record.amount_approved_pence)
        status = record.status_on(day)
        if status is None:
            return None
        decided = record.decided_on if record.decided_on and record.decided_on <= day else None
        paid = record.paid_on if record.paid_on and record.paid_on <= day else None
        approved = record.amount_approved_pence if decided else 0
        return cls(record, status, decided, paid, approved)


# --- drift and delay ------------------------------------------------------------------------


@dataclass(frozen=True)
class DelayLine:
    request_id: str
    child_id: str
    school_urn: str
    term: str
    status: RequestStatus
    requested_on: date
    decided_on: date | None
    paid_on: date | None
    days_to_decision: int | None
    working_days_to_decision: int | None
    days_to_payment: int | None
    working_days_to_payment: int | None
    days_waiting: int | None  # still waiting for a decision or a payment on the report date


@dataclass(frozen=True)
class DelaySummary:
    count: int
    median_days: float | None
    mean_days: float | None
    longest_days: int | None

    @classmethod
    def of(cls, days: list[int]) -> DelaySummary:
        if not days:
            return cls(0, None, None, None)
        return cls(len(days), float(statistics.median(days)), round(statistics.fmean(days), 1), max(days))


@dataclass(frozen=True)
class DriftAndDelay:
    as_of: date
    to_decision: DelaySummary
    to_payment: DelaySummary
    awaiting_decision: int
    awaiting_payment: int
    longest_wait_days: int | None
    lines: tuple[DelayLine, ...]


def drift_and_delay(records: Iterable[RequestState], *, as_of: date) -> DriftAndDelay:
    """Days from request to decision and to payment, as things stood on ``as_of``."""
    lines = []
    for item in records:
        seen = RecordAsOf.of(item, as_of)
        if seen is None:
            continue
        record = seen.record
        waiting = seen.status in OPEN_STATUSES or seen.status in AWAITING_PAYMENT
        lines.append(
            DelayLine(
                request_id=record.request_id,
                child_id=record.child_id,
                school_urn=record.school_urn,
                term=record.term,
                status=seen.status,
                requested_on=record.requested_on,
                decided_on=seen.decided_on,
                paid_on=seen.paid_on,
                days_to_decision=_days(record.requested_on, seen.decided_on),
                working_days_to_decision=_working_days(record.requested_on, seen.decided_on),
                days_to_payment=_days(record.requested_on, seen.paid_on),
                working_days_to_payment=_working_days(record.requested_on, seen.paid_on),
                days_waiting=(as_of - record.requested_on).days if waiting else None,
            )
        )
    waits = [line.days_waiting for line in lines if line.days_waiting is not None]
    return DriftAndDelay(
        as_of=as_of,
        to_decision=DelaySummary.of(
            [line.days_to_decision for line in lines if line.days_to_decision is not None]
        ),
        to_payment=DelaySummary.of(
            [line.days_to_payment for line in lines if line.days_to_payment is not None]
        ),
        awaiting_decision=sum(1 for line in lines if line.status in OPEN_STATUSES),
        awaiting_payment=sum(1 for line in lines if line.status in AWAITING_PAYMENT),
        longest_wait_days=max(waits) if waits else None,
        lines=tuple(lines),
    )


# --- the weekly tracking sheet --------------------------------------------------------------


@dataclass(frozen=True)
class TrackingLine:
    request_id: str
    child_id: str
    school_urn: str
    term: str
    intervention_type: InterventionType
    status: RequestStatus
    amount_requested_pence: int
    amount_approved_pence: int
    requested_on: date
    decided_on: date | None
    paid_on: date | None
    days_open: int | None  # days since the request, while it is still waiting at the week's end


@dataclass(frozen=True)
class WeeklyTracking:
    week_starting: date
    week_ending: date
    received: int
    received_pence: int
    more_information_requested: int
    approved: int
    approved_pence: int
    refused: int
    paid: int
    paid_pence: int
    awaiting_decision_at_week_end: int
    awaiting_payment_at_week_end: int
    awaiting_payment_pence: int
    lines: tuple[TrackingLine, ...]


def weekly_tracking(records: Iterable[RequestState], *, week_starting: date) -> WeeklyTracking:
    """The week's activity and every request still live in it, as the sheet stood at the week's end."""
    if not date.min + timedelta(days=1) <= week_starting <= date.max - timedelta(days=6):
        # The sheet reads the day before the week and the week's seven days: all on the calendar.
        raise InvalidInput(
            "week_starting is too near the calendar's end for a week and the day before it",
            field="week_starting",
        )
    week_ending = week_starting + timedelta(days=6)
    the_day_before = week_starting - timedelta(days=1)

    def in_week(day: date | None) -> bool:
        return day is not None and week_starting <= day <= week_ending

    received = approved = refused = paid = more_information = 0
    received_pence = approved_pence = paid_pence = awaiting_payment_pence = 0
    awaiting_decision = awaiting_payment = 0
    lines = []
    for record in records:
        seen = RecordAsOf.of(record, week_ending)
        if seen is None:
            continue
        if in_week(record.requested_on):
            received += 1
            received_pence += record.amount_requested_pence
        more_information += sum(
            1 for day, step in record.history if step is RequestStatus.AWAITING_INFORMATION and in_week(day)
        )
        if in_week(seen.decided_on):
            if record.decision is RequestStatus.REFUSED:
                refused += 1
            else:
                approved += 1
                approved_pence += record.amount_approved_pence
        if in_week(seen.paid_on):
            paid += 1
            paid_pence += record.amount_approved_pence
        if seen.status in OPEN_STATUSES:
            awaiting_decision += 1
        if seen.status in AWAITING_PAYMENT:
            awaiting_payment += 1
            awaiting_payment_pence += seen.amount_approved_pence
        if record.status_on(the_day_before) in FINISHED:
            continue
        still_waiting = seen.status not in FINISHED
        lines.append(
            TrackingLine(
                request_id=record.request_id,
                child_id=record.child_id,
                school_urn=record.school_urn,
                term=record.term,
                intervention_type=record.intervention_type,
                status=seen.status,
                amount_requested_pence=record.amount_requested_pence,
                amount_approved_pence=seen.amount_approved_pence,
                requested_on=record.requested_on,
                decided_on=seen.decided_on,
                paid_on=seen.paid_on,
                days_open=(week_ending - record.requested_on).days if still_waiting else None,
            )
        )
    return WeeklyTracking(
        week_starting=week_starting,
        week_ending=week_ending,
        received=received,
        received_pence=received_pence,
        more_information_requested=more_information,
        approved=approved,
        approved_pence=approved_pence,
        refused=refused,
        paid=paid,
        paid_pence=paid_pence,
        awaiting_decision_at_week_end=awaiting_decision,
        awaiting_payment_at_week_end=awaiting_payment,
        awaiting_payment_pence=awaiting_payment_pence,
        lines=tuple(lines),
    )


def _days(start: date, end: date | None) -> int | None:
    return (end - start).days if end is not None else None


def _working_days(start: date, end: date | None) -> int | None:
    return working_days_between(start, end) if end is not None else None
