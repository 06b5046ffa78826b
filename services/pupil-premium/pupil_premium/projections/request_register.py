"""The request register: every PP+ request's story, as the budget's fold tells it.

One row per request with its current status and every dated step it went through (``history``),
so the tracking sheet and the drift-and-delay report can read a request as it stood on any day.
The reviewed outcome of its funded targets, once the next PEP review is linked to the spend, is
kept beside it (``impact_outcomes``). Each row is the request as ``domain.budget_state`` folds it:
after every budget event, the requests the event changed are written again from the folded state
(after a batch of events, once each, as the last of them left it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from shared.eventlog.folds import write_rows
from shared.eventlog.records import RecordedEvent
from shared.jsonable import state_to_json

from pupil_premium.domain.budget_state import ImpactReview, RequestState
from pupil_premium.projections.budget_fold import BudgetReadModel, Step, year_of


class RequestRegisterProjection(BudgetReadModel):
    name = "pp_requests"
    tables = ("requests", "impact_outcomes")

    async def write(self, conn: asyncpg.Connection, step: Step, position: int) -> None:
        await _write_steps(conn, [(step, position)])

    async def apply_batch(self, conn: asyncpg.Connection, records: Sequence[RecordedEvent]) -> None:
        """A batch of budget events in order: each request they changed written once, as the last
        of them left it (in the register's place the first of them gave a new one)."""
        await _write_steps(conn, [(await self._folds.step(conn, record), record.position) for record in records])


async def _write_steps(conn: asyncpg.Connection, steps: Sequence[tuple[Step, int]]) -> None:
    requests: dict[tuple[str, str], dict[str, Any]] = {}
    impacts: list[tuple] = []
    for step, position in steps:
        year = year_of(step)
        for request, earlier in step.changed(lambda budget: budget.requests):
            key = (year, request.request_id)
            # The log position of the event that made the request orders the register; a later
            # event changing the request leaves it where it was (``kept`` below, for a row
            # already written).
            made_at = requests[key]["requested_position"] if key in requests else position
            requests[key] = {**request_columns(year, request), "requested_position": made_at}
            impact = request.impact
            if impact is not None and (earlier is None or earlier.impact is not impact):
                impacts.append(_impact_row(year, request.request_id, impact))
    await write_rows(
        conn,
        "pupil_premium.requests",
        requests.values(),
        key=("financial_year", "request_id"),
        kept=("requested_position",),
    )
    if impacts:
        await conn.executemany(
            """
            INSERT INTO pupil_premium.impact_outcomes
                (financial_year, request_id, pep_id, reviewed_on, spend_pence, paid, outcomes)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """,
            impacts,
        )


def request_columns(financial_year: str, request: RequestState) -> dict[str, Any]:
    """The register's row for a request (all but the log position it was made at)."""
    return {
        "financial_year": financial_year,
        "request_id": request.request_id,
        "child_id": request.child_id,
        "school_urn": request.school_urn,
        "term": request.term,
        "pep_id": request.pep_id,
        "targets": state_to_json(request.targets),
        "intervention_type": request.intervention_type.value,
        "intervention": request.intervention,
        "policy": request.policy,
        "amount_requested_pence": request.amount_requested_pence,
        "amount_approved_pence": request.amount_approved_pence,
        "status": request.status.value,
        "decision": request.decision.value if request.decision else None,
        "requested_on": request.requested_on,
        "requested_by": request.requested_by,
        "decided_on": request.decided_on,
        "reasons": list(request.reasons),
        "panel_members": list(request.panel_members),
        "questions": state_to_json(request.questions),
        "information": state_to_json(request.information),
        "run_id": request.run_id,
        "scheduled_on": request.scheduled_on,
        "paid_on": request.paid_on,
        "finance_reference": request.finance_reference,
        "withdrawn_on": request.withdrawn_on,
        "withdrawal_reason": request.withdrawal_reason,
        "impact_recorded_on": request.impact_recorded_on,
        "history": state_to_json(request.history),
    }


def _impact_row(financial_year: str, request_id: str, impact: ImpactReview) -> tuple:
    return (
        financial_year,
        request_id,
        impact.pep_id,
        impact.reviewed_on,
        impact.spend_pence,
        impact.paid,
        state_to_json(impact.outcomes),
    )
