"""The virtual school's reports: termly PEP compliance, PEPs coming due, overdue PEPs, persistent absence,
exclusions, and school days lost awaiting a place."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from shared.calendar import add_working_days
from shared.security.principal import Principal
from shared.urn import UrnQuery
from shared.web.paging import single_page

from pep import access
from pep.queries import reports as queries
from pep.wiring import PepDep

from .schemas.reports import (
    CompliancePublic,
    DaysLostPublic,
    ExclusionsPublic,
    OverduePepsPublic,
    PepsComingDuePublic,
    PersistentAbsencePublic,
)

router = APIRouter(prefix="/reports", tags=["reports"])

Reader = Annotated[Principal, Depends(access.READ_VIRTUAL_SCHOOL)]

# Twelve weeks: further ahead than a term, every child's next termly review is "coming due" and
# the list stops being one to chase from.
COMING_DUE_LONGEST_WINDOW = 60


@router.get(
    "/pep-compliance",
    response_model=CompliancePublic,
    summary="PEPs due, in time, late and overdue by term and school",
)
async def pep_compliance(
    principal: Reader,
    pep: PepDep,
    academic_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    urn: UrnQuery = None,
) -> CompliancePublic:
    report = await queries.compliance(pep.pool, academic_year, urn)
    return CompliancePublic.model_validate({"as_of": pep.today(), **report})


@router.get(
    "/peps-coming-due",
    response_model=PepsComingDuePublic,
    summary="PEPs not yet in place that fall due within the next N working days",
)
async def peps_coming_due(
    principal: Reader,
    pep: PepDep,
    within_working_days: Annotated[
        int,
        Query(
            ge=1, le=COMING_DUE_LONGEST_WINDOW, description="how many working days ahead to look (default 10)"
        ),
    ] = 10,
    urn: UrnQuery = None,
) -> PepsComingDuePublic:
    """Initiations, PEPs after entering care or a change of school and termly reviews due from
    today to the Nth working day after it (England's working days: school holidays count, bank
    holidays do not), soonest first. A deadline due today is listed here; from tomorrow it is
    overdue (``/reports/overdue-peps``)."""
    today = pep.today()
    due_by = add_working_days(today, within_working_days)
    items = await queries.coming_due(pep.pool, today, due_by, urn)
    return PepsComingDuePublic.model_validate({"as_of": today, "due_by": due_by, **single_page(items)})


@router.get(
    "/overdue-peps",
    response_model=OverduePepsPublic,
    summary="PEPs the deadline scheduler has recorded overdue",
)
async def overdue_peps(
    principal: Reader,
    pep: PepDep,
    urn: UrnQuery = None,
    include_resolved: bool = False,
) -> OverduePepsPublic:
    items = await queries.overdue(pep.pool, urn, include_resolved)
    return OverduePepsPublic.model_validate({"as_of": pep.today(), **single_page(items)})


@router.get(
    "/persistent-absence",
    response_model=PersistentAbsencePublic,
    summary="Looked-after children whose latest recorded attendance is below 90%",
)
async def persistent_absence(principal: Reader, pep: PepDep, urn: UrnQuery = None) -> PersistentAbsencePublic:
    report = await queries.persistent_absence(pep.pool, urn)
    return PersistentAbsencePublic.model_validate(
        {"as_of": pep.today(), **report, **single_page(report["items"])}
    )


@router.get(
    "/exclusions",
    response_model=ExclusionsPublic,
    summary="Exclusions recorded at PEP reviews, unofficial ones flagged",
)
async def exclusions(
    principal: Reader,
    pep: PepDep,
    urn: UrnQuery = None,
    unofficial: bool | None = None,
    first_day_from: date | None = None,
    first_day_to: date | None = None,
) -> ExclusionsPublic:
    report = await queries.exclusions(pep.pool, urn, unofficial, first_day_from, first_day_to)
    return ExclusionsPublic.model_validate({**report, **single_page(report["items"])})


@router.get(
    "/days-lost-awaiting-place",
    response_model=DaysLostPublic,
    summary="School days lost while children awaited a school place",
)
async def days_lost(principal: Reader, pep: PepDep) -> DaysLostPublic:
    today = pep.today()
    calendar = (await pep.config()).school_calendar()
    report = await queries.days_lost_awaiting_place(pep.pool, calendar, today)
    return DaysLostPublic.model_validate({"as_of": today, **report, **single_page(report["items"])})
