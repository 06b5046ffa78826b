"""Adviser support: a year's allocation and increases, visits logged against it."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from schools.domain.support import YearSupport
from schools.domain.terms import academic_year_label
from schools.queries import days
from shared.text import Narrative, Note, Quantity, Title


class AllocationCreate(BaseModel):
    """Allocate (or re-allocate, after the category or the offer changed) a year's days."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"academic_year": 2026}, {}]})

    academic_year: int | None = None  # the year it starts (2026 is 2026-27); this year if not given


class IncreaseCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "academic_year": 2026,
                    "extra_days": "2.5",
                    "reason": "Extra adviser time to support the new headteacher through the autumn term.",
                },
            ]
        },
    )

    academic_year: int | None = None
    extra_days: Quantity
    reason: Note


class VisitCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "visited_on": "2026-10-08",
                    "days": "1",
                    "purpose": "Review the reading action plan with the headteacher",
                    "notes": (
                        "Phonics is now taught daily in Reception and Year 1. Next visit: observe Year 2 "
                        "reading groups and look at the autumn assessment results with the English lead."
                    ),
                },
            ]
        },
    )

    visited_on: date
    days: Quantity
    purpose: Title
    notes: Narrative | None = None


class SupportYearPublic(BaseModel):
    """Adviser days for one academic year: allocated from the category, added, used, remaining."""

    urn: str
    academic_year: int
    academic_year_label: str
    category: str | None = None
    days_allocated: float
    days_increased: float
    days_total: float
    days_used: float
    days_remaining: float
    version: int | None = None
    recorded: list[str] = []

    @classmethod
    def of(
        cls, urn: str, year: int, support: YearSupport, version: int, recorded: list[str]
    ) -> SupportYearPublic:
        return cls(
            urn=urn,
            academic_year=year,
            academic_year_label=academic_year_label(year),
            category=support.category.value if support.category else None,
            days_allocated=days(support.allocated),
            days_increased=days(support.increased),
            days_total=days(support.total),
            days_used=days(support.used),
            days_remaining=days(support.remaining),
            version=version,
            recorded=recorded,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SupportYearPublic:
        total = row["allocated"] + row["increased"]
        return cls(
            urn=row["urn"],
            academic_year=row["academic_year"],
            academic_year_label=academic_year_label(row["academic_year"]),
            category=row["category"],
            days_allocated=days(row["allocated"]),
            days_increased=days(row["increased"]),
            days_total=days(total),
            days_used=days(row["used"]),
            days_remaining=days(total - row["used"]),
        )


class VisitPublic(BaseModel):
    urn: str
    visit_id: str
    academic_year: int
    visited_on: date
    adviser: str
    days: float
    purpose: str
    notes: str | None = None


class VisitLoggedPublic(VisitPublic):
    year: SupportYearPublic
    recorded: list[str] = []
