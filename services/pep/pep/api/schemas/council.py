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
    pass


class TimingPoliciesPublic(BaseModel):
    versions: list[PepTimingPolicy]
    in_force_today: PepTimingPolicy
