"""A school's Ofsted inspections: one stream per school, ``inspections-<urn>``.

Each inspection is recorded with its date, type, framework and judgements in that framework's
vocabulary (``frameworks.py``), and later its report's publication. When two consecutive graded
inspections give the same judgement below good, the school is *stuck* ("double satisfactory",
seed 004 sections 4 and 7): that flag is an event because it feeds the council's categorisation.
Which rule makes a school stuck (that one, or the DfE's RISE definition) and how report-card
grades are read are the council's versioned policies (``inspection_policies.py``); each event
records the version that judged it, so a replay and an auditor see why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import pairwise
from typing import ClassVar

from pydantic import Field

from schools.domain.frameworks import (
    INADEQUATE,
    NEEDS_ATTENTION,
    REQUIRES_IMPROVEMENT,
    CategoryOfConcern,
    Framework,
    Headline,
    InspectionType,
    assess,
    headline_for,
)
from schools.domain.inspection_policies import (
    DEFAULT_INSPECTION_POLICIES,
    InspectionPolicies,
    StuckRule,
)
from schools.domain.register import School, open_on, registered
from schools.domain.school_events import RecordedFields, SchoolCommand, SchoolEvent
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Command, Event

#: The DfE's readings of "requires improvement or equivalent" for RISE where there is no overall
#: grade (see ``Inspection.requires_improvement``).
RISE_SEPTEMBER_2024_JUDGEMENTS = ("quality_of_education", "leadership_and_management")
RISE_REPORT_CARD_AREA = "leadership_and_governance"


def inspections_stream(urn: str) -> str:
    return f"inspections-{urn}"


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


class InspectionFacts(RecordedFields):
    """An inspection as Ofsted reported it: its date, type, framework and judgements."""

    inspection_id: str  # Ofsted's inspection number
    inspected_on: date
    inspection_type: InspectionType
    framework: Framework
    overall_effectiveness: str | None = None
    judgements: dict[str, str] = Field(default_factory=dict)
    safeguarding: str | None = None
    category_of_concern: CategoryOfConcern | None = None


class InspectionRecorded(InspectionFacts, SchoolEvent):
    """An Ofsted inspection and its judgements, in the vocabulary of ``framework``.

    ``headline_judgement`` sums up a graded inspection: the overall effectiveness grade, or where
    the framework has none the lowest key judgement / evaluation area. ``below_good`` is true when
    the school was judged below good in any way (a sub-good grade, failing safeguarding or a
    category of concern). Both are absent/false for ungraded and monitoring inspections, which
    leave the previous judgement standing.

    Under report cards, which grades are below good and which count towards the council's "good
    or better" share is the council's policy: ``concern_policy_from`` names the version that
    judged this inspection (the date it applies from), and ``good_or_better`` is its answer.
    Under the older frameworks ``concern_policy_from`` is null and good or better is simply not
    below good. (Schema version 1 had neither field: read as not below good, no policy.)
    """

    event_type: ClassVar[str] = "InspectionRecorded"
    schema_version: ClassVar[int] = 2
    effective_field: ClassVar[str] = "inspected_on"

    headline_judgement: str | None = None
    below_good: bool
    good_or_better: bool | None = None
    concern_policy_from: date | None = None

    def counts_good_or_better(self) -> bool:
        return self.good_or_better if self.good_or_better is not None else not self.below_good


class InspectionReportPublished(SchoolEvent):
    """Ofsted published the report of an inspection recorded before."""

    event_type: ClassVar[str] = "InspectionReportPublished"
    effective_field: ClassVar[str] = "published_on"

    inspection_id: str
    published_on: date


class SchoolIdentifiedAsStuck(SchoolEvent):
    """Two consecutive graded inspections made the school stuck under the council's ``rule`` for
    the later inspection's framework: ``same_judgement_twice`` (the same judgement below good
    both times) or ``rise`` (the DfE's RISE definition: requires improvement at the later one,
    below good at the earlier). ``rule_effective_from`` is the date the version of the rule that
    applied took effect; ``judgement`` is the later inspection's headline. (Schema version 1 had
    neither field: its flags were all made under ``same_judgement_twice``.)"""

    event_type: ClassVar[str] = "SchoolIdentifiedAsStuck"
    schema_version: ClassVar[int] = 2
    effective_field: ClassVar[str] = "later_inspected_on"

    judgement: str
    earlier_inspection_id: str
    earlier_inspected_on: date
    later_inspection_id: str
    later_inspected_on: date
    rule: StuckRule = StuckRule.SAME_JUDGEMENT_TWICE
    rule_effective_from: date | None = None


def inspection_recorded_v1_to_v2(data: dict) -> dict:
    """Version 1 inspections were judged by the fixed vocabularies: good or better is not below good."""
    return {**data, "good_or_better": not data.get("below_good", False), "concern_policy_from": None}


def school_identified_as_stuck_v1_to_v2(data: dict) -> dict:
    """Version 1 flags were all made under the one rule there was, the same judgement twice."""
    return {**data, "rule": StuckRule.SAME_JUDGEMENT_TWICE.value, "rule_effective_from": None}


INSPECTION_EVENTS: tuple[type[Event], ...] = (
    InspectionRecorded,
    InspectionReportPublished,
    SchoolIdentifiedAsStuck,
)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


class RecordInspection(InspectionFacts, SchoolCommand):
    """Record an inspection of the school ``urn``."""


class PublishInspectionReport(Command):
    urn: str
    inspection_id: str
    published_on: date


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Inspection:
    inspection_id: str
    inspected_on: date
    inspection_type: InspectionType
    framework: Framework
    headline: Headline | None
    category_of_concern: CategoryOfConcern | None
    below_good: bool
    published_on: date | None = None
    good_or_better: bool = False
    concern_policy_from: date | None = None
    judgements: Mapping[str, str] = field(default_factory=dict)

    @property
    def requires_improvement(self) -> bool:
        """Requires improvement, or its equivalent, as the DfE reads it for RISE, outside a
        category of concern: with an overall grade, grade 3 (requires improvement, or satisfactory
        before September 2012); under the September 2024 framework, requires improvement as the
        worse of quality of education and leadership and management; under report cards, leadership
        and governance needing attention (the DfE's stated update of the definition for report
        cards). Sources: the DfE's "Schools eligible for RISE intervention" statistics (2025) as
        quoted by Tes and others; the gov.uk text itself was not reachable from here. The older
        inspection of the pair need only be below good: under report cards, the council's concern
        policy."""
        if self.headline is None or self.category_of_concern is not None:
            return False
        match self.framework:
            case Framework.SEPTEMBER_2024:
                key = [self.judgements.get(area) for area in RISE_SEPTEMBER_2024_JUDGEMENTS]
                return REQUIRES_IMPROVEMENT in key and INADEQUATE not in key
            case Framework.REPORT_CARDS_NOVEMBER_2025:
                return self.judgements.get(RISE_REPORT_CARD_AREA) == NEEDS_ATTENTION
        return self.headline.scale == "four_point" and self.headline.level == 3


@dataclass(frozen=True)
class InspectionHistory:
    """A school's inspections in date order, and the consecutive pairs already flagged stuck."""

    inspections: tuple[Inspection, ...] = ()
    stuck_pairs: frozenset[tuple[str, str]] = frozenset()

    def find(self, inspection_id: str) -> Inspection | None:
        return next((i for i in self.inspections if i.inspection_id == inspection_id), None)

    def graded(self) -> list[Inspection]:
        return [i for i in self.inspections if i.inspection_type == InspectionType.GRADED]

    def latest_graded(self) -> Inspection | None:
        graded = self.graded()
        return graded[-1] if graded else None

    def is_stuck(self) -> bool:
        """Whether the latest graded inspection repeated the judgement below good before it."""
        latest = self.latest_graded()
        return latest is not None and any(later == latest.inspection_id for _, later in self.stuck_pairs)

    def as_of(self, day: date) -> InspectionHistory:
        """The inspections that had taken place by ``day``."""
        return replace(self, inspections=tuple(i for i in self.inspections if i.inspected_on <= day))

    def current_category_of_concern(self) -> CategoryOfConcern | None:
        """The category Ofsted placed the school in at its latest graded inspection, if any."""
        latest = self.latest_graded()
        return latest.category_of_concern if latest else None


