"""Every request's story, folded from events: the rows behind the tracking and delay reports.

Each record keeps the dated steps the request went through (requested, awaiting information,
decided, scheduled, paid, withdrawn), so its status on any day can be read back - which is what a
weekly tracking sheet or a quarter-end figure needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from shared.events import Event

from ..budget_state import RequestStatus
from ..events import (
    ImpactRecorded,
    InterventionType,
    MoreInformationProvided,
    MoreInformationRequested,
    PaymentRunCancelled,
    PaymentRunPaid,
    PaymentRunScheduled,
    PupilPremiumPlusRequested,
    RequestApproved,
    RequestPartApproved,
    RequestRefused,
    RequestWithdrawn,
)


@dataclass(frozen=True)
class RequestRecord:
    financial_year: str
    request_id: str
    child_id: str
    school_urn: str
    term: str
    intervention_type: InterventionType
    amount_requested_pence: int
    requested_on: date
    amount_approved_pence: int = 0
    decision: RequestStatus | None = None
    decided_on: date | None = None
    run_id: str | None = None
    scheduled_on: date | None = None
    paid_on: date | None = None
    finance_reference: str | None = None
    withdrawn_on: date | None = None
    impact_recorded_on: date | None = None
    history: tuple[tuple[date, RequestStatus], ...] = ()

    @property
    def status(self) -> RequestStatus:
        return self.history[-1][1]

    def status_on(self, day: date) -> RequestStatus | None:
        """The status at the end of ``day``; None before the request was made."""
        status = None
        for when, step in self.history:
            if when <= day:
                status = step
        return status

    @property
    def is_funded(self) -> bool:
        return (
            self.decision in (RequestStatus.APPROVED, RequestStatus.PART_APPROVED)
            and self.withdrawn_on is None
        )

    @property
    def days_to_decision(self) -> int | None:
        return (self.decided_on - self.requested_on).days if self.decided_on else None

    @property
    def days_to_payment(self) -> int | None:
        return (self.paid_on - self.requested_on).days if self.paid_on else None

    def _step(self, when: date, status: RequestStatus, **changes) -> RequestRecord:
        return replace(self, history=(*self.history, (when, status)), **changes)


def request_register(events: Iterable[Event]) -> list[RequestRecord]:
    """One record per request, in the order the requests were made."""
    records: dict[tuple[str, str], RequestRecord] = {}

    def step(key: tuple[str, str], when: date, status: RequestStatus | None, **changes) -> None:
        record = records[key]
        records[key] = record._step(when, status or record.decision, **changes)

    for event in events:
        key = (getattr(event, "financial_year", ""), getattr(event, "request_id", ""))
        match event:
            case PupilPremiumPlusRequested():
                records[key] = RequestRecord(
                    financial_year=event.financial_year,
                    request_id=event.request_id,
                    child_id=event.child_id,
                    school_urn=event.school_urn,
                    term=event.term,
                    intervention_type=event.intervention_type,
                    amount_requested_pence=event.amount_pence,
                    requested_on=event.requested_on,
                    history=((event.requested_on, RequestStatus.SUBMITTED),),
                )
            case MoreInformationRequested():
                step(key, event.decided_on, RequestStatus.AWAITING_INFORMATION)
            case MoreInformationProvided():
                step(
                    key, event.provided_on, RequestStatus.SUBMITTED, amount_requested_pence=event.amount_pence
                )
            case RequestApproved() | RequestPartApproved():
                decision = (
                    RequestStatus.APPROVED
                    if isinstance(event, RequestApproved)
                    else RequestStatus.PART_APPROVED
                )
                step(
                    key,
                    event.decided_on,
                    decision,
                    decision=decision,
                    decided_on=event.decided_on,
                    amount_approved_pence=event.amount_approved_pence,
                )
            case RequestRefused():
                step(
                    key,
                    event.decided_on,
                    RequestStatus.REFUSED,
                    decision=RequestStatus.REFUSED,
                    decided_on=event.decided_on,
                )
            case RequestWithdrawn():
                step(key, event.withdrawn_on, RequestStatus.WITHDRAWN, withdrawn_on=event.withdrawn_on)
            case PaymentRunScheduled():
                for line_key in _requests_in(event):
                    step(
                        line_key,
                        event.scheduled_on,
                        RequestStatus.SCHEDULED,
                        run_id=event.run_id,
                        scheduled_on=event.scheduled_on,
                    )
            case PaymentRunPaid():
                for line_key in _requests_in(event):
                    step(
                        line_key,
                        event.paid_on,
                        RequestStatus.PAID,
                        paid_on=event.paid_on,
                        finance_reference=event.finance_reference,
                    )
            case PaymentRunCancelled():
                for line_key in _requests_in(event):
                    step(line_key, event.cancelled_on, None, run_id=None, scheduled_on=None)
            case ImpactRecorded():
                records[key] = replace(records[key], impact_recorded_on=event.reviewed_on)
    return list(records.values())


def _requests_in(event: PaymentRunScheduled | PaymentRunPaid | PaymentRunCancelled) -> list[tuple[str, str]]:
    return [(event.financial_year, line.item_id) for line in event.payments if line.item == "request"]
