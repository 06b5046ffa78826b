"""The request register, as rows for the API and as the folded ``RequestState``s for the reports."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from pupil_premium.domain.budget_state import (
    ImpactReview,
    InformationGiven,
    QuestionsAsked,
    RequestState,
    RequestStatus,
)
from pupil_premium.domain.events import FundedTarget, InterventionType, ReviewedTarget
from pupil_premium.queries.year_rows import item_row

MAX_PAGE = 500


async def request_row(pool: asyncpg.Pool, financial_year: str, request_id: str) -> dict[str, Any] | None:
    return await item_row(pool, "requests", "request_id", financial_year, request_id)


async def list_requests(
    pool: asyncpg.Pool,
    financial_year: str,
    *,
    status: str | None = None,
    school_urn: str | None = None,
    child_id: str | None = None,
    after: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Requests in the order they were made (the log position each was requested at), from after
    the position ``after``: a new request always comes last, so none is missed or read twice."""
    rows = await pool.fetch(
        "SELECT * FROM pupil_premium.requests WHERE financial_year = $1 AND requested_position > $2"
        " AND ($3::text IS NULL OR status = $3)"
        " AND ($4::text IS NULL OR school_urn = $4)"
        " AND ($5::text IS NULL OR child_id = $5)"
        " ORDER BY requested_position LIMIT $6",
        financial_year,
        after,
        status,
        school_urn,
        child_id,
        limit,
    )
    return [dict(row) for row in rows]


async def request_records(
    pool: asyncpg.Pool, financial_year: str, *, school_urn: str | None = None
) -> list[RequestState]:
    """The year's requests as the budget's fold left them, each with its linked review if any."""
    rows = await pool.fetch(
        "SELECT r.*, i.pep_id AS reviewed_pep_id, i.reviewed_on, i.spend_pence, i.paid, i.outcomes"
        " FROM pupil_premium.requests r LEFT JOIN pupil_premium.impact_outcomes i"
        " USING (financial_year, request_id)"
        " WHERE financial_year = $1 AND ($2::text IS NULL OR school_urn = $2) ORDER BY requested_position",
        financial_year,
        school_urn,
    )
    return [request_from_row(row) for row in rows]


def request_from_row(row: asyncpg.Record | dict[str, Any]) -> RequestState:
    """A register row read back as the request state it was written from."""
    return RequestState(
        request_id=row["request_id"],
        child_id=row["child_id"],
        school_urn=row["school_urn"],
        term=row["term"],
        amount_requested_pence=row["amount_requested_pence"],
        pep_id=row["pep_id"],
        targets=tuple(FundedTarget.model_validate(t) for t in row["targets"]),
        intervention_type=InterventionType(row["intervention_type"]),
        requested_on=row["requested_on"],
        status=RequestStatus(row["status"]),
        decision=RequestStatus(row["decision"]) if row["decision"] else None,
        amount_approved_pence=row["amount_approved_pence"],
        decided_on=row["decided_on"],
        run_id=row["run_id"],
        paid_on=row["paid_on"],
        intervention=row["intervention"],
        policy=row["policy"],
        requested_by=row["requested_by"],
        reasons=tuple(row["reasons"]),
        panel_members=tuple(row["panel_members"]),
        questions=tuple(
            QuestionsAsked(date.fromisoformat(q["asked_on"]), tuple(q["questions"]), tuple(q["panel_members"]))
            for q in row["questions"]
        ),
        information=tuple(
            InformationGiven(
                date.fromisoformat(i["provided_on"]), i["information"], i["provided_by"], i["amount_pence"]
            )
            for i in row["information"]
        ),
        scheduled_on=row["scheduled_on"],
        finance_reference=row["finance_reference"],
        withdrawn_on=row["withdrawn_on"],
        withdrawal_reason=row["withdrawal_reason"],
        impact=_impact_from(row),
        history=tuple((date.fromisoformat(day), RequestStatus(status)) for day, status in row["history"]),
    )


def _impact_from(row: asyncpg.Record | dict[str, Any]) -> ImpactReview | None:
    """The linked review, when the row was read with it (``request_records``) and there is one."""
    if row.get("outcomes") is None:
        return None
    return ImpactReview(
        pep_id=row["reviewed_pep_id"],
        reviewed_on=row["reviewed_on"],
        spend_pence=row["spend_pence"],
        paid=row["paid"],
        outcomes=tuple(ReviewedTarget.model_validate(o) for o in row["outcomes"]),
    )
