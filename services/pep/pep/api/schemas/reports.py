"""The virtual school's reports, as the API answers them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from shared.web.paging import Page

from .education_record import PersonalDataErasedOn, TermPublic
from .virtual_school import RollChildPublic


class ComplianceCountsPublic(BaseModel):
    due: int
    completed_in_time: int
    late: int
    overdue: int
    not_yet_due: int
    in_time_percentage: Decimal | None


class TermCompliancePublic(ComplianceCountsPublic):
    term: TermPublic
    rose_on_previous_term: bool | None


class SchoolCompliancePublic(ComplianceCountsPublic):
    term: TermPublic
    urn: str | None


class CompliancePublic(BaseModel):
    as_of: date
    terms: list[TermCompliancePublic]
    by_school: list[SchoolCompliancePublic]


class PepDeadlinePublic(BaseModel):
    """A child's PEP deadline: ``deadline`` names it, ``kind`` says which PEP is due."""

    child_id: str
    name: str | None
    personal_data_erased_on: PersonalDataErasedOn
    deadline: str
    kind: str
    due_on: date
    term: TermPublic | None
    urn: str | None


class PepComingDuePublic(PepDeadlinePublic):
    working_days_left: int = Field(
        description="working days after today up to and including the due date (0: due today)"
    )


class PepsComingDuePublic(Page[PepComingDuePublic]):
    """Every PEP deadline not yet met and due within the window, in one page, soonest first."""

    as_of: date
    due_by: date = Field(description="the last day of the window: the Nth working day after as_of")


class OverduePepPublic(PepDeadlinePublic):
    overdue_since: date = Field(description="the day after the due date: the first day the PEP was overdue")
    noticed_on: date = Field(description="the day the deadline scheduler recorded the PEP overdue")
    in_place_on: date | None


class OverduePepsPublic(Page[OverduePepPublic]):
    """Every overdue PEP deadline, in one page, earliest due first."""

    as_of: date


class PersistentAbsencePublic(Page[RollChildPublic]):
    """The persistently absent children, in one page, lowest attendance first."""

    as_of: date
    with_attendance_recorded: int
    persistently_absent: int
    persistently_absent_percentage: Decimal | None


class ExclusionItemPublic(BaseModel):
    child_id: str
    name: str | None
    personal_data_erased_on: PersonalDataErasedOn
    pep_id: str
    urn: str | None
    kind: str
    first_day: date
    school_days: Decimal | None
    reason: str
    unofficial: bool
    reported_on: date


class ExclusionsPublic(Page[ExclusionItemPublic]):
    """Every exclusion matching the filters, in one page, by first day."""

    exclusions: int
    fixed_term: int
    permanent: int
    unofficial: int
    children: int


class DaysLostItemPublic(BaseModel):
    child_id: str
    name: str | None
    personal_data_erased_on: PersonalDataErasedOn
    care_status: str
    current_urn: str | None
    awaiting_place_since: date | None
    school_days_lost_on_completed_waits: int
    school_days_lost_in_current_wait: int
    school_days_lost: int


class DaysLostPublic(Page[DaysLostItemPublic]):
    """Every child who lost school days awaiting a place, in one page, by child id."""

    as_of: date
    children: int
    awaiting_school_place_now: int
    school_days_lost: int
