"""Ofsted inspections: recording one, the publication of its report, and the answer."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from schools.domain.frameworks import CategoryOfConcern, Framework, InspectionType
from shared.text import Label


class InspectionCreate(BaseModel):
    """Judgements in the vocabulary of ``framework``: an overall effectiveness grade where the
    framework has one, key judgements or report-card evaluation areas keyed by their name."""

    model_config = ConfigDict(extra="forbid")

    inspection_id: Label = Field(description="Ofsted's inspection number")
    inspected_on: date
    inspection_type: InspectionType
    framework: Framework
    overall_effectiveness: Label | None = None
    judgements: dict[Label, Label] = Field(default_factory=dict, max_length=30)
    safeguarding: Label | None = None
    category_of_concern: CategoryOfConcern | None = None


class PublicationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    published_on: date


class InspectionPublic(BaseModel):
    urn: str
    inspection_id: str
    inspected_on: date
    inspection_type: str
    framework: str
    overall_effectiveness: str | None = None
    judgements: dict[str, str] = {}
    safeguarding: str | None = None
    category_of_concern: str | None = None
    headline_judgement: str | None = None
    below_good: bool
    published_on: date | None = None
    stuck: bool = False
    recorded: list[str] = []
