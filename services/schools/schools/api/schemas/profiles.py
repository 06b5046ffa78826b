"""Reading schools: the list with its filters, and one school's profile."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from schools.api.schemas.categorisation import ProposalPublic
from schools.api.schemas.inspections import InspectionPublic
from schools.api.schemas.reviews import ReviewPublic
from schools.api.schemas.rise import RiseEngagementPublic
from schools.api.schemas.support import SupportYearPublic, VisitPublic
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.frameworks import FIVE_POINT, FOUR_POINT
from shared.web.paging import Page

#: Every headline judgement of every framework, for the list's filter.
Judgement = StrEnum("Judgement", {grade: grade for grade in (*FOUR_POINT, *FIVE_POINT)})


class SchoolSummaryPublic(BaseModel):
    urn: str
    name: str
    la_code: str
    establishment_type: EstablishmentType
    phase: Phase
    status: SchoolStatus
    maintained: bool
    latest_judgement: str | None
    latest_inspected_on: date | None
    latest_category_of_concern: str | None
    good_or_better: bool | None
    category: str | None
    below_floor: bool
    downward_trend: bool
    stuck: bool
    at_risk: bool


class SchoolListPublic(Page[SchoolSummaryPublic]):
    """The schools on the register, in URN order, a page at a time."""


class OfstedPublic(BaseModel):
    latest_inspection_id: str | None
    latest_inspected_on: date | None
    latest_framework: str | None
    latest_judgement: str | None
    latest_category_of_concern: str | None
    good_or_better: bool | None
    stuck: bool
    inspections: list[InspectionPublic]


class CategoryPublic(BaseModel):
    category: str | None
    categorised_on: date | None
    review_cycle: str | None
    pending_proposal: ProposalPublic | None


class PerformancePublic(BaseModel):
    below_floor: bool
    downward_trend: bool
    results: dict[str, dict[str, dict[str, str]]]
    floor_outcomes: dict[str, dict[str, bool]]
    downward_trends: dict[str, dict[str, Any]]


class SchoolProfilePublic(SchoolSummaryPublic):
    la_name: str | None
    religious_character: str | None
    diocese: str | None
    opened_on: date | None
    closed_on: date | None
    headteacher: str | None
    chair_of_governors: str | None
    designated_teacher: str | None
    has_foundation_governors: bool
    predecessor_urn: str | None
    successor_urn: str | None
    registered_on: date
    ofsted: OfstedPublic
    categorisation: CategoryPublic
    performance: PerformancePublic
    support: list[SupportYearPublic]
    visits: list[VisitPublic]
    reviews: list[ReviewPublic]
    rise_engagements: list[RiseEngagementPublic]
    versions: dict[str, int]