NO_INSPECTIONS = InspectionHistory()


def evolve(history: InspectionHistory, event: Event) -> InspectionHistory:
    match event:
        case InspectionRecorded():
            entry = Inspection(
                inspection_id=event.inspection_id,
                inspected_on=event.inspected_on,
                inspection_type=event.inspection_type,
                framework=event.framework,
                headline=(
                    headline_for(event.framework, event.headline_judgement)
                    if event.headline_judgement
                    else None
                ),
                category_of_concern=event.category_of_concern,
                below_good=event.below_good,
                good_or_better=event.counts_good_or_better(),
                concern_policy_from=event.concern_policy_from,
                judgements=dict(event.judgements),
            )
            ordered = sorted((*history.inspections, entry), key=lambda i: i.inspected_on)
            return replace(history, inspections=tuple(ordered))
        case InspectionReportPublished():
            return replace(
                history,
                inspections=tuple(
                    replace(i, published_on=event.published_on)
                    if i.inspection_id == event.inspection_id
                    else i
                    for i in history.inspections
                ),
            )
        case SchoolIdentifiedAsStuck():
            pair = (event.earlier_inspection_id, event.later_inspection_id)
            return replace(history, stuck_pairs=history.stuck_pairs | {pair})
    return history


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def decide(
    command: RecordInspection | PublishInspectionReport,
    history: InspectionHistory,
    *,
    school: School,
    today: date,
    policies: InspectionPolicies = DEFAULT_INSPECTION_POLICIES,
) -> list[Event]:
    """``school`` is the register entry (the inspection must be of a registered school);
    ``today`` bounds the dates given (no inspection or publication in the future); ``policies``
    are the council's stuck rules and report-card concern policy, every version."""
    registered(school, command.urn)
    match command:
        case RecordInspection():
            return _record(command, history, school, today, policies)
        case PublishInspectionReport():
            return _publish(command, history, today)
    raise TypeError(f"not an inspection command: {type(command).__name__}")


