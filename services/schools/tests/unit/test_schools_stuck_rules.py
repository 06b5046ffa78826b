"""Which schools are stuck: the council's rule for each inspection framework, versioned from a date
(domain.md section 7: the DfE's RISE teams call a school stuck when it requires improvement at
its latest inspection and was below good at the one before; seed 004: the council's own "double
satisfactory", the same judgement below good twice)."""

from __future__ import annotations

from datetime import date
from functools import reduce

from schools.domain.configuration import (
    DEFAULT_CONFIGURATION,
    ReportCardConcernPolicySet,
    StuckRuleSet,
)
from schools.domain.configuration import evolve as evolve_configuration
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.frameworks import CategoryOfConcern, Framework, InspectionType
from schools.domain.inspection_policies import (
    OFSTED_INSPECTIONS_BEGAN,
    REPORT_CARD_ALL_AREAS,
    InspectionPolicies,
    StuckRule,
)
from schools.domain.inspections import (
    NO_INSPECTIONS,
    InspectionHistory,
    RecordInspection,
    SchoolIdentifiedAsStuck,
    decide,
    evolve,
)
from schools.domain.register import NO_SCHOOL, SchoolRegistered
from schools.domain.register import evolve as evolve_school

from shared.events import Event

URN = "118234"
TODAY = date(2026, 11, 2)
SCHOOL = evolve_school(
    NO_SCHOOL,
    SchoolRegistered(
        urn=URN,
        name="Oak Tree Primary School",
        la_code="886",
        establishment_type=EstablishmentType.COMMUNITY,
        phase=Phase.PRIMARY,
        opened_on=date(1975, 9, 1),
        status=SchoolStatus.OPEN,
        registered_on=date(2013, 1, 7),
    ),
)
EIF = ("quality_of_education", "behaviour_and_attitudes", "personal_development", "leadership_and_management")
REPORT_CARD_EXPECTED = {area: "expected_standard" for area in REPORT_CARD_ALL_AREAS[:6]}


def policies(*settings: Event) -> InspectionPolicies:
    return reduce(evolve_configuration, settings, DEFAULT_CONFIGURATION).inspection_policies()


def stuck_rule(
    framework: Framework, rule: StuckRule, effective_from: date = date(2024, 1, 1)
) -> StuckRuleSet:
    return StuckRuleSet(
        framework=framework,
        effective_from=effective_from,
        rule=rule,
        source="Cabinet member decision: stuck schools as the DfE's RISE teams define them",
        set_by="pa.okafor",
        set_on=date(2023, 12, 1),
    )


def graded_2012(inspection_id: str, inspected_on: date, grade: str, **extra: object) -> RecordInspection:
    return RecordInspection(
        urn=URN,
        inspection_id=inspection_id,
        inspected_on=inspected_on,
        inspection_type=InspectionType.GRADED,
        framework=Framework.SEPTEMBER_2012,
        overall_effectiveness=grade,
        judgements={area: grade for area in EIF},
        safeguarding="effective",
        **extra,
    )


def inadequate_2022() -> RecordInspection:
    return graded_2012(
        "INS-2022", date(2022, 3, 9), "inadequate", category_of_concern=CategoryOfConcern.SERIOUS_WEAKNESSES
    )


def requires_improvement_2024() -> RecordInspection:
    return graded_2012("INS-2024", date(2024, 5, 15), "requires_improvement")


def history_of(*commands: RecordInspection, under: InspectionPolicies) -> InspectionHistory:
    history = NO_INSPECTIONS
    for command in commands:
        for event in decide(command, history, school=SCHOOL, today=TODAY, policies=under):
            history = evolve(history, event)
    return history


def when(command: RecordInspection, history: InspectionHistory, under: InspectionPolicies) -> list[Event]:
    return decide(command, history, school=SCHOOL, today=TODAY, policies=under)


def stuck_flags(events: list[Event]) -> list[SchoolIdentifiedAsStuck]:
    return [e for e in events if isinstance(e, SchoolIdentifiedAsStuck)]


# --- RISE against the council's older rule ------------------------------------------------------


