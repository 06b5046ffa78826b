"""The shapes of a child's education record and PEPs as the API answers them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, Field

from shared.web.paging import Page

PersonalDataErasedOn = Annotated[
    date | None,
    Field(
        description="The day the child's personal data was erased (UK GDPR): from then on their "
        "name, date of birth, social worker, carer, IRO and the words recorded about them are null. "
        "Null while their personal data is kept."
    ),
]


class TermPublic(BaseModel):
    academic_year: int
    season: str
    name: str


class CareEpisodePublic(BaseModel):
    entered_on: date
    left_on: date | None
    legal_status: str
    left_reason: str | None


class CurrentSchoolPublic(BaseModel):
    urn: str
    since: date


class SchoolPlacePublic(BaseModel):
    urn: str
    start_date: date
    end_date: date | None


class PepSummaryPublic(BaseModel):
    pep_id: str
    term: TermPublic
    occasion: str
    status: str
    urn: str | None
    initiated_on: date
    school_changed_on: date | None
    submitted_on: date | None
    returned_reason: str | None
    rating: str | None
    comments: str | None
    quality_assured_on: date | None
    completed_on: date | None
    due_on: date | None
    completed_in_time: bool | None
    target_ids: list[str]


class TargetPublic(BaseModel):
    target_id: str
    subject_or_area: str
    baseline: str
    target: str
    by_when: date
    who: str
    pep_id: str
    in_force: bool
    closed: bool
    progress: list[dict[str, Any]]


class AttendancePublic(BaseModel):
    pep_id: str
    term: TermPublic
    meeting_date: date
    percentage: Decimal
    period_start: date
    period_end: date
    from_daily_marks: bool = Field(
        description="worked out from the schools' daily marks (the review gave no figure), not given by the school"
    )
    persistent_absence: bool


class ExclusionPublic(BaseModel):
    pep_id: str
    term: TermPublic
    urn: str | None
    kind: str
    first_day: date
    school_days: Decimal | None
    reason: str
    unofficial: bool


class VersionsPublic(BaseModel):
    child: int
    peps: int


class EducationRecordPublic(BaseModel):
    child_id: str
    name: str | None
    date_of_birth: date | None
    care_status: str
    legal_status: str | None
    placing_authority: str
    social_worker: str | None
    carer: str | None
    independent_reviewing_officer: str | None
    sen_status: str
    year_group: str | None
    care_episodes: list[CareEpisodePublic]
    current_school: CurrentSchoolPublic | None
    awaiting_school_place_since: date | None
    school_history: list[SchoolPlacePublic]
    school_days_lost_awaiting_place: int
    pep_status: str
    current_pep_id: str | None
    peps: list[PepSummaryPublic]
    targets: list[TargetPublic]
    attendance: list[AttendancePublic]
    exclusions: list[ExclusionPublic]
    versions: VersionsPublic
    personal_data_erased_on: PersonalDataErasedOn


class PepListPublic(Page[PepSummaryPublic]):
    """A child's PEPs, all in one page, oldest term first."""

    child_id: str
    version: int
    personal_data_erased_on: PersonalDataErasedOn


class PepDetailPublic(PepSummaryPublic):
    strengths_and_needs: str | None
    review: dict[str, Any] | None
    targets: list[TargetPublic]
    carried_targets: list[TargetPublic]
    unofficial_exclusions_flagged: list[dict[str, Any]]
    personal_data_erased_on: PersonalDataErasedOn
