"""The council's term dates and PEP timing policy versions, as set and as read."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from shared.text import NameOrEmpty

from pep.domain.terms import TermDates
from pep.domain.timing import PepTimingPolicy, ReviewDeadline

from .commands import Body


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