def test_under_the_rise_rule_inadequate_then_requires_improvement_is_stuck() -> None:
    rise = policies(stuck_rule(Framework.SEPTEMBER_2012, StuckRule.RISE))
    history = history_of(inadequate_2022(), under=rise)

    events = when(requires_improvement_2024(), history, rise)

    assert stuck_flags(events) == [
        SchoolIdentifiedAsStuck(
            urn=URN,
            judgement="requires_improvement",
            earlier_inspection_id="INS-2022",
            earlier_inspected_on=date(2022, 3, 9),
            later_inspection_id="INS-2024",
            later_inspected_on=date(2024, 5, 15),
            rule=StuckRule.RISE,
            rule_effective_from=date(2024, 1, 1),
        )
    ]
    assert evolve(history, events[0]).is_stuck() is False  # the flag itself makes it stuck
    assert reduce(evolve, events, history).is_stuck() is True


def test_under_the_older_rule_the_same_history_is_not_stuck() -> None:
    council_rule = policies()
    history = history_of(inadequate_2022(), under=council_rule)

    events = when(requires_improvement_2024(), history, council_rule)

    assert stuck_flags(events) == []


def test_by_default_every_framework_keeps_the_same_judgement_twice() -> None:
    defaults = policies()

    for framework in Framework:
        version = defaults.stuck_rule_for(framework, TODAY)
        assert (version.rule, version.effective_from) == (
            StuckRule.SAME_JUDGEMENT_TWICE,
            OFSTED_INSPECTIONS_BEGAN,
        )


def test_the_rise_rule_still_flags_requires_improvement_twice() -> None:
    rise = policies(stuck_rule(Framework.SEPTEMBER_2012, StuckRule.RISE))
    history = history_of(graded_2012("INS-2021", date(2021, 11, 3), "requires_improvement"), under=rise)

    assert [f.rule for f in stuck_flags(when(requires_improvement_2024(), history, rise))] == [StuckRule.RISE]


def test_under_the_rise_rule_a_school_inadequate_at_its_latest_inspection_is_not_stuck() -> None:
    rise = policies(stuck_rule(Framework.SEPTEMBER_2012, StuckRule.RISE))
    history = history_of(requires_improvement_2024(), under=rise)
    later = graded_2012(
        "INS-2024B", date(2024, 7, 1), "inadequate", category_of_concern=CategoryOfConcern.SPECIAL_MEASURES
    )

    assert stuck_flags(when(later, history, rise)) == []


def test_under_the_rise_rule_good_at_the_one_before_is_not_stuck() -> None:
    rise = policies(stuck_rule(Framework.SEPTEMBER_2012, StuckRule.RISE))
    history = history_of(graded_2012("INS-2021", date(2021, 11, 3), "good"), under=rise)

    assert stuck_flags(when(requires_improvement_2024(), history, rise)) == []


# --- per framework, per version -----------------------------------------------------------------


def test_the_rule_set_for_one_framework_leaves_the_others_alone() -> None:
    rise_for_report_cards_only = policies(stuck_rule(Framework.REPORT_CARDS_NOVEMBER_2025, StuckRule.RISE))
    history = history_of(inadequate_2022(), under=rise_for_report_cards_only)

    assert stuck_flags(when(requires_improvement_2024(), history, rise_for_report_cards_only)) == []


def test_the_version_in_force_on_the_later_inspections_date_decides() -> None:
    from_september_2024 = policies(
        stuck_rule(Framework.SEPTEMBER_2012, StuckRule.RISE, effective_from=date(2024, 9, 1))
    )
    history = history_of(inadequate_2022(), under=from_september_2024)

    # Inspected in May 2024, before the council's RISE rule applied.
    assert stuck_flags(when(requires_improvement_2024(), history, from_september_2024)) == []


# --- under report cards, "requires improvement" and "below good" are the council's policy --------


def september_2024(inspection_id: str, inspected_on: date, **grades: str) -> RecordInspection:
    return RecordInspection(
        urn=URN,
        inspection_id=inspection_id,
        inspected_on=inspected_on,
        inspection_type=InspectionType.GRADED,
        framework=Framework.SEPTEMBER_2024,
        judgements={area: "good" for area in EIF} | grades,
        safeguarding="effective",
    )


def september_2024_requires_improvement() -> RecordInspection:
    return september_2024("INS-2025", date(2025, 2, 5), quality_of_education="requires_improvement")


