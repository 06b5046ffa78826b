"""The council's dashboard of its schools, and the reviews now overdue."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from schools.api.schemas.reviews import ReviewPublic
from shared.web.paging import Page


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


class OverdueReviewsPublic(Page[OverdueReviewPublic]):
    """Every review now overdue, in one page."""

    as_of: date
