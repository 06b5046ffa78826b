"""The council calendar: the term dates of each academic year, entered once for every service.

The pep service counts school days on it (PEP deadlines), this service reviews schools each
half-term of it, and the pupil-premium service names the terms requests are made for by it; each
reads the calendar from the log when it decides, so a year set here is in force everywhere as
soon as this answers.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from schools import access
from schools.api.answers import answer
from schools.api.schemas.calendar import CalendarPublic, CalendarYearPublic, TermDatesSetBody
from schools.api.schemas.paths import AcademicYear
from schools.handlers.calendar import set_term_dates
from schools.wiring import SchoolsDep
from shared.council_calendar import AcademicYearTerms, TermDates
from shared.errors import NotFound
from shared.security.principal import Principal
from shared.web.commands import etag
from shared.web.context import ContextDep

router = APIRouter(prefix="/council/term-dates", tags=["council calendar"])


@router.put(
    "/{academic_year}", response_model=CalendarYearPublic, summary="Set an academic year's term dates"
)
async def set_academic_year(
    academic_year: AcademicYear,
    body: TermDatesSetBody,
    response: Response,
    principal: Annotated[Principal, Depends(access.SET_TERM_DATES)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> CalendarYearPublic:
    """Replaces any dates set before for that year. The years set must follow on from each other,
    so that school days can be counted from one to the next."""
    terms = AcademicYearTerms(
        academic_year=academic_year,
        autumn=TermDates(**body.autumn.model_dump()),
        spring=TermDates(**body.spring.model_dump()),
        summer=TermDates(**body.summer.model_dump()),
        closure_days=tuple(body.closure_days),
    )
    outcome = await set_term_dates(schools, ctx, body.council, terms)
    answer(response, outcome)
    return CalendarYearPublic.of(outcome.state.years[academic_year])


@router.get("", response_model=CalendarPublic, summary="The council calendar: every year set")
async def calendar(
    response: Response, principal: Annotated[Principal, Depends(access.READ_TERM_DATES)], schools: SchoolsDep
) -> CalendarPublic:
    loaded = await schools.calendar()
    response.headers["ETag"] = etag(loaded.version)
    return CalendarPublic(
        council=loaded.state.council,
        version=loaded.version,
        years=[CalendarYearPublic.of(year) for year in loaded.state.in_order()],
    )


@router.get("/{academic_year}", response_model=CalendarYearPublic, summary="An academic year's term dates")
async def academic_year_terms(
    academic_year: AcademicYear,
    principal: Annotated[Principal, Depends(access.READ_TERM_DATES)],
    schools: SchoolsDep,
) -> CalendarYearPublic:
    year = (await schools.calendar()).state.years.get(academic_year)
    if year is None:
        raise NotFound(f"the council has not set term dates for {academic_year}", field="academic_year")
    return CalendarYearPublic.of(year)
