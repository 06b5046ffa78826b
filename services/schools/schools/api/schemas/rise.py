"""A school's work with the DfE's RISE team: what an adviser sends, and the engagement as answered."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from schools.domain.rise import MOST_FUNDING_PENCE, RiseEngagement, RiseOutcome
from shared.text import Name, Note

Pence = Annotated[
    int, Field(ge=0, le=MOST_FUNDING_PENCE, description="an amount in pence: £1,250.50 is 125050")
]


class RiseEngagementCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "adviser": "Dr R Adeyemi, RISE adviser, South East",
                    "started_on": "2026-01-12",
                    "planned_end_on": "2027-07-12",
                    "plan": "RISE improvement plan SE-2026-0142: reading in key stage 1, attendance",
                    "amount_pence": 4500000,
                },
                {"adviser": "Ms J Carter", "started_on": "2026-03-02", "planned_end_on": "2027-09-01"},
            ]
        },
    )

    adviser: Name
    started_on: date
    planned_end_on: date = Field(description="about eighteen months after the start, as the RISE plan says")
    plan: Note | None = Field(default=None, description="the plan's text, or the DfE's reference to it")
    amount_pence: Pence | None = None


class RisePlanUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"plan": "RISE improvement plan SE-2026-0142, revised May 2026"}]},
    )

    plan: Note = Field(description="the plan's text, or the DfE's reference to it")


class RiseFundingUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"amount_pence": 6000000}]})

    amount_pence: Pence


class RiseEndCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "ended_on": "2027-07-09",
                    "outcome": "improved",
                    "summary": "Judged expected standard in every area at the June 2027 inspection.",
                }
            ]
        },
    )

    ended_on: date
    outcome: RiseOutcome
    summary: Note


class RiseEngagementPublic(BaseModel):
    engagement_id: str
    adviser: str
    started_on: date
    planned_end_on: date
    plan: str | None
    amount_pence: int | None
    ended_on: date | None
    outcome: RiseOutcome | None
    summary: str | None

    @classmethod
    def of(cls, engagement: RiseEngagement) -> RiseEngagementPublic:
        return cls(**{name: getattr(engagement, name) for name in cls.model_fields})

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> RiseEngagementPublic:
        return cls.model_validate(row)
