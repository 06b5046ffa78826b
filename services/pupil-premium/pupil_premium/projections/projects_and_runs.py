"""School projects (plan, cohort, milestones, decision, payment) and payment runs, for listing.

A payment run's row is the run as the budget's fold has it. A project's row keeps what the fold
does not (its title and plan, who proposed it, the panel's reasons, the evidence for each
milestone, the day it was paid), so it is still written from the events.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from shared.eventlog.records import RecordedEvent

from pupil_premium.domain.budget_state import PaymentRun, ProjectStatus
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
from pupil_premium.projections.budget_fold import BudgetReadModel, Step, write_row

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


class PaymentRunsProjection(BudgetReadModel):
    """Each payment run as the budget's fold has it, written again whenever an event changes it."""

    name = "pp_payment_runs"
    tables = ("payment_runs",)

    async def write(self, conn: asyncpg.Connection, step: Step, position: int) -> None:
        for run, _ in step.changed(lambda budget: budget.runs):
            # The log position of the event that scheduled the run orders the list.
            row = {**_run_columns(step.financial_year, run), "scheduled_position": position}
            await write_row(
                conn, "payment_runs", row, key=("financial_year", "run_id"), kept=("scheduled_position",)
            )


def _run_columns(financial_year: str, run: PaymentRun) -> dict[str, Any]:
    return {
        "financial_year": financial_year,
        "run_id": run.run_id,
        "status": run.status.value,
        "lines": [line.model_dump(mode="json") for line in run.lines],
        "total_pence": run.total_pence,
        "scheduled_on": run.scheduled_on,
        "paid_on": run.paid_on,
        "finance_reference": run.finance_reference,
        "cancelled_on": run.cancelled_on,
        "cancellation_reason": run.cancellation_reason,
    }
