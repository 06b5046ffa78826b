"""The council's configuration: review cycles, support offers, floor rules, review rules, stuck rules
and the report-card concern policy."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from schools.domain.categorisation import CouncilCategory
from schools.domain.configuration import TermDates
from schools.domain.floor_standards import KeyStage
from schools.domain.frameworks import Framework
from schools.domain.inspection_policies import REPORT_CARD_ALL_AREAS, StuckRule
from shared.text import Label, Quantity, Title


class TermCalendarPublic(BaseModel):
    """An academic year's review cycles, from the council calendar (typical dates where the
    council has not set the year: ``configured`` false)."""

    academic_year: int
    academic_year_label: str
    configured: bool
    terms: list[TermDates]


class SupportOfferCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "effective_from": "2026-09-01",
                    "days_by_category": {
                        "outstanding": "0",
                        "good": "1",
                        "requires_improvement": "4",
                        "ofsted_category": "8",
                        "at_risk": "6",
                    },
                    "academy_days": "0",
                    "source": (
                        "Kent school improvement offer 2026-27, agreed by the Schools Forum on 2 July "
                        "2026"
                    ),
                },
            ]
        },
    )

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
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "attainment": {
                        "measure": "pct_expected_standard_reading_writing_maths",
                        "minimum": "65",
                    },
                    "progress": [
                        {"measure": "progress_reading", "minimum": "-5"},
                        {"measure": "progress_writing", "minimum": "-7"},
                        {"measure": "progress_maths", "minimum": "-5"},
                    ],
                    "progress_short_on": "any",
                    "source": (
                        "DfE primary school accountability, 2016: 65% at the expected standard; progress "
                        "-5, -7, -5"
                    ),
                },
            ]
        },
    )

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
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "effective_from": "2026-09-01",
                    "frequent_categories": ["ofsted_category", "at_risk"],
                    "frequent_interval_days": 42,
                    "source": (
                        "Kent school improvement framework 2026-27: schools in a category reviewed every "
                        "half term"
                    ),
                },
            ]
        },
    )

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


class StuckRuleCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "framework": "ofsted_report_cards_november_2025",
                    "effective_from": "2025-11-10",
                    "rule": "rise",
                    "source": (
                        "Cabinet member decision, January 2026: stuck schools as the DfE's RISE teams "
                        "define them"
                    ),
                },
            ]
        },
    )

    framework: Framework
    effective_from: date
    rule: StuckRule
    source: Title


class StuckRulePublic(BaseModel):
    framework: Framework
    effective_from: date
    rule: StuckRule
    source: str
    configured: bool


class ReportCardConcernPolicyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "effective_from": "2026-09-01",
                    "concern_areas": [
                        "inclusion",
                        "achievement",
                        "attendance_and_behaviour",
                        "leadership_and_governance",
                    ],
                    "concern_grades": ["urgent_improvement"],
                    "good_or_better_areas": [
                        "inclusion",
                        "curriculum_and_teaching",
                        "achievement",
                        "attendance_and_behaviour",
                        "personal_development_and_wellbeing",
                        "leadership_and_governance",
                    ],
                    "good_or_better_grades": ["exceptional", "strong_standard", "expected_standard"],
                    "source": "Virtual school governing board, July 2026: alerts on urgent improvement",
                },
            ]
        },
    )

    effective_from: date
    concern_areas: list[Label] = Field(max_length=len(REPORT_CARD_ALL_AREAS))
    concern_grades: list[Label] = Field(max_length=5)
    good_or_better_areas: list[Label] = Field(max_length=len(REPORT_CARD_ALL_AREAS))
    good_or_better_grades: list[Label] = Field(max_length=5)
    source: Title


class ReportCardConcernPolicyPublic(BaseModel):
    effective_from: date
    concern_areas: list[str]
    concern_grades: list[str]
    good_or_better_areas: list[str]
    good_or_better_grades: list[str]
    source: str
    configured: bool


class ConfigurationPublic(BaseModel):
    version: int
    term_dates_set_for: list[int]
    support_offers: list[SupportOfferPublic]
    floor_rules: list[FloorRulePublic]
    review_rules: list[ReviewRulePublic]
    stuck_rules: list[StuckRulePublic]
    report_card_concern_policies: list[ReportCardConcernPolicyPublic]
