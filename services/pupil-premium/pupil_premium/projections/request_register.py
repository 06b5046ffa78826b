"""The request register: every PP+ request's story, folded from the budget streams.

One row per request with its current status and every dated step it went through (``history``),
so the tracking sheet and the drift-and-delay report can read a request as it stood on any day.
The reviewed outcome of its funded targets, once the next PEP review is linked to the spend, is
kept beside it (``impact_outcomes``). The steps mirror ``domain.reports.request_register``, which
the reports are computed with.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from shared.eventlog.records import RecordedEvent

from pupil_premium.domain.budget_state import RequestStatus
from pupil_premium.domain.events import (
    PUPIL_PREMIUM_EVENTS,
    ImpactRecorded,
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

HANDLED = (
    PupilPremiumPlusRequested,
    MoreInformationRequested,
    MoreInformationProvided,
    RequestApproved,
    RequestPartApproved,
    RequestRefused,
    RequestWithdrawn,
    PaymentRunScheduled,
    PaymentRunPaid,
    PaymentRunCancelled,
    ImpactRecorded,
)


class RequestRegisterProjection:
    name = "pp_requests"
    schema = "pupil_premium"
    tables = ("requests", "impact_outcomes")
    event_types = frozenset(cls.event_type for cls in HANDLED)

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        decoded = PUPIL_PREMIUM_EVENTS.decode(event.event_type, event.schema_version, event.data)
        match decoded:
            case PupilPremiumPlusRequested():
                await _insert_request(conn, decoded, event.position)
            case MoreInformationRequested():
                await _step(
                    conn,
                    decoded.financial_year,
                    decoded.request_id,
                    decoded.decided_on,
                    RequestStatus.AWAITING_INFORMATION,
                    appended={
                        "questions": {
                            "asked_on": decoded.decided_on.isoformat(),
                            "questions": list(decoded.questions),
                            "panel_members": list(decoded.panel_members),
                        }
                    },
                )
            case MoreInformationProvided():
                await _step(
                    conn,
                    decoded.financial_year,
                    decoded.request_id,
                    decoded.provided_on,
                    RequestStatus.SUBMITTED,
                    amount_requested_pence=decoded.amount_pence,
                    appended={
                        "information": {
                            "provided_on": decoded.provided_on.isoformat(),
                            "information": decoded.information,
                            "provided_by": decoded.provided_by,
                            "amount_pence": decoded.amount_pence,
                        }
                    },
                )
            case RequestApproved() | RequestPartApproved() | RequestRefused():
                await _decided(conn, decoded)
            case RequestWithdrawn():
                await _step(
                    conn,
                    decoded.financial_year,
                    decoded.request_id,
                    decoded.withdrawn_on,
                    RequestStatus.WITHDRAWN,
                    withdrawn_on=decoded.withdrawn_on,
                    withdrawal_reason=decoded.reason,
                )
            case PaymentRunScheduled():
                for request_id in _request_ids(decoded):
                    await _step(
                        conn,
                        decoded.financial_year,
                        request_id,
                        decoded.scheduled_on,
                        RequestStatus.SCHEDULED,
                        run_id=decoded.run_id,
                        scheduled_on=decoded.scheduled_on,
                    )
            case PaymentRunPaid():
                for request_id in _request_ids(decoded):
                    await _step(
                        conn,
                        decoded.financial_year,
                        request_id,
                        decoded.paid_on,
                        RequestStatus.PAID,
                        paid_on=decoded.paid_on,
                        finance_reference=decoded.finance_reference,
                    )
            case PaymentRunCancelled():
                for request_id in _request_ids(decoded):
                    # Back to the panel's decision, ready for another run.
                    await _step(
                        conn,
                        decoded.financial_year,
                        request_id,
                        decoded.cancelled_on,
                        None,
                        run_id=None,
                        scheduled_on=None,
                    )
            case ImpactRecorded():
                await _impact(conn, decoded)


async def _insert_request(conn: asyncpg.Connection, event: PupilPremiumPlusRequested, position: int) -> None:
    await conn.execute(
        """
        INSERT INTO pupil_premium.requests (
            financial_year, request_id, requested_position, child_id, school_urn, term, pep_id, targets,
            intervention_type, intervention, policy, amount_requested_pence, status, requested_on,
            requested_by, history)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
        """,
        event.financial_year,
        event.request_id,
        position,
        event.child_id,
        event.school_urn,
        event.term,
        event.pep_id,
        [target.model_dump(mode="json") for target in event.targets],
        event.intervention_type.value,
        event.intervention,
        event.policy,
        event.amount_pence,
        RequestStatus.SUBMITTED.value,
        event.requested_on,
        event.requested_by,
        [[event.requested_on.isoformat(), RequestStatus.SUBMITTED.value]],
    )


async def _decided(
    conn: asyncpg.Connection, event: RequestApproved | RequestPartApproved | RequestRefused
) -> None:
    if isinstance(event, RequestRefused):
        decision, approved = RequestStatus.REFUSED, 0
    else:
        decision = (
            RequestStatus.APPROVED if isinstance(event, RequestApproved) else RequestStatus.PART_APPROVED
        )
        approved = event.amount_approved_pence
    await _step(
        conn,
        event.financial_year,
        event.request_id,
        event.decided_on,
        decision,
        decision=decision.value,
        decided_on=event.decided_on,
        amount_approved_pence=approved,
        reasons=list(event.reasons),
        panel_members=list(event.panel_members),
    )


async def _step(
    conn: asyncpg.Connection,
    financial_year: str,
    request_id: str,
    day: date,
    status: RequestStatus | None,
    *,
    appended: dict[str, Any] | None = None,
    **columns: Any,
) -> None:
    """One dated step: the new status (None: back to the panel's decision) and changed columns."""
    values: list[Any] = [financial_year, request_id, day.isoformat(), status.value if status else None]
    sets = [
        "status = coalesce($4, decision)",
        "history = history || jsonb_build_array(jsonb_build_array($3::text, coalesce($4, decision)))",
    ]
    for name, value in columns.items():
        values.append(value)
        sets.append(f"{name} = ${len(values)}")
    for name, value in (appended or {}).items():
        values.append([value])
        sets.append(f"{name} = {name} || ${len(values)}::jsonb")
    await conn.execute(
        f"UPDATE pupil_premium.requests SET {', '.join(sets)} WHERE financial_year = $1 AND request_id = $2",
        *values,
    )


async def _impact(conn: asyncpg.Connection, event: ImpactRecorded) -> None:
    await conn.execute(
        "UPDATE pupil_premium.requests SET impact_recorded_on = $3 "
        "WHERE financial_year = $1 AND request_id = $2",
        event.financial_year,
        event.request_id,
        event.reviewed_on,
    )
    await conn.execute(
        """
        INSERT INTO pupil_premium.impact_outcomes
            (financial_year, request_id, pep_id, reviewed_on, spend_pence, paid, outcomes)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """,
        event.financial_year,
        event.request_id,
        event.pep_id,
        event.reviewed_on,
        event.spend_pence,
        event.paid,
        [outcome.model_dump(mode="json") for outcome in event.outcomes],
    )


def _request_ids(event: PaymentRunScheduled | PaymentRunPaid | PaymentRunCancelled) -> list[str]:
    return [line.item_id for line in event.payments if line.item == "request"]
