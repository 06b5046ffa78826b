"""The virtual school's reports: termly PEP compliance, overdue PEPs, persistent absence,
exclusions, and school days lost awaiting a place."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query

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
    PersistentAbsencePublic,
)

router = APIRouter(prefix="/reports", tags=["reports"])

Reader = Annotated[Principal, Depends(access.READ_VIRTUAL_SCHOOL)]


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