def _record(
    command: RecordInspection,
    history: InspectionHistory,
    school: School,
    today: date,
    policies: InspectionPolicies,
) -> list[Event]:
    inspection_id = command.inspection_id.strip()
    if not inspection_id:
        raise InvalidInput("the inspection needs Ofsted's inspection number", field="inspection_id")
    if history.find(inspection_id) is not None:
        raise Conflict(f"inspection {inspection_id} is already recorded", field="inspection_id")
    if command.inspected_on > today:
        raise InvalidInput(
            "an inspection cannot be dated in the future "
            f"({command.inspected_on.isoformat()} is after {today.isoformat()})",
            field="inspected_on",
        )
    open_on(school, command.inspected_on, "inspected_on")
    report_card = command.framework == Framework.REPORT_CARDS_NOVEMBER_2025
    graded = command.inspection_type == InspectionType.GRADED
    concern_policy = policies.concern_policy_on(command.inspected_on) if report_card and graded else None
    assessment = assess(
        framework=command.framework,
        inspection_type=command.inspection_type,
        inspected_on=command.inspected_on,
        overall_effectiveness=command.overall_effectiveness,
        judgements=dict(command.judgements),
        safeguarding=command.safeguarding,
        category_of_concern=command.category_of_concern,
        concern_policy=concern_policy,
    )
    recorded = InspectionRecorded(
        **command.model_dump(exclude={"inspection_id"}),
        inspection_id=inspection_id,
        headline_judgement=assessment.headline.grade if assessment.headline else None,
        below_good=assessment.below_good,
        good_or_better=assessment.good_or_better,
        concern_policy_from=concern_policy.effective_from if concern_policy else None,
    )
    after = evolve(history, recorded)
    return [recorded, *_stuck_flags(after, history, command.urn, inspection_id, policies)]


def _stuck_flags(
    after: InspectionHistory,
    before: InspectionHistory,
    urn: str,
    new_id: str,
    policies: InspectionPolicies,
) -> list[Event]:
    """Flag each consecutive pair of graded inspections, including the new one, that makes the
    school stuck under the rule for the later inspection's framework on its date, unless that
    pair was flagged before. (An inspection recorded late, between two others, is checked with
    the one before it and the one after.)"""
    flags: list[Event] = []
    for earlier, later in pairwise(after.graded()):
        if new_id not in (earlier.inspection_id, later.inspection_id):
            continue
        if (earlier.inspection_id, later.inspection_id) in before.stuck_pairs:
            continue
        if earlier.headline is None or later.headline is None:
            continue
        version = policies.stuck_rule_for(later.framework, later.inspected_on)
        if _stuck(version.rule, earlier, later):
            flags.append(
                SchoolIdentifiedAsStuck(
                    urn=urn,
                    judgement=later.headline.grade,
                    earlier_inspection_id=earlier.inspection_id,
                    earlier_inspected_on=earlier.inspected_on,
                    later_inspection_id=later.inspection_id,
                    later_inspected_on=later.inspected_on,
                    rule=version.rule,
                    rule_effective_from=version.effective_from,
                )
            )
    return flags


def _stuck(rule: StuckRule, earlier: Inspection, later: Inspection) -> bool:
    """Whether two consecutive graded inspections make a school stuck."""
    match rule:
        case StuckRule.SAME_JUDGEMENT_TWICE:
            if earlier.headline is None or later.headline is None:
                return False
            return later.headline.is_below_good and later.headline.same_level_as(earlier.headline)
        case StuckRule.RISE:
            return later.requires_improvement and earlier.below_good
    raise TypeError(f"not a stuck rule: {rule}")


def _publish(command: PublishInspectionReport, history: InspectionHistory, today: date) -> list[Event]:
    inspection = history.find(command.inspection_id)
    if inspection is None:
        raise NotFound(
            f"no inspection {command.inspection_id} is recorded for this school",
            field="inspection_id",
        )
    if command.published_on > today:
        raise InvalidInput("a report cannot be published in the future", field="published_on")
    if command.published_on < inspection.inspected_on:
        raise InvalidInput("a report is published after the inspection", field="published_on")
    if inspection.published_on == command.published_on:
        return []
    if inspection.published_on is not None:
        raise Conflict(
            f"the report was published on {inspection.published_on.isoformat()}",
            field="published_on",
        )
    return [
        InspectionReportPublished(
            urn=command.urn,
            inspection_id=inspection.inspection_id,
            published_on=command.published_on,
        )
    ]
