"""School projects (plan, cohort, milestones, decision, payment) and payment runs, for listing.

Each row is the project or the run as the budget's fold has it (``domain.budget_state``): after
every budget event, the projects and runs the event changed are written again from the folded
state.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from shared.eventlog.folds import write_row

from pupil_premium.domain.budget_state import MilestoneMet, PaymentRun, ProjectState
from pupil_premium.domain.events import Milestone
from pupil_premium.projections.budget_fold import BudgetReadModel, Step, year_of


class SchoolProjectsProjection(BudgetReadModel):
    """Each school project as the budget's fold has it, written again whenever an event changes it
    (its decision, a milestone met, a payment run it is in)."""

    name = "pp_projects"
    tables = ("projects",)

    async def write(self, conn: asyncpg.Connection, step: Step, position: int) -> None:
        for project, _ in step.changed(lambda budget: budget.projects):
            # The log position of the event that proposed the project orders the list.
            row = {**_project_columns(year_of(step), project), "proposed_position": position}
            await write_row(
                conn, "pupil_premium.projects", row, key=("financial_year", "project_id"), kept=("proposed_position",)
            )


def _project_columns(financial_year: str, project: ProjectState) -> dict[str, Any]:
    return {
        "financial_year": financial_year,
        "project_id": project.project_id,
        "school_urn": project.school_urn,
        "title": project.title,
        "plan": project.plan,
        "child_ids": list(project.child_ids),
        "milestones": [_milestone_json(m, project.met.get(m.milestone_id)) for m in project.milestones],
        "amount_requested_pence": project.amount_requested_pence,
        "amount_approved_pence": project.amount_approved_pence,
        "status": project.status.value,
        "proposed_on": project.proposed_on,
        "proposed_by": project.proposed_by,
        "decided_on": project.decided_on,
        "reasons": list(project.reasons),
        "panel_members": list(project.panel_members),
        "run_id": project.run_id,
        "paid_on": project.paid_on,
    }


def _milestone_json(milestone: Milestone, met: MilestoneMet | None) -> dict[str, Any]:
    """A milestone as proposed, with the day it was met and the evidence (None until it is)."""
    return {
        **milestone.model_dump(mode="json"),
        "met_on": met.met_on.isoformat() if met else None,
        "evidence": met.evidence if met else None,
    }


class PaymentRunsProjection(BudgetReadModel):
    """Each payment run as the budget's fold has it, written again whenever an event changes it."""

    name = "pp_payment_runs"
    tables = ("payment_runs",)

    async def write(self, conn: asyncpg.Connection, step: Step, position: int) -> None:
        for run, _ in step.changed(lambda budget: budget.runs):
            # The log position of the event that scheduled the run orders the list.
            row = {**_run_columns(year_of(step), run), "scheduled_position": position}
            await write_row(
                conn, "pupil_premium.payment_runs", row, key=("financial_year", "run_id"), kept=("scheduled_position",)
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
