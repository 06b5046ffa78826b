"""The council's configuration: review cycles, support offers, floor rules and review rules."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schools.domain.categorisation import CouncilCategory
from schools.domain.configuration import TermDates
from schools.domain.floor_standards import KeyStage
from shared.text import Label, Quantity, Title


class TermCalendarPublic(BaseModel):
    """An academic year's review cycles, from the council calendar (typical dates where the
    council has not set the year: ``configured`` false)."""

    academic_year: int
    academic_year_label: str
    configured: bool
    terms: list[TermDates]


class SupportOfferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_from: date
    days_by_category: dict[CouncilCategory, Quantity] = Field(max_length=len(CouncilCategory))
    academy_days: Quantity
    source: Title


class SupportOfferPublic(BaseModel):
    effective_from: date
    days_by_category: dict[str, float]
    academy_days: float
    source: str
    configured: bool


class ThresholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measure: Label
    minimum: Quantity


class FloorRuleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attainment: ThresholdIn
    progress: list[ThresholdIn] = Field(default_factory=list, max_length=10)
    progress_short_on: Literal["all", "any"] = "all"
    source: Title


class ThresholdPublic(BaseModel):
    measure: str
    minimum: float


class FloorRulePublic(BaseModel):
    year: int
    key_stage: KeyStage
    attainment: ThresholdPublic
    progress: list[ThresholdPublic]
    progress_short_on: str
    source: str
    configured: bool


class ReviewRuleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_from: date
    frequent_categories: list[CouncilCategory] = Field(max_length=len(CouncilCategory))
    frequent_interval_days: int
    source: Title


class ReviewRulePublic(BaseModel):
    effective_from: date
    frequent_categories: list[str]
    frequent_interval_days: int
    source: str
    configured: bool


class ConfigurationPublic(BaseModel):
    version: int
    term_dates_set_for: list[int]
    support_offers: list[SupportOfferPublic]
    floor_rules: list[FloorRulePublic]
    review_rules: list[ReviewRulePublic]
