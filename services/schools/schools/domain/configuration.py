"""The council's configuration as data: one stream, ``schoolsconfig-council``.

Things that differ between councils and change over time (domain.md sections 1 and 5) are set
by a principal adviser, and each change is an event like any other fact:

* the **support offer**: adviser days per category, each version in force from a date;
* the **floor standard** of each year and key stage (the 2011 KS2 rule first);
* the **review rule**: which categories are reviewed more often than termly, and how often;
* the **stuck rule** of each inspection framework (``inspection_policies.StuckRule``), each
  version applying to inspections from a date;
* the **report-card concern policy**: which evaluation areas and grades are a concern for the
  virtual school's alert and which count as good or better, each version applying to
  inspections from a date.

The **term dates** are the council's one calendar (``shared.council_calendar``, stream
``calendar-council``), which this service keeps for every service; the configuration folds it
into review cycles (``terms.review_terms``). ``TermDatesSet`` is what this service recorded before
the calendar existed: its years were carried into the calendar, so the fold passes over it.

Until the council sets something, the defaults stand: a typical six-term year, Kent's offer of
2013, the 2011 KS2 floor rule, Kent's six-weekly reviews, the same judgement below good twice
as the stuck rule and any report-card area below expected standard as a concern. A setting the council makes
replaces the default with the same key (year, date from which it applies, year and key stage).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from schools.domain.categorisation import CouncilCategory
from schools.domain.checks import required_text
from schools.domain.floor_standards import (
    DEFAULT_FLOOR_STANDARDS,
    FloorRule,
    FloorStandards,
    KeyStage,
    Threshold,
)
from schools.domain.frameworks import Framework
from schools.domain.inspection_policies import (
    DEFAULT_CONCERN_POLICY,
    DEFAULT_STUCK_RULES,
    REPORT_CARD_ALL_AREAS,
    REPORT_CARD_GRADES,
    InspectionPolicies,
    ReportCardConcernPolicy,
    StuckRule,
    StuckRuleVersion,
)
from schools.domain.reviews import DEFAULT_REVIEW_POLICY, ReviewPolicy, ReviewRule
from schools.domain.support import DEFAULT_SUPPORT_POLICY, HALF_DAY, SupportOffer, SupportPolicy
from schools.domain.terms import Term, TermCalendar, review_terms, typical_terms
from shared.council_calendar import CouncilTermDatesSet
from shared.errors import InvalidInput
from shared.events import Command, Event

CONFIGURATION_STREAM = "schoolsconfig-council"
CONFIGURATION_CATEGORY = "schoolsconfig"

#: The academic years the calendar covers with typical terms where the council set none.
CALENDAR_YEARS = range(2000, 2051)
#: Years a setting may name: far enough back for historic records, far enough ahead to plan.
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
#: A "more frequent than termly" review comes at least weekly and at most half-yearly.
SHORTEST_INTERVAL_DAYS, LONGEST_INTERVAL_DAYS = 7, 183


class TermDates(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    starts_on: date
    ends_on: date


class FloorThreshold(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    measure: str
    minimum: Decimal


class SupportOfferFields(BaseModel):
    """A version of the support offer, as an officer gives it and as it is recorded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    effective_from: date
    days_by_category: dict[CouncilCategory, Decimal]
    academy_days: Decimal
    source: str
    set_by: str
    set_on: date


class FloorRuleFields(BaseModel):
    """One year's floor standard for a key stage, as an officer gives it and as it is recorded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int
    key_stage: KeyStage
    attainment: FloorThreshold
    progress: list[FloorThreshold]
    progress_short_on: Literal["all", "any"]
    source: str
    set_by: str
    set_on: date


class ReviewRuleFields(BaseModel):
    """The rule for frequent reviews, as an officer gives it and as it is recorded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    effective_from: date
    frequent_categories: list[CouncilCategory]
    frequent_interval_days: int
    source: str
    set_by: str
    set_on: date


