"""Adviser support for a school: the year's allocation, increases, and visits logged against it."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from schools import access
from schools.api.answers import answer, nothing_new, recorded_types
from schools.api.schemas.support import (
    AllocationCreate,
    IncreaseCreate,
    SupportYearPublic,
    VisitCreate,
    VisitLoggedPublic,
    VisitPublic,
)
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
from schools.wiring import SchoolsDep
from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.commands import Outcome
from shared.web.context import ContextDep

router = APIRouter(prefix="/schools/{urn}/support", tags=["support"])


@router.post("/allocations", response_model=SupportYearPublic, summary="Allocate the year's adviser days")
async def allocate_support(
    urn: UrnPath,
    body: AllocationCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.ALLOCATE_SUPPORT)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> SupportYearPublic:
    year = body.academic_year or academic_year_of(ctx.today)
    outcome = await decide_support(
        schools, ctx, AllocateSupport(urn=urn, academic_year=year, allocated_on=ctx.today)
    )
    answer(response, outcome)
    return _year(urn, year, outcome)


@router.post(
    "/increases",
    response_model=SupportYearPublic,
    status_code=201,
    responses=nothing_new(SupportYearPublic),
    summary="Add days to a year",
)
async def increase_support(
    urn: UrnPath,
    body: IncreaseCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.INCREASE_SUPPORT)],
    ctx: ContextDep,
    schools: SchoolsDep,
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
    outcome = await decide_support(schools, ctx, command)
    answer(response, outcome, created=True)
    return _year(urn, year, outcome)


@router.post(
    "/visits",
    response_model=VisitLoggedPublic,
    status_code=201,
    responses=nothing_new(VisitLoggedPublic),
    summary="Log an adviser's visit",
)
async def log_visit(
    urn: UrnPath,
    body: VisitCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.LOG_VISIT)],
    ctx: ContextDep,
    schools: SchoolsDep,
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
    outcome = await decide_support(schools, ctx, command)
    answer(response, outcome, created=True)
    # A retried request (same Idempotency-Key) answers with the visit first logged.
    visit = next(e for e in map(schools.log.decode, outcome.recorded) if isinstance(e, AdviserVisitLogged))
    return VisitLoggedPublic(
        **{**visit.model_dump(include=set(VisitPublic.model_fields)), "days": days(visit.days)},
        year=_year(urn, visit.academic_year, outcome),
        recorded=recorded_types(outcome),
    )


def _year(urn: str, year: int, outcome: Outcome[SupportRecord]) -> SupportYearPublic:
    support = outcome.state.year(year) or YearSupport()
    return SupportYearPublic.of(urn, year, support, outcome.version, recorded_types(outcome))
