"""School projects (plan, cohort, milestones, decision, payment) and payment runs, for listing."""

from __future__ import annotations

from datetime import date

import asyncpg

from shared.eventlog.records import RecordedEvent

from pupil_premium.domain.budget_state import ProjectStatus, RunStatus
from pupil_premium.domain.events import (
    PUPIL_PREMIUM_EVENTS,
    PaymentRunCancelled,
    PaymentRunPaid,
    PaymentRunScheduled,
    ProjectMilestoneMet,
    SchoolProjectApproved,
    SchoolProjectProposed,
    SchoolProjectRefused,
)

PROJECT_EVENTS = (SchoolProjectProposed, SchoolProjectApproved, SchoolProjectRefused, ProjectMilestoneMet)
RUN_EVENTS = (PaymentRunScheduled, PaymentRunPaid, PaymentRunCancelled)


class SchoolProjectsProjection:
    name = "pp_projects"
    schema = "pupil_premium"
    tables = ("projects",)
    # Payment runs move projects to scheduled, paid, and back to approved.
    event_types = frozenset(cls.event_type for cls in PROJECT_EVENTS + RUN_EVENTS)

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        decoded = PUPIL_PREMIUM_EVENTS.decode(event.event_type, event.schema_version, event.data)
        fy = decoded.financial_year
        match decoded:
            case SchoolProjectProposed():
                await conn.execute(
                    """
                    INSERT INTO pupil_premium.projects (
                        financial_year, project_id, proposed_position, school_urn, title, plan, child_ids,
                        milestones, amount_requested_pence, status, proposed_on, proposed_by)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                    """,
                    fy,
                    decoded.project_id,
                    event.position,
                    decoded.school_urn,
                    decoded.title,
                    decoded.plan,
                    list(decoded.child_ids),
                    [
                        {**m.model_dump(mode="json"), "met_on": None, "evidence": None}
                        for m in decoded.milestones
                    ],
                    decoded.amount_pence,
                    ProjectStatus.PROPOSED.value,
                    decoded.proposed_on,
                    decoded.proposed_by,
                )
            case SchoolProjectApproved() | SchoolProjectRefused():
                approved = isinstance(decoded, SchoolProjectApproved)
                await conn.execute(
                    "UPDATE pupil_premium.projects SET status = $3, amount_approved_pence = $4, "
                    "decided_on = $5, reasons = $6, panel_members = $7 "
                    "WHERE financial_year = $1 AND project_id = $2",
                    fy,
                    decoded.project_id,
                    (ProjectStatus.APPROVED if approved else ProjectStatus.REFUSED).value,
                    decoded.amount_approved_pence if approved else 0,
                    decoded.decided_on,
                    list(decoded.reasons),
                    list(decoded.panel_members),
                )
            case ProjectMilestoneMet():
                milestones = await conn.fetchval(
                    "SELECT milestones FROM pupil_premium.projects "
                    "WHERE financial_year = $1 AND project_id = $2",
                    fy,
                    decoded.project_id,
                )
                for milestone in milestones:
                    if milestone["milestone_id"] == decoded.milestone_id:
                        milestone.update(met_on=decoded.met_on.isoformat(), evidence=decoded.evidence)
                await conn.execute(
                    "UPDATE pupil_premium.projects SET milestones = $3 "
                    "WHERE financial_year = $1 AND project_id = $2",
                    fy,
                    decoded.project_id,
                    milestones,
                )
            case PaymentRunScheduled():
                await _in_run(conn, decoded, ProjectStatus.SCHEDULED, decoded.run_id, None)
            case PaymentRunPaid():
                await _in_run(conn, decoded, ProjectStatus.PAID, decoded.run_id, decoded.paid_on)
            case PaymentRunCancelled():
                # Back to approved, ready for another run.
                await _in_run(conn, decoded, ProjectStatus.APPROVED, None, None)


async def _in_run(
    conn: asyncpg.Connection,
    event: PaymentRunScheduled | PaymentRunPaid | PaymentRunCancelled,
    status: ProjectStatus,
    run_id: str | None,
    paid_on: date | None,
) -> None:
    for line in event.payments:
        if line.item == "project":
            await conn.execute(
                "UPDATE pupil_premium.projects SET status = $3, run_id = $4, paid_on = $5 "
                "WHERE financial_year = $1 AND project_id = $2",
                event.financial_year,
                line.item_id,
                status.value,
                run_id,
                paid_on,
            )


class PaymentRunsProjection:
    name = "pp_payment_runs"
    schema = "pupil_premium"
    tables = ("payment_runs",)
    event_types = frozenset(cls.event_type for cls in RUN_EVENTS)

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        decoded = PUPIL_PREMIUM_EVENTS.decode(event.event_type, event.schema_version, event.data)
        key = (decoded.financial_year, decoded.run_id)
        match decoded:
            case PaymentRunScheduled():
                await conn.execute(
                    """
                    INSERT INTO pupil_premium.payment_runs (
                        financial_year, run_id, scheduled_position, status, lines, total_pence, scheduled_on)
                    VALUES ($1, $2, $3, $4, $5, $6, $7)
                    """,
                    *key,
                    event.position,
                    RunStatus.SCHEDULED.value,
                    [line.model_dump(mode="json") for line in decoded.payments],
                    decoded.total_pence,
                    decoded.scheduled_on,
                )
            case PaymentRunPaid():
                await conn.execute(
                    "UPDATE pupil_premium.payment_runs SET status = $3, paid_on = $4, finance_reference = $5 "
                    "WHERE financial_year = $1 AND run_id = $2",
                    *key,
                    RunStatus.PAID.value,
                    decoded.paid_on,
                    decoded.finance_reference,
                )
            case PaymentRunCancelled():
                await conn.execute(
                    "UPDATE pupil_premium.payment_runs SET status = $3, cancelled_on = $4, "
                    "cancellation_reason = $5 WHERE financial_year = $1 AND run_id = $2",
                    *key,
                    RunStatus.CANCELLED.value,
                    decoded.cancelled_on,
                    decoded.reason,
                )
