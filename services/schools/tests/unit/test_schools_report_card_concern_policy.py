"""Report cards and the virtual school's alert: which evaluation areas and grades are a concern (the
inspection's ``below_good``, which the pep service's alert follows) and which count as good or
better is the council's policy, versioned from a date; each inspection records the version that
judged it (domain.md section 7: Ofsted says the new grades are not comparable with the old)."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from schools.domain.configuration import (
    DEFAULT_CONFIGURATION,
    CouncilConfiguration,
    ReportCardConcernPolicySet,
    SetReportCardConcernPolicy,
    SetStuckRule,
    StuckRuleSet,
)
from schools.domain.configuration import (
    decide as decide_configuration,
)
from schools.domain.configuration import evolve as evolve_configuration
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.frameworks import CategoryOfConcern, Framework, InspectionType
from schools.domain.inspection_policies import REPORT_CARD_ALL_AREAS, REPORT_CARDS_FROM, StuckRule
from schools.domain.inspections import NO_INSPECTIONS, InspectionRecorded, RecordInspection, decide, evolve
from schools.domain.register import NO_SCHOOL, SchoolRegistered
from schools.domain.register import evolve as evolve_school

from shared.errors import InvalidInput
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
AREAS = list(REPORT_CARD_ALL_AREAS)
EXPECTED = {area: "expected_standard" for area in REPORT_CARD_ALL_AREAS[:6]}
GOOD_GRADES = ["exceptional", "strong_standard", "expected_standard"]
SEPTEMBER_2026 = date(2026, 9, 1)


def given(*events: Event) -> CouncilConfiguration:
    return reduce(evolve_configuration, events, DEFAULT_CONFIGURATION)


def policy_command(**changes: object) -> SetReportCardConcernPolicy:
    values: dict[str, object] = {
        "effective_from": SEPTEMBER_2026,
        "concern_areas": AREAS,
        "concern_grades": ["urgent_improvement"],
        "good_or_better_areas": AREAS,
        "good_or_better_grades": GOOD_GRADES,
        "source": "Virtual school governing board, July 2026: alert on urgent improvement only",
        "set_by": "pa.okafor",
        "set_on": date(2026, 7, 20),
    }
    values.update(changes)
    return SetReportCardConcernPolicy(**values)


def policy_set(**changes: object) -> ReportCardConcernPolicySet:
    [event] = decide_configuration(policy_command(**changes), DEFAULT_CONFIGURATION)
    assert isinstance(event, ReportCardConcernPolicySet)
    return event


def report_card(inspected_on: date = date(2026, 10, 14), **changes: object) -> RecordInspection:
    values: dict[str, object] = {
        "urn": URN,
        "inspection_id": "INS-RC",
        "inspected_on": inspected_on,
        "inspection_type": InspectionType.GRADED,
        "framework": Framework.REPORT_CARDS_NOVEMBER_2025,
        "judgements": {**EXPECTED, "curriculum_and_teaching": "needs_attention"},
        "safeguarding": "met",
    }
    values.update(changes)
    return RecordInspection(**values)


def recorded_under(config: CouncilConfiguration, command: RecordInspection) -> InspectionRecorded:
    [event, *_] = decide(
        command, NO_INSPECTIONS, school=SCHOOL, today=TODAY, policies=config.inspection_policies()
    )
    assert isinstance(event, InspectionRecorded)
    return event


# --- the alert under two versions ---------------------------------------------------------------


def test_under_the_default_policy_an_area_needing_attention_raises_the_alert() -> None:
    event = recorded_under(given(), report_card())

    assert (event.below_good, event.good_or_better) == (True, False)
    assert event.concern_policy_from == REPORT_CARDS_FROM


def test_under_a_policy_alerting_on_urgent_improvement_only_the_same_inspection_does_not() -> None:
    event = recorded_under(given(policy_set()), report_card())

    assert (event.below_good, event.good_or_better) == (False, False)
    assert event.concern_policy_from == SEPTEMBER_2026


def test_an_inspection_before_the_new_version_applies_is_judged_by_the_one_before() -> None:
    event = recorded_under(given(policy_set()), report_card(inspected_on=date(2026, 6, 10)))

    assert event.below_good is True
    assert event.concern_policy_from == REPORT_CARDS_FROM


def test_only_the_areas_the_policy_watches_raise_the_alert() -> None:
    watching_inclusion = policy_set(concern_areas=["inclusion"], concern_grades=["needs_attention"])

    quiet = recorded_under(given(watching_inclusion), report_card())
    alert = recorded_under(
        given(watching_inclusion), report_card(judgements={**EXPECTED, "inclusion": "needs_attention"})
    )

    assert (quiet.below_good, alert.below_good) == (False, True)


def test_good_or_better_is_every_counted_area_at_a_good_grade() -> None:
    strong_only = policy_set(good_or_better_grades=["exceptional", "strong_standard"])

    expected_everywhere = recorded_under(given(), report_card(judgements=EXPECTED))
    under_strong_only = recorded_under(given(strong_only), report_card(judgements=EXPECTED))

    assert (expected_everywhere.below_good, expected_everywhere.good_or_better) == (False, True)
    assert (under_strong_only.below_good, under_strong_only.good_or_better) == (False, False)


def test_safeguarding_not_met_or_a_category_is_a_concern_whatever_the_policy() -> None:
    config = given(policy_set(concern_areas=["inclusion"]))

    unsafe = recorded_under(config, report_card(judgements=EXPECTED, safeguarding="not_met"))
    in_category = recorded_under(
        config,
        report_card(
            judgements={**EXPECTED, "leadership_and_governance": "urgent_improvement"},
            category_of_concern=CategoryOfConcern.SPECIAL_MEASURES,
        ),
    )

    assert (unsafe.below_good, unsafe.good_or_better) == (True, False)
    assert (in_category.below_good, in_category.good_or_better) == (True, False)


def test_older_frameworks_keep_their_fixed_vocabulary_and_name_no_policy() -> None:
    command = RecordInspection(
        urn=URN,
        inspection_id="INS-2023",
        inspected_on=date(2023, 3, 8),
        inspection_type=InspectionType.GRADED,
        framework=Framework.SEPTEMBER_2012,
        overall_effectiveness="requires_improvement",
    )

    event = recorded_under(given(policy_set(effective_from=date(2020, 1, 1))), command)

    assert (event.below_good, event.good_or_better, event.concern_policy_from) == (True, False, None)


def test_the_fold_keeps_what_the_policy_decided() -> None:
    event = recorded_under(given(policy_set()), report_card())

    [inspection] = evolve(NO_INSPECTIONS, event).inspections

    assert (inspection.below_good, inspection.good_or_better) == (False, False)
    assert inspection.concern_policy_from == SEPTEMBER_2026


# --- setting the policy and the stuck rule --------------------------------------------------------


def test_the_defaults_stand_until_the_council_sets_its_own() -> None:
    policies = given().inspection_policies()

    assert [p.effective_from for p in policies.concern_policies] == [REPORT_CARDS_FROM]
    assert policies.concern_policy_on(TODAY).concern_grades == {"needs_attention", "urgent_improvement"}


def test_a_version_of_the_policy_is_added_beside_the_default() -> None:
    policies = given(policy_set()).inspection_policies()

    assert [p.effective_from for p in policies.concern_policies] == [REPORT_CARDS_FROM, SEPTEMBER_2026]
    assert policies.concern_policy_on(TODAY).concern_grades == {"urgent_improvement"}


def test_the_same_policy_set_again_records_nothing() -> None:
    assert decide_configuration(policy_command(), given(policy_set())) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"concern_areas": ["quality_of_education"]}, "concern_areas.0"),
        ({"concern_grades": ["requires_improvement"]}, "concern_grades.0"),
        ({"concern_grades": []}, "concern_grades"),
        ({"good_or_better_areas": []}, "good_or_better_areas"),
        ({"concern_grades": ["expected_standard"]}, "good_or_better_grades"),
        ({"source": "  "}, "source"),
    ],
)
def test_a_policy_naming_what_report_cards_do_not_grade_is_refused(changes: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        decide_configuration(policy_command(**changes), DEFAULT_CONFIGURATION)

    assert refused.value.field == field


def stuck_command(rule: StuckRule = StuckRule.RISE) -> SetStuckRule:
    return SetStuckRule(
        framework=Framework.REPORT_CARDS_NOVEMBER_2025,
        effective_from=REPORT_CARDS_FROM,
        rule=rule,
        source="Cabinet member decision, January 2026",
        set_by="pa.okafor",
        set_on=date(2026, 1, 20),
    )


def test_setting_the_stuck_rule_records_it_for_its_framework_and_date() -> None:
    [event] = decide_configuration(stuck_command(), DEFAULT_CONFIGURATION)

    assert isinstance(event, StuckRuleSet)
    policies = given(event).inspection_policies()
    assert policies.stuck_rule_for(Framework.REPORT_CARDS_NOVEMBER_2025, TODAY).rule == StuckRule.RISE
    assert policies.stuck_rule_for(Framework.SEPTEMBER_2024, TODAY).rule == StuckRule.SAME_JUDGEMENT_TWICE
    assert decide_configuration(stuck_command(), given(event)) == []


def test_the_council_can_go_back_to_the_older_rule_from_a_later_date() -> None:
    [rise] = decide_configuration(stuck_command(), DEFAULT_CONFIGURATION)
    back = stuck_command(StuckRule.SAME_JUDGEMENT_TWICE).model_copy(update={"effective_from": SEPTEMBER_2026})
    [older] = decide_configuration(back, given(rise))

    policies = given(rise, older).inspection_policies()

    assert (
        policies.stuck_rule_for(Framework.REPORT_CARDS_NOVEMBER_2025, date(2026, 3, 1)).rule == StuckRule.RISE
    )
    assert policies.stuck_rule_for(Framework.REPORT_CARDS_NOVEMBER_2025, TODAY).rule == (
        StuckRule.SAME_JUDGEMENT_TWICE
    )