class StuckRuleFields(BaseModel):
    """The stuck rule for one framework from a date, as an officer gives it and as it is recorded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    framework: Framework
    effective_from: date
    rule: StuckRule
    source: str
    set_by: str
    set_on: date


class ReportCardConcernPolicyFields(BaseModel):
    """A version of the report-card concern policy, as an officer gives it and as it is recorded."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    effective_from: date
    concern_areas: list[str]
    concern_grades: list[str]
    good_or_better_areas: list[str]
    good_or_better_grades: list[str]
    source: str
    set_by: str
    set_on: date


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


class TermDatesSet(Event):
    """Retired: the council's terms for one academic year as this service recorded them before
    the council calendar (``CouncilTermDatesSet``) held them for every service. Kept so the history
    stays readable; nothing records it any more."""

    event_type: ClassVar[str] = "TermDatesSet"

    academic_year: int
    terms: list[TermDates]
    set_by: str
    set_on: date

    def effective_on(self) -> date:
        return self.set_on


class SupportOfferSet(Event, SupportOfferFields):
    """A version of the support offer: days a year per category (and for academies), applying to
    allocations for academic years starting on or after ``effective_from``."""

    event_type: ClassVar[str] = "SupportOfferSet"

    def effective_on(self) -> date:
        return self.set_on


class FloorRuleSet(Event, FloorRuleFields):
    """The floor standard for one year and key stage: below floor when short on attainment and
    short on all (or any) of the progress measures."""

    event_type: ClassVar[str] = "FloorRuleSet"

    def effective_on(self) -> date:
        return self.set_on


class ReviewRuleSet(Event, ReviewRuleFields):
    """Which council categories are reviewed every ``frequent_interval_days`` rather than termly,
    from ``effective_from``."""

    event_type: ClassVar[str] = "ReviewRuleSet"

    def effective_on(self) -> date:
        return self.set_on


class StuckRuleSet(Event, StuckRuleFields):
    """Which rule makes a school stuck when its later inspection was under ``framework`` and took
    place on or after ``effective_from``: ``same_judgement_twice`` or ``rise`` (the DfE's RISE
    definition). Flags already raised stand."""

    event_type: ClassVar[str] = "StuckRuleSet"

    def effective_on(self) -> date:
        return self.set_on


class ReportCardConcernPolicySet(Event, ReportCardConcernPolicyFields):
    """A version of the council's policy for report-card inspections on or after
    ``effective_from``: a grade in ``concern_grades`` in any of ``concern_areas`` judges the school
    below good (the virtual school's alert), and every graded area of ``good_or_better_areas`` in
    ``good_or_better_grades`` (and no concern) counts towards the good-or-better share. A category
    of concern or safeguarding not met is below good whatever the policy. Inspections already
    recorded keep the version that judged them."""

    event_type: ClassVar[str] = "ReportCardConcernPolicySet"

    def effective_on(self) -> date:
        return self.set_on


CONFIGURATION_EVENTS: tuple[type[Event], ...] = (
    TermDatesSet,
    SupportOfferSet,
    FloorRuleSet,
    ReviewRuleSet,
    StuckRuleSet,
    ReportCardConcernPolicySet,
)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


class SetSupportOffer(Command, SupportOfferFields):
    """Set a version of the support offer."""


class SetFloorRule(Command, FloorRuleFields):
    """Set a year's floor standard for a key stage."""


class SetReviewRule(Command, ReviewRuleFields):
    """Set the rule for frequent reviews from a date."""


class SetStuckRule(Command, StuckRuleFields):
    """Set the stuck rule for a framework from a date."""


class SetReportCardConcernPolicy(Command, ReportCardConcernPolicyFields):
    """Set a version of the report-card concern policy."""


