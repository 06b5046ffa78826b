"""Floor standards: the government's minimum for a school's published results, one rule per year
and key stage (*configurable by year*, domain.md section 1).

The first rule is the 2011 Key Stage 2 floor (seed 004, section 4 "Setting the context"): a
school is below floor when fewer than 60% of pupils reach level 4 or above in both English and
mathematics **and** fewer than the national median make expected progress in English (87%)
**and** in mathematics (86%). Medway's 2011 figures show the "and": 16 schools were below 60%
but only 11 below floor, because five made median progress in English and/or mathematics.

Later years measure differently (attainment of the expected standard with progress scores, where
falling short on *any* progress measure counts), so a rule names its own measures and says
whether *all* or *any* of its progress measures must fall short.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Literal


class KeyStage(StrEnum):
    KS1 = "ks1"
    KS2 = "ks2"
    KS4 = "ks4"
    KS5 = "ks5"


@dataclass(frozen=True)
class Threshold:
    measure: str
    minimum: Decimal  # below floor on this measure when the result is less than this

    def falls_short(self, results: Mapping[str, Decimal]) -> bool:
        return results[self.measure] < self.minimum


@dataclass(frozen=True)
class FloorRule:
    year: int  # the summer the tests were sat (2011 = results of the 2010-11 year)
    key_stage: KeyStage
    attainment: Threshold
    progress: tuple[Threshold, ...]
    progress_short_on: Literal["all", "any"]
    source: str

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.attainment.measure, *(t.measure for t in self.progress))

    def is_below(self, results: Mapping[str, Decimal]) -> bool:
        """Below floor: short on attainment and short on all (or any) of the progress measures."""
        if not self.attainment.falls_short(results):
            return False
        if not self.progress:
            return True
        shortfalls = [t.falls_short(results) for t in self.progress]
        return all(shortfalls) if self.progress_short_on == "all" else any(shortfalls)


@dataclass(frozen=True)
class FloorStandards:
    rules: tuple[FloorRule, ...]

    def __post_init__(self) -> None:
        keys = [(r.year, r.key_stage) for r in self.rules]
        if len(set(keys)) != len(keys):
            raise ValueError("one floor rule per year and key stage")

    def rule_for(self, year: int, key_stage: KeyStage) -> FloorRule | None:
        """The rule for exactly that year: a floor standard is never carried into another year."""
        return next((r for r in self.rules if r.year == year and r.key_stage == key_stage), None)

    def headline_measure(self, year: int, key_stage: KeyStage) -> str | None:
        """The attainment measure of the latest rule for the key stage up to ``year``: the measure
        whose trend over the years is watched."""
        earlier = [r for r in self.rules if r.key_stage == key_stage and r.year <= year]
        return max(earlier, key=lambda r: r.year).attainment.measure if earlier else None


KS2_2011 = FloorRule(
    year=2011,
    key_stage=KeyStage.KS2,
    attainment=Threshold("pct_level4_english_and_maths", Decimal(60)),
    progress=(
        Threshold("pct_expected_progress_english", Decimal(87)),
        Threshold("pct_expected_progress_maths", Decimal(86)),
    ),
    progress_short_on="all",
    source="seed 004 section 4: 60% L4+ English and maths; median progress 87% English, 86% maths",
)

DEFAULT_FLOOR_STANDARDS = FloorStandards(rules=(KS2_2011,))
