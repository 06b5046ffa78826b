"""The council calendar: one academic year's term dates, as an officer sets them and as read."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from shared.council_calendar import AcademicYearTerms, TermDates, academic_year_label
from shared.text import NameOrEmpty


class TermIn(BaseModel):
    """A term's first and last day, and its half-term holiday's (all inclusive)."""

    model_config = ConfigDict(extra="forbid")

    start: date
    half_term_start: date
    half_term_end: date
    end: date


class TermDatesSetBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "council": "Medway",
                    "autumn": {
                        "start": "2026-09-03",
                        "half_term_start": "2026-10-26",
                        "half_term_end": "2026-10-30",
                        "end": "2026-12-18",
                    },
                    "spring": {
                        "start": "2027-01-05",
                        "half_term_start": "2027-02-15",
                        "half_term_end": "2027-02-19",
                        "end": "2027-03-26",
                    },
                    "summer": {
                        "start": "2027-04-12",
                        "half_term_start": "2027-05-31",
                        "half_term_end": "2027-06-04",
                        "end": "2027-07-21",
                    },
                    "closure_days": ["2026-09-03", "2027-01-05"],
                }
            ]
        },
    )

    council: NameOrEmpty = Field(default="", description="The council's name, e.g. Medway (kept if empty)")
    autumn: TermIn
    spring: TermIn
    summer: TermIn
    closure_days: list[date] = Field(
        default_factory=list, max_length=100, description="INSET and other days the schools are closed"
    )


class CalendarYearPublic(BaseModel):
    academic_year: int
    academic_year_label: str = Field(description="e.g. 2026/27")
    autumn: TermDates
    spring: TermDates
    summer: TermDates
    closure_days: list[date]

    @classmethod
    def of(cls, year: AcademicYearTerms) -> CalendarYearPublic:
        return cls(
            academic_year=year.academic_year,
            academic_year_label=academic_year_label(year.academic_year),
            autumn=year.autumn,
            spring=year.spring,
            summer=year.summer,
            closure_days=list(year.closure_days),
        )


class CalendarPublic(BaseModel):
    council: str
    version: int = Field(description="The calendar's version (its ETag)")
    years: list[CalendarYearPublic] = Field(description="The years the council has set, oldest first")
