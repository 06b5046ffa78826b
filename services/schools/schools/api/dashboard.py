"""The council's dashboard of its schools, and the progress reviews now overdue."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from schools import access, queries
from schools.api.schemas import ReviewPublic
from schools.domain.terms import academic_year_label, academic_year_of
from schools.queries import days
from shared.security.principal import Principal
from shared.web.context import PoolDep

router = APIRouter(tags=["dashboard"])


class PhasePublic(BaseModel):
    phase: str
    schools: int
    inspected: int
    good_or_better: int
    share_good_or_better: float | None


class ConcernPublic(BaseModel):
    total: int
    serious_weaknesses: int
    special_measures: int


class SupportTotalsPublic(BaseModel):
    academic_year: int
    academic_year_label: str
    schools_supported: int
    days_allocated: float
    days_increased: float
    days_total: float
    days_used: float
    days_remaining: float


class DashboardPublic(BaseModel):
    """Open schools only. The share good or better is of the schools with a graded inspection."""

    as_of: date
    schools: int
    inspected: int
    good_or_better: int
    share_good_or_better: float | None
    by_phase: list[PhasePublic]
    in_category_of_concern: ConcernPublic
    council_categories: dict[str, int]
    below_floor: int
    downward_trend: int
    stuck: int
    at_risk: int
    support: SupportTotalsPublic


class OverdueReviewPublic(ReviewPublic):
    school_name: str
    current_category: str | None
    days_overdue: int


class OverdueReviewsPublic(BaseModel):
    as_of: date
    reviews: list[OverdueReviewPublic]


@router.get("/dashboard", response_model=DashboardPublic, summary="The council's dashboard of its schools")
async def council_dashboard(
    request: Request,
    principal: Annotated[Principal, Depends(access.READ)],
    pool: PoolDep,
    academic_year: Annotated[
        int | None, Query(ge=1990, le=2100, description="for support days; this academic year if not given")
    ] = None,
) -> DashboardPublic:
    today = request.app.state.clock.today()
    year = academic_year or academic_year_of(today)
    found = await queries.dashboard(pool, year)
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
    request: Request,
    principal: Annotated[Principal, Depends(access.READ)],
    pool: PoolDep,
) -> OverdueReviewsPublic:
    """Reviews scheduled and neither held nor cancelled whose planned date is before today."""
    today = request.app.state.clock.today()
    rows = await queries.overdue_reviews(pool, today)
    return OverdueReviewsPublic(
        as_of=today,
        reviews=[
            OverdueReviewPublic(
                **{**row, "actions": row["actions"] or []}, days_overdue=(today - row["due_on"]).days
            )
            for row in rows
        ],
    )


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
