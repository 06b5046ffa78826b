"""Children's attendance as sent, corrected and read; the national codes; the attendance policy;
the attendance reports and alerts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from fastapi import Query
from pydantic import BaseModel, Field

from shared.text import Note
from shared.urn import Urn
from shared.web.paging import Page

from pep.domain.attendance import Session
from pep.domain.attendance_policy import AttendancePolicy, AttendancePolicySettings

from .commands import Body

Format = Annotated[Literal["json", "csv"], Query(description="csv for a spreadsheet download")]
CSV_RESPONSE = {200: {"content": {"text/csv": {}}, "description": "JSON, or CSV when format=csv"}}


class LineProblemPublic(BaseModel):
    line: int = Field(description="the CSV line (the header is line 1), or the JSON item, counted from 1")
    field: str
    reason: str


class AttendanceIntakePublic(BaseModel):
    lines_read: int
    marks_recorded: int = Field(description="new marks, and marks that replace a different earlier code")
    marks_unchanged: int = Field(description="marks that repeat what is already recorded: nothing appended")
    children: int
    events_recorded: int
    alerts_raised: int
    problems_found: int
    problems: list[LineProblemPublic] = Field(description="the lines not taken in (the first 1,000), in order")


class UpnCreate(Body):
    model_config = {"json_schema_extra": {"examples": [{"upn": "A123456789012"}]}}

    upn: str = Field(max_length=20, examples=["A123456789012"])


class AttendanceCorrectionCreate(Body):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"urn": "118000", "date": "2026-10-19", "session": "am", "code": "M",
                 "reason": "The carer showed the dentist's appointment letter"}
            ]
        }
    }

    urn: Urn
    date: date
    session: Session
    code: str = Field(max_length=3, description="the national code that is right for the session")
    reason: Note


class AttendanceCodePublic(BaseModel):
    code: str
    kind: str
    meaning: str


class AttendanceCodeListPublic(BaseModel):
    effective_from: date
    source: str
    codes: list[AttendanceCodePublic]


class AttendanceCodesPublic(BaseModel):
    lists: list[AttendanceCodeListPublic]
    in_force_today: date = Field(description="the effective date of the list in force today")


class AttendancePolicyCreate(AttendancePolicySettings, Body):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "effective_from": "2027-01-04",
                    "persistent_absence_percent": 10,
                    "severe_absence_percent": 50,
                    "rolling_school_weeks": 6,
                    "minimum_possible_sessions": 10,
                    "unexplained_absences_in_a_row": 6,
                    "missing_education_school_days": 10,
                }
            ]
        }
    }


class AttendancePoliciesPublic(BaseModel):
    versions: list[AttendancePolicy]
    in_force_today: AttendancePolicy


class MeasuresPublic(BaseModel):
    first_day: date
    last_day: date
    possible_sessions: int
    attended_sessions: int
    authorised_absence_sessions: int
    unauthorised_absence_sessions: int
    not_counted_sessions: int
    attendance_percent: Decimal | None
    absence_percent: Decimal | None
    persistently_absent: bool
    severely_absent: bool


class TermMeasuresPublic(MeasuresPublic):
    term: str


class SessionPublic(BaseModel):
    date: date
    session: Session
    urn: str
    kind: str
    code: str | None = Field(description="null once the child's personal data is erased")


class ChildAttendancePublic(BaseModel):
    child_id: str
    upn: str | None
    academic_year: int
    terms: list[TermMeasuresPublic]
    year: MeasuresPublic | None
    rolling: MeasuresPublic | None = Field(description="the child's last N school weeks (the council's policy)")
    weeks: list[MeasuresPublic] = Field(description="weekly tracking: each week of the year with marks")
    sessions: list[SessionPublic]


class AbsenceLinePublic(BaseModel):
    group: str
    children: int
    possible_sessions: int
    attended_sessions: int
    authorised_absence_sessions: int
    unauthorised_absence_sessions: int
    attendance_percent: Decimal | None
    absence_percent: Decimal | None
    persistently_absent_children: int
    severely_absent_children: int


class AbsenceReportPublic(Page[AbsenceLinePublic]):
    """One line per child, school or year group; ``virtual_school`` counts every child's sessions
    at every school together, as if a single school."""

    first_day: date
    last_day: date
    by: str
    virtual_school: AbsenceLinePublic


class AttendanceAlertPublic(BaseModel):
    child_id: str
    alert: str
    urn: str
    period: str | None
    term: str | None
    period_start: date | None
    period_end: date | None
    threshold_percent: int | None
    possible_sessions: int | None
    missed_sessions: int | None
    sessions_in_a_row: int | None
    first_on: date | None
    last_on: date | None
    last_marked_on: date | None
    school_days_without_marks: int | None
    effective_on: date
    raised_on: date


class AttendanceAlertsPublic(Page[AttendanceAlertPublic]):
    """Attendance alerts raised between ``raised_from`` and ``raised_to``, newest first."""

    raised_from: date | None
    raised_to: date | None

