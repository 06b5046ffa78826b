"""The council's PEP timing and attendance policy versions, set by the virtual school head, and the term dates PEP
deadlines are counted on: the council calendar's, set once for every service at the schools
service's ``PUT /council/term-dates/{academic_year}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from shared.security.principal import Principal
from shared.web.context import ContextDep

from pep import access
from pep.domain.attendance_policy import AttendancePolicy
from pep.domain.timing import PepTimingPolicy
from pep.handlers import council
from pep.wiring import PepDep

from .answers import answer, nothing_new
from .schemas.attendance import AttendancePoliciesPublic, AttendancePolicyCreate
from .schemas.commands import CommandResultPublic
from .schemas.council import (
    TermDatesPublic,
    TermYearPublic,
    TimingPoliciesPublic,
    TimingPolicyCreate,
)

router = APIRouter(prefix="/council", tags=["council settings"])

Setter = Annotated[Principal, Depends(access.SET_COUNCIL_SETTINGS)]
Reader = Annotated[Principal, Depends(access.READ_COUNCIL_SETTINGS)]


@router.get("/term-dates", response_model=TermDatesPublic, summary="The council's term dates")
async def term_dates(principal: Reader, pep: PepDep) -> TermDatesPublic:
    config = await pep.config()
    years = [config.term_years[year] for year in sorted(config.term_years)]
    return TermDatesPublic(
        council=config.council,
        years=[TermYearPublic(**year.model_dump()) for year in years],
    )


@router.post(
    "/pep-timing-policies",
    response_model=CommandResultPublic,
    status_code=201,
    responses=nothing_new(),
    summary="Set a version of the PEP timing policy, in force from its effective date",
)
async def set_timing_policy(
    principal: Setter, body: TimingPolicyCreate, pep: PepDep, ctx: ContextDep, response: Response
) -> CommandResultPublic:
    policy = PepTimingPolicy(**body.model_dump())
    return answer(await council.set_timing_policy(pep, ctx, policy), response, created=True)


@router.get(
    "/pep-timing-policies", response_model=TimingPoliciesPublic, summary="The PEP timing policy versions"
)
async def timing_policies(principal: Reader, pep: PepDep) -> TimingPoliciesPublic:
    policies = (await pep.config()).timing_policies()
    return TimingPoliciesPublic(
        versions=list(policies.versions), in_force_today=policies.in_force_on(pep.today())
    )


@router.post(
    "/attendance-policies",
    response_model=CommandResultPublic,
    status_code=201,
    responses=nothing_new(),
    summary="Set a version of the attendance policy (alert thresholds and periods), in force from its effective date",
)
async def set_attendance_policy(
    principal: Setter, body: AttendancePolicyCreate, pep: PepDep, ctx: ContextDep, response: Response
) -> CommandResultPublic:
    policy = AttendancePolicy(**body.model_dump())
    return answer(await council.set_attendance_policy(pep, ctx, policy), response, created=True)


@router.get(
    "/attendance-policies", response_model=AttendancePoliciesPublic, summary="The attendance policy versions"
)
async def attendance_policies(principal: Reader, pep: PepDep) -> AttendancePoliciesPublic:
    policies = (await pep.config()).attendance_policies()
    return AttendancePoliciesPublic(versions=list(policies.versions), in_force_today=policies.in_force_on(pep.today()))
