"""The council's term dates and PEP timing policy versions, as set and as read."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


from pep.domain.terms import TermDates
from pep.domain.timing import PepTimingPolicy, PepTimingSettings

from .commands import Body


class TermYearPublic(BaseModel):
    academic_year: int
    autumn: TermDates
    spring: TermDates
    summer: TermDates
    closure_days: list[date]


class TermDatesPublic(BaseModel):
    council: str
    years: list[TermYearPublic]


class TimingPolicyCreate(PepTimingSettings, Body):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "effective_from": "2027-01-04",
                    "initiation_days": 10,
                    "in_place_after_entering_care_days": 20,
                    "in_place_after_change_of_school_days": 20,
                    "count_school_days": True,
                    "review_deadline": "school_days_into_term",
                    "review_school_days_into_term": 30,
                },
            ]
        }
    }


class TimingPoliciesPublic(BaseModel):
    versions: list[PepTimingPolicy]
    in_force_today: PepTimingPolicy
