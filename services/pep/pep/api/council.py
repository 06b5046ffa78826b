"""The council's term dates and PEP timing policy versions, set by the virtual school head."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, Field

from shared.security.principal import Principal
from shared.text import NameOrEmpty
from shared.web.context import ContextDep, StoreDep

from pep import access
from pep.domain.terms import TermCalendar, TermDates
from pep.domain.timing import PepTimingPolicy, ReviewDeadline
from pep.handlers import council
from pep.handlers.common import load_config

from .common import Body, CommandResultPublic, TodayDep, answer, catalogue_of

router = APIRouter(prefix="/council", tags=["council settings"])

AcademicYear = Annotated[
    int, Path(ge=2000, le=2100, description="The year the academic year starts: 2026 is 2026/27")
]


class TermDatesCreate(Body):
    council: NameOrEmpty = Field(default="", description="The council's name, e.g. Medway")
    autumn: TermDates
    spring: TermDates
    summer: TermDates
    closure_days: list[date] = Field(
        default_factory=list, max_length=100, description="INSET and other closure days"
    )


class TermYearPublic(BaseModel):
    academic_year: int
    autumn: TermDates
    spring: TermDates
    summer: TermDates
    closure_days: list[date]


class TermDatesPublic(BaseModel):
    council: str
    years: list[TermYearPublic]


class TimingPolicyCreate(Body):
    effective_from: date
    initiation_days: int = 10
    in_place_after_entering_care_days: int = 20
    in_place_after_change_of_school_days: int = 20
    count_school_days: bool = False
    review_deadline: ReviewDeadline = ReviewDeadline.END_OF_TERM
    review_school_days_into_term: int | None = None


class TimingPoliciesPublic(BaseModel):
    versions: list[PepTimingPolicy]
    in_force_today: PepTimingPolicy


@router.put(
    "/term-dates/{academic_year}",
    response_model=CommandResultPublic,
    summary="Set one academic year's term dates",
)
async def set_term_dates(
    principal: Annotated[Principal, Depends(access.SET_COUNCIL_SETTINGS)],
    academic_year: AcademicYear,
    body: TermDatesCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    calendar = TermCalendar(academic_year=academic_year, **body.model_dump(exclude={"council"}))
    result = await council.set_term_dates(store, catalogue_of(request), ctx, body.council, calendar)
    return answer(result, response)


@router.get("/term-dates", response_model=TermDatesPublic, summary="The council's term dates")
async def term_dates(
    principal: Annotated[Principal, Depends(access.READ_COUNCIL_SETTINGS)], store: StoreDep, request: Request
) -> TermDatesPublic:
    config = await load_config(store, catalogue_of(request))
    years = [config.term_years[year] for year in sorted(config.term_years)]
    return TermDatesPublic(
        council=config.council,
        years=[TermYearPublic(**year.model_dump()) for year in years],
    )


@router.post(
    "/pep-timing-policies",
    response_model=CommandResultPublic,
    summary="Set a version of the PEP timing policy, in force from its effective date",
)
async def set_timing_policy(
    principal: Annotated[Principal, Depends(access.SET_COUNCIL_SETTINGS)],
    body: TimingPolicyCreate,
    ctx: ContextDep,
    store: StoreDep,
    request: Request,
    response: Response,
) -> CommandResultPublic:
    policy = PepTimingPolicy(**body.model_dump())
    result = await council.set_timing_policy(store, catalogue_of(request), ctx, policy)
    return answer(result, response, created=True)


@router.get(
    "/pep-timing-policies", response_model=TimingPoliciesPublic, summary="The PEP timing policy versions"
)
async def timing_policies(
    principal: Annotated[Principal, Depends(access.READ_COUNCIL_SETTINGS)],
    today: TodayDep,
    store: StoreDep,
    request: Request,
) -> TimingPoliciesPublic:
    policies = (await load_config(store, catalogue_of(request))).timing_policies()
    return TimingPoliciesPublic(versions=list(policies.versions), in_force_today=policies.in_force_on(today))
