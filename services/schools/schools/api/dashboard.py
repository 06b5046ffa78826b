"""The council's dashboard of its schools, and the progress reviews now overdue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from schools import access, queries
from schools.api.schemas.dashboard import (
    ConcernPublic,
    DashboardPublic,
    OverdueReviewPublic,
    OverdueReviewsPublic,
    PhasePublic,
    SupportTotalsPublic,
)
from schools.domain.terms import academic_year_label, academic_year_of
from schools.queries import days
from schools.wiring import SchoolsDep
from shared.security.principal import Principal
from shared.web.paging import single_page

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard", response_model=DashboardPublic, summary="The council's dashboard of its schools")
async def council_dashboard(
    principal: Annotated[Principal, Depends(access.READ)],
    schools: SchoolsDep,
    academic_year: Annotated[
        int | None, Query(ge=1990, le=2100, description="for support days; this academic year if not given")
    ] = None,
) -> DashboardPublic:
    today = schools.today()
    year = academic_year or academic_year_of(today)
    found = await queries.dashboard(schools.pool, year)
    totals, support = found["totals"], found["support"]
    total_days = support["allocated"] + support["increased"]
    return DashboardPublic(
        as_of=today,
        schools=totals["schools"],
        inspected=totals["inspected"],
        good_or_better=totals["good_or_better"],
        share_good_or_better=_share(totals["good_or_better"], totals["inspected"]),
        by_phase=[
            PhasePublic(**row, share_good_or_better=_share(row["good_or_better"], row["inspected"]))
            for row in found["phases"]
        ],
        in_category_of_concern=ConcernPublic(
            total=totals["serious_weaknesses"] + totals["special_measures"],
            serious_weaknesses=totals["serious_weaknesses"],
            special_measures=totals["special_measures"],
        ),
        council_categories=found["categories"],
        below_floor=totals["below_floor"],
        downward_trend=totals["downward_trend"],
        stuck=totals["stuck"],
        at_risk=totals["at_risk"],
        support=SupportTotalsPublic(
            academic_year=year,
            academic_year_label=academic_year_label(year),
            schools_supported=support["schools_supported"],
            days_allocated=days(support["allocated"]),
            days_increased=days(support["increased"]),
            days_total=days(total_days),
            days_used=days(support["used"]),
            days_remaining=days(total_days - support["used"]),
        ),
    )


@router.get("/reviews/overdue", response_model=OverdueReviewsPublic, summary="Progress reviews now overdue")
async def overdue_reviews(
    principal: Annotated[Principal, Depends(access.READ)],
    schools: SchoolsDep,
) -> OverdueReviewsPublic:
    """Reviews scheduled and neither held nor cancelled whose planned date is before today."""
    today = schools.today()
    rows = await queries.overdue_reviews(schools.pool, today)
    return OverdueReviewsPublic(
        as_of=today,
        **single_page(
            OverdueReviewPublic(
                **{**row, "actions": row["actions"] or []}, days_overdue=(today - row["due_on"]).days
            )
            for row in rows
        ),
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