ConfigurationCommand = (
    SetSupportOffer | SetFloorRule | SetReviewRule | SetStuckRule | SetReportCardConcernPolicy
)


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilConfiguration:
    """What the council has set; everything else is the default."""

    term_dates: Mapping[int, tuple[Term, ...]] = field(default_factory=dict)
    support_offers: Mapping[date, SupportOffer] = field(default_factory=dict)
    floor_rules: Mapping[tuple[int, KeyStage], FloorRule] = field(default_factory=dict)
    review_rules: Mapping[date, ReviewRule] = field(default_factory=dict)
    stuck_rules: Mapping[tuple[Framework, date], StuckRuleVersion] = field(default_factory=dict)
    concern_policies: Mapping[date, ReportCardConcernPolicy] = field(default_factory=dict)

    def terms_of(self, academic_year: int) -> tuple[Term, ...]:
        return self.term_dates.get(academic_year) or typical_terms(academic_year)

    def term_calendar(self) -> TermCalendar:
        years = sorted(set(CALENDAR_YEARS) | set(self.term_dates))
        return TermCalendar(terms=tuple(term for year in years for term in self.terms_of(year)))

    def support_policy(self) -> SupportPolicy:
        offers = {o.effective_from: o for o in DEFAULT_SUPPORT_POLICY.offers} | dict(self.support_offers)
        return SupportPolicy(offers=tuple(offers[d] for d in sorted(offers)))

    def floor_standards(self) -> FloorStandards:
        rules = {(r.year, r.key_stage): r for r in DEFAULT_FLOOR_STANDARDS.rules} | dict(self.floor_rules)
        return FloorStandards(rules=tuple(rules[k] for k in sorted(rules)))

    def review_policy(self) -> ReviewPolicy:
        rules = {r.effective_from: r for r in DEFAULT_REVIEW_POLICY.rules} | dict(self.review_rules)
        return ReviewPolicy(rules=tuple(rules[d] for d in sorted(rules)))

    def inspection_policies(self) -> InspectionPolicies:
        """Every version of the stuck rules and the report-card concern policy, the defaults
        standing where the council set none with the same framework and date."""
        stuck = {(v.framework, v.effective_from): v for v in DEFAULT_STUCK_RULES} | dict(self.stuck_rules)
        default = {DEFAULT_CONCERN_POLICY.effective_from: DEFAULT_CONCERN_POLICY}
        concern = default | dict(self.concern_policies)
        return InspectionPolicies(
            stuck_rules=tuple(stuck[k] for k in sorted(stuck)),
            concern_policies=tuple(concern[d] for d in sorted(concern)),
        )


DEFAULT_CONFIGURATION = CouncilConfiguration()


def evolve(config: CouncilConfiguration, event: Event) -> CouncilConfiguration:
    match event:
        case CouncilTermDatesSet():
            terms = review_terms(event.terms())
            return replace(config, term_dates={**config.term_dates, event.academic_year: terms})
        case TermDatesSet():
            return config  # retired: its years are in the council calendar
        case SupportOfferSet():
            offer = _offer(event.effective_from, event.days_by_category, event.academy_days, event.source)
            return replace(config, support_offers={**config.support_offers, offer.effective_from: offer})
        case FloorRuleSet():
            rule = _floor_rule(event)
            key = (rule.year, rule.key_stage)
            return replace(config, floor_rules={**config.floor_rules, key: rule})
        case ReviewRuleSet():
            rule = _review_rule(event)
            return replace(config, review_rules={**config.review_rules, rule.effective_from: rule})
        case StuckRuleSet():
            version = _stuck_rule(event)
            key = (version.framework, version.effective_from)
            return replace(config, stuck_rules={**config.stuck_rules, key: version})
        case ReportCardConcernPolicySet():
            policy = _concern_policy(event)
            policies = {**config.concern_policies, policy.effective_from: policy}
            return replace(config, concern_policies=policies)
    return config


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def decide(command: ConfigurationCommand, config: CouncilConfiguration) -> list[Event]:
    """A setting identical to the one in force appends nothing."""
    match command:
        case SetSupportOffer():
            return _set_offer(command, config)
        case SetFloorRule():
            return _set_floor_rule(command, config)
        case SetReviewRule():
            return _set_review_rule(command, config)
        case SetStuckRule():
            return _set_stuck_rule(command, config)
        case SetReportCardConcernPolicy():
            return _set_concern_policy(command, config)
    raise TypeError(f"not a configuration command: {type(command).__name__}")


