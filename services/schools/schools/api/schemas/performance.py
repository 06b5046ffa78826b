"""A year's published results and what recording them found."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from schools.domain.floor_standards import KeyStage
from shared.text import Label, Quantity


class ResultsCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "year": 2011,
                    "key_stage": "ks2",
                    "measures": {
                        "pct_level4_english_and_maths": "58.5",
                        "pct_expected_progress_english": "84",
                        "pct_expected_progress_maths": "82",
                    },
                    "published_on": "2011-12-14",
                },
            ]
        },
    )

    year: int = Field(description="the summer the tests or examinations were sat, e.g. 2011")
    key_stage: KeyStage
    measures: dict[Label, Quantity] = Field(
        max_length=100,
        description="named measures; percentages are named pct_..., e.g. pct_level4_english_and_maths",
    )
    published_on: date


class ResultsPublic(BaseModel):
    urn: str
    year: int
    key_stage: KeyStage
    measures: dict[str, float]
    below_floor: bool | None = Field(
        description="null when no floor standard applies to that year and key stage"
    )
    downward_trend: bool = Field(description="a downward trend ending this year was identified")
    version: int
    recorded: list[str]
