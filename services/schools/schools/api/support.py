"""Adviser support for a school: the year's allocation, increases, and visits logged against it."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict

from schools import access
from schools.api.deps import LogDep, answered, recorded_types
from schools.api.schemas import SupportYearPublic, VisitPublic
from schools.domain.support import (
    AdviserVisitLogged,
    AllocateSupport,
    IncreaseSupport,
    LogAdviserVisit,
    SupportRecord,
    YearSupport,
)
from schools.domain.terms import academic_year_of
from schools.handlers.support import decide_support
from schools.queries import days
from shared.security.principal import Principal
from shared.text import Narrative, Note, Quantity, Title
from shared.urn import UrnPath
from shared.web.commands import Outcome
from shared.web.context import ContextDep

router = APIRouter(prefix="/schools/{urn}/support", tags=["support"])


class AllocationCreate(BaseModel):
    """Allocate (or re-allocate, after the category or the offer changed) a year's days."""

    model_config = ConfigDict(extra="forbid")

    academic_year: int | None = None  # the year it starts (2026 is 2026-27); this year if not given


class IncreaseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    academic_year: int | None = None
    extra_days: Quantity
    reason: Note


class VisitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visited_on: date
    days: Quantity
    purpose: Title
    notes: Narrative | None = None


class VisitLoggedPublic(VisitPublic):
    year: SupportYearPublic
    recorded: list[str] = []


@router.post("/allocations", response_model=SupportYearPublic, summary="Allocate the year's adviser days")
async def allocate_support(
    urn: UrnPath,
    body: AllocationCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.ALLOCATE_SUPPORT)],
    ctx: ContextDep,
    log: LogDep,
) -> SupportYearPublic:
    year = body.academic_year or academic_year_of(ctx.today)
    outcome = await decide_support(
        log, ctx, AllocateSupport(urn=urn, academic_year=year, allocated_on=ctx.today)
    )
    answered(response, outcome)
    return _year(urn, year, outcome)


@router.post("/increases", response_model=SupportYearPublic, status_code=201, summary="Add days to a year")
async def increase_support(
    urn: UrnPath,
    body: IncreaseCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.INCREASE_SUPPORT)],
    ctx: ContextDep,
    log: LogDep,
) -> SupportYearPublic:
    year = body.academic_year or academic_year_of(ctx.today)
    command = IncreaseSupport(
        urn=urn,
        academic_year=year,
        extra_days=body.extra_days,
        reason=body.reason,
        increased_by=principal.subject,
        increased_on=ctx.today,
    )
    outcome = await decide_support(log, ctx, command)
    answered(response, outcome, created=True)
    return _year(urn, year, outcome)


@router.post("/visits", response_model=VisitLoggedPublic, status_code=201, summary="Log an adviser's visit")
async def log_visit(
    urn: UrnPath,
    body: VisitCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.LOG_VISIT)],
    ctx: ContextDep,
    log: LogDep,
) -> VisitLoggedPublic:
    command = LogAdviserVisit(
        urn=urn,
        visit_id=f"visit-{uuid.uuid4().hex[:12]}",
        visited_on=body.visited_on,
        adviser=principal.subject,
        days=body.days,
        purpose=body.purpose,
        notes=body.notes,
    )
    outcome = await decide_support(log, ctx, command)
    answered(response, outcome, created=True)
    # A retried request (same Idempotency-Key) answers with the visit first logged.
    visit = next(e for e in map(log.decode, outcome.recorded) if isinstance(e, AdviserVisitLogged))
    return VisitLoggedPublic(
        **{**visit.model_dump(include=set(VisitPublic.model_fields)), "days": days(visit.days)},
        year=_year(urn, visit.academic_year, outcome),
        recorded=recorded_types(outcome),
    )


def _year(urn: str, year: int, outcome: Outcome[SupportRecord]) -> SupportYearPublic:
    support = outcome.state.year(year) or YearSupport()
    return SupportYearPublic.of(urn, year, support, outcome.version, recorded_types(outcome))