def _set_offer(command: SetSupportOffer, config: CouncilConfiguration) -> list[Event]:
    for category in CouncilCategory:
        if category not in command.days_by_category:
            raise InvalidInput(
                f"give the days a year for {category.value}", field=f"days_by_category.{category.value}"
            )
        _days(command.days_by_category[category], f"days_by_category.{category.value}")
    _days(command.academy_days, "academy_days")
    source = required_text(command.source, "source")
    offer = _offer(command.effective_from, command.days_by_category, command.academy_days, source)
    if config.support_offers.get(offer.effective_from) == offer:
        return []
    return [
        SupportOfferSet(
            effective_from=command.effective_from,
            days_by_category=dict(offer.days_by_category),
            academy_days=command.academy_days,
            source=source,
            set_by=required_text(command.set_by, "set_by"),
            set_on=command.set_on,
        )
    ]


def _set_floor_rule(command: SetFloorRule, config: CouncilConfiguration) -> list[Event]:
    year = _year(command.year, "year")
    attainment = _threshold(command.attainment, "attainment")
    progress = [_threshold(t, f"progress.{i}") for i, t in enumerate(command.progress)]
    names = [attainment.measure, *(t.measure for t in progress)]
    if len(set(names)) != len(names):
        raise InvalidInput("each measure of a floor rule is named once", field="progress")
    event = FloorRuleSet(
        year=year,
        key_stage=command.key_stage,
        attainment=attainment,
        progress=progress,
        progress_short_on=command.progress_short_on,
        source=required_text(command.source, "source"),
        set_by=required_text(command.set_by, "set_by"),
        set_on=command.set_on,
    )
    if config.floor_rules.get((year, command.key_stage)) == _floor_rule(event):
        return []
    return [event]


def _set_review_rule(command: SetReviewRule, config: CouncilConfiguration) -> list[Event]:
    days = command.frequent_interval_days
    if not SHORTEST_INTERVAL_DAYS <= days <= LONGEST_INTERVAL_DAYS:
        raise InvalidInput(
            f"reviews more frequent than termly come every {SHORTEST_INTERVAL_DAYS} to "
            f"{LONGEST_INTERVAL_DAYS} days",
            field="frequent_interval_days",
        )
    event = ReviewRuleSet(
        effective_from=command.effective_from,
        frequent_categories=sorted(set(command.frequent_categories)),
        frequent_interval_days=days,
        source=required_text(command.source, "source"),
        set_by=required_text(command.set_by, "set_by"),
        set_on=command.set_on,
    )
    if config.review_rules.get(command.effective_from) == _review_rule(event):
        return []
    return [event]


def _set_stuck_rule(command: SetStuckRule, config: CouncilConfiguration) -> list[Event]:
    event = StuckRuleSet(
        framework=command.framework,
        effective_from=command.effective_from,
        rule=command.rule,
        source=required_text(command.source, "source"),
        set_by=required_text(command.set_by, "set_by"),
        set_on=command.set_on,
    )
    if config.stuck_rules.get((command.framework, command.effective_from)) == _stuck_rule(event):
        return []
    return [event]


