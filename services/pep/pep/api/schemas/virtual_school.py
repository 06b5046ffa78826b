"""The virtual school's roll and a school's own list of its children."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel

from shared.web.paging import Page

from .education_record import PersonalDataErasedOn


class RollChildPublic(BaseModel):
    child_id: str
    name: str | None
    date_of_birth: date | None
    care_status: str
    sen_status: str
    year_group: str | None
    social_worker: str | None
    current_urn: str | None
    on_roll_since: date | None
    awaiting_place_since: date | None
    school_days_lost: int
    entered_care_on: date | None
    pep_status: str
    current_pep_id: str | None
    attendance_percentage: Decimal | None
    persistent_absence: bool | None
    attendance_recorded_on: date | None
    exclusions: int
    unofficial_exclusions: int
    personal_data_erased_on: PersonalDataErasedOn


class CohortPublic(BaseModel):
    children: int
    by_year_group: dict[str, int]
    by_sen_status: dict[str, int]
    by_pep_status: dict[str, int]
    with_attendance_recorded: int
    average_attendance_percentage: Decimal | None
    persistently_absent: int
    persistently_absent_percentage: Decimal | None
    children_with_exclusions: int
    exclusions: int
    unofficial_exclusions: int
    awaiting_school_place: int
    school_days_lost_on_completed_waits: int


class RollPublic(Page[RollChildPublic]):
    """A page of the roll, in child id order; the summary is of the whole roll as filtered."""

    as_of: date
    summary: CohortPublic


class SchoolListPublic(Page[RollChildPublic]):
    """A school's looked-after children, all in one page, by name."""

    urn: str
    as_of: date
    summary: CohortPublic
