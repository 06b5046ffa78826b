"""The council's rules for reading inspections: when a school is *stuck*, and what counts as a
concern and as good or better under report cards. Each is versioned council configuration
(``configuration.py``) with a date from which it applies, so a past inspection is always judged
by the version in force on the day it took place, and a replay reaches the same answer.

**Stuck.** Two rules, chosen per inspection framework (the later inspection's):

* ``same_judgement_twice`` - two consecutive graded inspections gave the same judgement below good
  ("double satisfactory", seed 004 sections 4 and 7). The default for every framework: the
  council's categorisation history was built on it, and the RISE definition is the Department for
  Education's for directing its own regional improvement teams, not a statutory test the council
  must adopt, so the council opts in by setting it.
* ``rise`` - the DfE's RISE "stuck schools" definition (Regional Improvement for Standards and
  Excellence, 2025; domain.md section 7): requires improvement, or equivalent, at the latest
  graded inspection and below good at the one before, whichever frameworks the two were under.
  It catches a school judged inadequate and then requires improvement, which the older rule does
  not. Without an overall grade the DfE reads "requires improvement" as requires improvement in
  quality of education or leadership and management (September 2024 framework) and, under
  report cards, leadership and governance needing attention (``Inspection.requires_improvement``
  in ``inspections.py``). Those readings come from the DfE's "Schools eligible for RISE
  intervention" statistics (2025) as quoted by Tes and others; the gov.uk text was not reachable
  from here, so they are stated where the rule is and tested; "below good" at the earlier
  inspection is what that inspection recorded - under report cards, the council's policy (below).

**Report cards.** Ofsted's report cards (from 10 November 2025) give no overall grade and say
their five-point grades are not comparable with the old four; which evaluation areas and grades
give the virtual school cause for concern (``below_good``, the alert), and which count towards
the "good or better" share, is the council's policy. A category of concern and safeguarding not
met are always a concern and never good or better: those are Ofsted's findings, not a reading of
grades. The default policy is the convention used before the council set one: any evaluation
area needing attention or urgent improvement is a concern, and good or better is every area at
expected standard or above. Older frameworks keep their fixed vocabularies (``frameworks.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from schools.domain.frameworks import (
    EXCEPTIONAL,
    EXPECTED_STANDARD,
    NEEDS_ATTENTION,
    REPORT_CARD_AREAS,
    REPORT_CARD_OPTIONAL_AREAS,
    STRONG_STANDARD,
    URGENT_IMPROVEMENT,
    VOCABULARIES,
    Framework,
)

#: Ofsted's first school inspections (September 1993): the default stuck rule applies from then.
OFSTED_INSPECTIONS_BEGAN = date(1993, 9, 1)
REPORT_CARDS_FROM = VOCABULARIES[Framework.REPORT_CARDS_NOVEMBER_2025].in_force_from or date(2025, 11, 10)
REPORT_CARD_ALL_AREAS = REPORT_CARD_AREAS + REPORT_CARD_OPTIONAL_AREAS
REPORT_CARD_GRADES = VOCABULARIES[Framework.REPORT_CARDS_NOVEMBER_2025].judgement_grades


class StuckRule(StrEnum):
    SAME_JUDGEMENT_TWICE = "same_judgement_twice"
    RISE = "rise"


@dataclass(frozen=True)
class StuckRuleVersion:
    """The stuck rule for inspections under ``framework`` taking place on or after ``effective_from``."""

    framework: Framework
    effective_from: date
    rule: StuckRule
    source: str


DEFAULT_STUCK_RULES = tuple(
    StuckRuleVersion(
        framework=framework,
        effective_from=OFSTED_INSPECTIONS_BEGAN,
        rule=StuckRule.SAME_JUDGEMENT_TWICE,
        source="the council's rule before it set one: the same judgement below good twice (seed 004)",
    )
    for framework in Framework
)


@dataclass(frozen=True)
class ReportCardConcernPolicy:
    """Which report-card evaluation areas and grades are a concern, and which are good or better,
    for inspections on or after ``effective_from``."""

    effective_from: date
    concern_areas: frozenset[str]
    concern_grades: frozenset[str]
    good_or_better_areas: frozenset[str]
    good_or_better_grades: frozenset[str]
    source: str

    def is_concern(self, judgements: Mapping[str, str]) -> bool:
        """Whether any area the policy watches has a grade it counts as a concern."""
        return any(
            grade in self.concern_grades for area, grade in judgements.items() if area in self.concern_areas
        )

    def is_good_or_better(self, judgements: Mapping[str, str]) -> bool:
        """Whether every area the policy counts that was graded has a good-or-better grade."""
        return all(
            grade in self.good_or_better_grades
            for area, grade in judgements.items()
            if area in self.good_or_better_areas
        )


DEFAULT_CONCERN_POLICY = ReportCardConcernPolicy(
    effective_from=REPORT_CARDS_FROM,
    concern_areas=frozenset(REPORT_CARD_ALL_AREAS),
    concern_grades=frozenset({NEEDS_ATTENTION, URGENT_IMPROVEMENT}),
    good_or_better_areas=frozenset(REPORT_CARD_ALL_AREAS),
    good_or_better_grades=frozenset({EXCEPTIONAL, STRONG_STANDARD, EXPECTED_STANDARD}),
    source="the convention before the council set a policy: any area below expected standard",
)


@dataclass(frozen=True)
class InspectionPolicies:
    """Every version of the stuck rules and the report-card concern policy, defaults included."""

    stuck_rules: tuple[StuckRuleVersion, ...] = DEFAULT_STUCK_RULES
    concern_policies: tuple[ReportCardConcernPolicy, ...] = (DEFAULT_CONCERN_POLICY,)

    def stuck_rule_for(self, framework: Framework, day: date) -> StuckRuleVersion:
        """The stuck rule for an inspection under ``framework`` on ``day``: the latest version from
        on or before that day (the default before any)."""
        versions = [v for v in self.stuck_rules if v.framework == framework and v.effective_from <= day]
        if not versions:
            return next(v for v in DEFAULT_STUCK_RULES if v.framework == framework)
        return max(versions, key=lambda v: v.effective_from)

    def concern_policy_on(self, day: date) -> ReportCardConcernPolicy:
        """The report-card concern policy in force on ``day`` (the default before any)."""
        versions = [p for p in self.concern_policies if p.effective_from <= day]
        return max(versions, key=lambda p: p.effective_from) if versions else DEFAULT_CONCERN_POLICY


DEFAULT_INSPECTION_POLICIES = InspectionPolicies()