def report_card(inspection_id: str, inspected_on: date, **grades: str) -> RecordInspection:
    return RecordInspection(
        urn=URN,
        inspection_id=inspection_id,
        inspected_on=inspected_on,
        inspection_type=InspectionType.GRADED,
        framework=Framework.REPORT_CARDS_NOVEMBER_2025,
        judgements=REPORT_CARD_EXPECTED | grades,
        safeguarding="met",
    )


def report_card_needing_attention() -> RecordInspection:
    """The DfE's report-card equivalent of requires improvement: leadership needing attention."""
    return report_card("INS-2026", date(2026, 10, 14), leadership_and_governance="needs_attention")


def alert_on_urgent_improvement_only() -> ReportCardConcernPolicySet:
    return ReportCardConcernPolicySet(
        effective_from=date(2025, 11, 10),
        concern_areas=list(REPORT_CARD_ALL_AREAS),
        concern_grades=["urgent_improvement"],
        good_or_better_areas=list(REPORT_CARD_ALL_AREAS),
        good_or_better_grades=["exceptional", "strong_standard", "expected_standard"],
        source="Virtual school governing board, July 2026",
        set_by="pa.okafor",
        set_on=date(2026, 7, 20),
    )


RISE_FOR_REPORT_CARDS = stuck_rule(Framework.REPORT_CARDS_NOVEMBER_2025, StuckRule.RISE, date(2025, 11, 10))
RISE_FOR_SEPTEMBER_2024 = stuck_rule(Framework.SEPTEMBER_2024, StuckRule.RISE, date(2024, 9, 1))


def test_rise_across_frameworks_leadership_needing_attention_after_requires_improvement_is_stuck() -> None:
    rise = policies(RISE_FOR_REPORT_CARDS)
    history = history_of(september_2024_requires_improvement(), under=rise)

    flags = stuck_flags(when(report_card_needing_attention(), history, rise))

    assert [(f.earlier_inspection_id, f.later_inspection_id, f.rule) for f in flags] == [
        ("INS-2025", "INS-2026", StuckRule.RISE)
    ]


def test_rise_under_report_cards_another_area_needing_attention_is_not_requires_improvement() -> None:
    rise = policies(RISE_FOR_REPORT_CARDS)
    history = history_of(september_2024_requires_improvement(), under=rise)

    events = when(report_card("INS-2026", date(2026, 10, 14), achievement="needs_attention"), history, rise)

    assert events[0].below_good is True  # a concern for the alert, but not the DfE's RI equivalent
    assert stuck_flags(events) == []


def test_rise_the_earlier_report_card_is_below_good_as_the_council_policy_judged_it() -> None:
    earlier = report_card("INS-2025", date(2025, 12, 3), achievement="needs_attention")
    by_default = policies(RISE_FOR_REPORT_CARDS)
    urgent_only = policies(RISE_FOR_REPORT_CARDS, alert_on_urgent_improvement_only())

    stuck = stuck_flags(
        when(report_card_needing_attention(), history_of(earlier, under=by_default), by_default)
    )
    not_stuck = stuck_flags(
        when(report_card_needing_attention(), history_of(earlier, under=urgent_only), urgent_only)
    )

    assert [f.rule for f in stuck] == [StuckRule.RISE]
    assert not_stuck == []


def test_rise_under_the_september_2024_framework_reads_quality_of_education_and_leadership() -> None:
    rise = policies(RISE_FOR_SEPTEMBER_2024)
    inadequate = september_2024("INS-2024", date(2024, 10, 2), quality_of_education="inadequate").model_copy(
        update={"category_of_concern": CategoryOfConcern.SERIOUS_WEAKNESSES}
    )
    history = history_of(inadequate, under=rise)

    leadership = when(
        september_2024("INS-2025", date(2025, 6, 4), leadership_and_management="requires_improvement"),
        history,
        rise,
    )
    behaviour_only = when(
        september_2024("INS-2025", date(2025, 6, 4), behaviour_and_attitudes="requires_improvement"),
        history,
        rise,
    )

    assert [f.rule for f in stuck_flags(leadership)] == [StuckRule.RISE]
    assert stuck_flags(behaviour_only) == []


def test_the_older_rule_never_compares_a_report_card_with_a_four_point_grade() -> None:
    council_rule = policies()
    history = history_of(september_2024_requires_improvement(), under=council_rule)

    assert stuck_flags(when(report_card_needing_attention(), history, council_rule)) == []
