"""The virtual school's reports: termly PEP compliance, overdue PEPs, persistent absence,
exclusions, and school days lost awaiting a place."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from shared.security.principal import Principal
from shared.urn import UrnQuery
from shared.web.context import PoolDep, StoreDep

from pep import access
from pep.handlers.common import load_config
from pep.queries import reports as queries

from .common import TodayDep, catalogue_of
from .records import TermPublic
from .virtual_school import RollChildPublic

router = APIRouter(prefix="/reports", tags=["reports"])

Reader = Annotated[Principal, Depends(access.READ_VIRTUAL_SCHOOL)]


class ComplianceCountsPublic(BaseModel):
    due: int
    completed_in_time: int
    late: int
    overdue: int
    not_yet_due: int
    in_time_percentage: Decimal | None


class TermCompliancePublic(ComplianceCountsPublic):
    term: TermPublic
    rose_on_previous_term: bool | None


class SchoolCompliancePublic(ComplianceCountsPublic):
    term: TermPublic
    urn: str | None


class CompliancePublic(BaseModel):
    as_of: date
    terms: list[TermCompliancePublic]
    by_school: list[SchoolCompliancePublic]


class OverduePepPublic(BaseModel):
    child_id: str
    name: str | None
    deadline: str
    kind: str
    due_on: date
    overdue_since: date
    in_place_on: date | None
    term: TermPublic | None
    urn: str | None


class OverduePepsPublic(BaseModel):
    as_of: date
    overdue: list[OverduePepPublic]


class PersistentAbsencePublic(BaseModel):
    as_of: date
    with_attendance_recorded: int
    persistently_absent: int
    persistently_absent_percentage: Decimal | None
    children: list[RollChildPublic]


class ExclusionItemPublic(BaseModel):
    child_id: str
    name: str | None
    pep_id: str
    urn: str | None
    kind: str
    first_day: date
    school_days: Decimal | None
    reason: str
    unofficial: bool
    reported_on: date


class ExclusionsPublic(BaseModel):
    exclusions: int
    fixed_term: int
    permanent: int
    unofficial: int
    children: int
    items: list[ExclusionItemPublic]


class DaysLostItemPublic(BaseModel):
    child_id: str
    name: str
    care_status: str
    current_urn: str | None
    awaiting_place_since: date | None
    school_days_lost_on_completed_waits: int
    school_days_lost_in_current_wait: int
    school_days_lost: int


class DaysLostPublic(BaseModel):
    as_of: date
    children: int
    awaiting_school_place_now: int
    school_days_lost: int
    items: list[DaysLostItemPublic]


@router.get(
    "/pep-compliance",
    response_model=CompliancePublic,
    summary="PEPs due, in time, late and overdue by term and school",
)
async def pep_compliance(
    principal: Reader,
    pool: PoolDep,
    today: TodayDep,
    academic_year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    urn: UrnQuery = None,
) -> CompliancePublic:
    report = await queries.compliance(pool, academic_year, urn)
    return CompliancePublic.model_validate({"as_of": today, **report})


@router.get(
    "/overdue-peps",
    response_model=OverduePepsPublic,
    summary="PEPs the deadline scheduler has recorded overdue",
)
async def overdue_peps(
    principal: Reader,
    pool: PoolDep,
    today: TodayDep,
    urn: UrnQuery = None,
    include_resolved: bool = False,
) -> OverduePepsPublic:
    items = await queries.overdue(pool, urn, include_resolved)
    return OverduePepsPublic.model_validate({"as_of": today, "overdue": items})


@router.get(
    "/persistent-absence",
    response_model=PersistentAbsencePublic,
    summary="Looked-after children whose latest recorded attendance is below 90%",
)
async def persistent_absence(
    principal: Reader, pool: PoolDep, today: TodayDep, urn: UrnQuery = None
) -> PersistentAbsencePublic:
    report = await queries.persistent_absence(pool, urn)
    return PersistentAbsencePublic.model_validate({"as_of": today, **report})


@router.get(
    "/exclusions",
    response_model=ExclusionsPublic,
    summary="Exclusions recorded at PEP reviews, unofficial ones flagged",
)
async def exclusions(
    principal: Reader,
    pool: PoolDep,
    urn: UrnQuery = None,
    unofficial: bool | None = None,
    first_day_from: date | None = None,
    first_day_to: date | None = None,
) -> ExclusionsPublic:
    report = await queries.exclusions(pool, urn, unofficial, first_day_from, first_day_to)
    return ExclusionsPublic.model_validate(report)


@router.get(
    "/days-lost-awaiting-place",
    response_model=DaysLostPublic,
    summary="School days lost while children awaited a school place",
)
async def days_lost(
    principal: Reader, pool: PoolDep, store: StoreDep, today: TodayDep, request: Request
) -> DaysLostPublic:
    calendar = (await load_config(store, catalogue_of(request))).school_calendar()
    report = await queries.days_lost_awaiting_place(pool, calendar, today)
    return DaysLostPublic.model_validate({"as_of": today, **report})