def _set_concern_policy(command: SetReportCardConcernPolicy, config: CouncilConfiguration) -> list[Event]:
    concern_grades = _report_card_values(
        command.concern_grades, REPORT_CARD_GRADES, "concern_grades", "grade"
    )
    good_grades = _report_card_values(
        command.good_or_better_grades, REPORT_CARD_GRADES, "good_or_better_grades", "grade"
    )
    both = sorted(set(concern_grades) & set(good_grades))
    if both:
        raise InvalidInput(
            f"a grade is either a concern or good or better, not both: {', '.join(both)}",
            field="good_or_better_grades",
        )
    event = ReportCardConcernPolicySet(
        effective_from=command.effective_from,
        concern_areas=_report_card_values(
            command.concern_areas, REPORT_CARD_ALL_AREAS, "concern_areas", "area"
        ),
        concern_grades=concern_grades,
        good_or_better_areas=_report_card_values(
            command.good_or_better_areas, REPORT_CARD_ALL_AREAS, "good_or_better_areas", "area"
        ),
        good_or_better_grades=good_grades,
        source=required_text(command.source, "source"),
        set_by=required_text(command.set_by, "set_by"),
        set_on=command.set_on,
    )
    if config.concern_policies.get(command.effective_from) == _concern_policy(event):
        return []
    return [event]


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _report_card_values(values: list[str], known: tuple[str, ...], field: str, kind: str) -> list[str]:
    """At least one, each a report-card evaluation area (or grade), in the framework's order."""
    if not values:
        raise InvalidInput(f"name at least one report-card {kind}", field=field)
    for index, value in enumerate(values):
        if value not in known:
            raise InvalidInput(
                f"{value!r} is not a report-card {kind} ({', '.join(known)})", field=f"{field}.{index}"
            )
    return [value for value in known if value in values]


def _year(year: int, field: str) -> int:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise InvalidInput(f"{year} is not a year between {EARLIEST_YEAR} and {LATEST_YEAR}", field=field)
    return year


def _days(days: Decimal, field: str) -> None:
    if not days.is_finite() or days < 0 or days % HALF_DAY != 0:
        raise InvalidInput(f"{days} is not a number of days in half-day steps", field=field)


def _threshold(threshold: FloorThreshold, field: str) -> FloorThreshold:
    measure = required_text(threshold.measure, f"{field}.measure")
    if " " in measure:
        raise InvalidInput(
            "a measure's name has no spaces, e.g. pct_level4_english_and_maths", field=f"{field}.measure"
        )
    if not threshold.minimum.is_finite():
        raise InvalidInput(f"{threshold.minimum} is not a number", field=f"{field}.minimum")
    return FloorThreshold(measure=measure, minimum=threshold.minimum)


def _offer(
    effective_from: date, days: Mapping[CouncilCategory, Decimal], academy_days: Decimal, source: str
) -> SupportOffer:
    return SupportOffer(
        effective_from=effective_from,
        days_by_category={CouncilCategory(c): Decimal(d) for c, d in days.items()},
        academy_days=Decimal(academy_days),
        source=source,
    )


def _floor_rule(event: FloorRuleSet) -> FloorRule:
    return FloorRule(
        year=event.year,
        key_stage=event.key_stage,
        attainment=Threshold(event.attainment.measure, event.attainment.minimum),
        progress=tuple(Threshold(t.measure, t.minimum) for t in event.progress),
        progress_short_on=event.progress_short_on,
        source=event.source,
    )


def _review_rule(event: ReviewRuleSet) -> ReviewRule:
    return ReviewRule(
        effective_from=event.effective_from,
        frequent_categories=frozenset(event.frequent_categories),
        frequent_interval=timedelta(days=event.frequent_interval_days),
        source=event.source,
    )


def _stuck_rule(event: StuckRuleSet) -> StuckRuleVersion:
    return StuckRuleVersion(
        framework=event.framework, effective_from=event.effective_from, rule=event.rule, source=event.source
    )


def _concern_policy(event: ReportCardConcernPolicySet) -> ReportCardConcernPolicy:
    return ReportCardConcernPolicy(
        effective_from=event.effective_from,
        concern_areas=frozenset(event.concern_areas),
        concern_grades=frozenset(event.concern_grades),
        good_or_better_areas=frozenset(event.good_or_better_areas),
        good_or_better_grades=frozenset(event.good_or_better_grades),
        source=event.source,
    )
