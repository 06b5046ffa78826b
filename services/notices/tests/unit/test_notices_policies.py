"""Policies: events turned into commands on other streams, and the flows they make.

architecture.md: "Ofsted special measures makes a school eligible for intervention"; domain.md
section 4: eligible at once, "even mid-way through a notice's compliance period".
"""

from datetime import date

from notices.domain import intervention, warning_notice
from notices.domain.direction import RecordDirectedNoticeGiven
from notices.domain.eligibility import (
    RecordCategoryOfConcernRemoved,
    RecordEligibilityFromInspection,
    RecordEligibilityFromWarningNotice,
)
from notices.domain.intervention_events import (
    AdditionalGovernorsAppointed,
    SchoolBecameEligibleForIntervention,
)
from notices.domain.notice_content import NoticeContent
from notices.domain.policies import commands_for
from notices.domain.powers import AppointAdditionalGovernors
from notices.domain.rules import DEFAULT_RULE_BOOK
from notices.domain.school_facts import SchoolFacts
from notices.domain.schools_events import InspectionRecorded, SchoolRegistered, school_facts_from
from notices.domain.vocabulary import (
    CategoryOfConcern,
    CompliancePeriod,
    EligibilityBasis,
    Ground,
    LowStandardsBasis,
    Power,
)
from notices.domain.warning_notice import DraftWarningNotice, GiveWarningNotice, NoticeStage
from notices.domain.warning_notice_events import (
    NoticeOfIntentionToUsePowersGiven,
    WarningNoticeEligibilityDateReached,
    WarningNoticeGiven,
)

from shared import calendar

URN = "118001"
REGISTERED = SchoolRegistered(urn=URN, name="Harbour Primary School", establishment_type="Community school")
HARBOUR = school_facts_from([REGISTERED])
ACADEMY = SchoolFacts(urn=URN, name="Oakfield Academy", establishment_type="Academy converter")
CONTENT = NoticeContent(
    grounds=(Ground.LOW_STANDARDS,),
    low_standards_basis=(LowStandardsBasis.EXPECTED_ATTAINMENT,),
    concerns=("Below the floor standard for three years.",),
    required_actions=("Adopt the council's improvement plan.",),
    powers_minded_to_use=(Power.S64_ADDITIONAL_GOVERNORS,),
)


def test_notice_of_intention_makes_the_school_eligible_on_its_intervention_stream():
    event = NoticeOfIntentionToUsePowersGiven(
        urn=URN,
        notice_id="WN1",
        given_on=date(2022, 10, 5),
        powers=(Power.S64_ADDITIONAL_GOVERNORS,),
        compliance_period_ended_on=date(2022, 10, 3),
        powers_lapse_on=date(2022, 12, 4),
    )
    assert commands_for(event, HARBOUR) == [
        RecordEligibilityFromWarningNotice(
            urn=URN,
            notice_id="WN1",
            eligible_from=date(2022, 10, 5),
            compliance_period_ended_on=date(2022, 10, 3),
            powers_lapse_on=date(2022, 12, 4),
        )
    ]


def test_a_confirmed_notices_eligibility_date_makes_the_school_eligible():
    event = WarningNoticeEligibilityDateReached(
        urn=URN,
        notice_id="WN1",
        eligible_on=date(2016, 4, 18),
        compliance_period_ended_on=date(2016, 4, 18),
        powers_lapse_on=date(2016, 6, 19),
    )
    assert commands_for(event, HARBOUR) == [
        RecordEligibilityFromWarningNotice(
            urn=URN,
            notice_id="WN1",
            eligible_from=date(2016, 4, 18),
            compliance_period_ended_on=date(2016, 4, 18),
            powers_lapse_on=date(2016, 6, 19),
        )
    ]


def test_special_measures_at_a_maintained_school_calls_for_eligibility_and_at_an_academy_for_nothing():
    inspection = InspectionRecorded(
        urn=URN, inspection_id="INS1", inspected_on=date(2023, 3, 1), category_of_concern="special measures"
    )
    assert commands_for(inspection, HARBOUR) == [
        RecordEligibilityFromInspection(
            urn=URN,
            inspected_on=date(2023, 3, 1),
            category=CategoryOfConcern.SPECIAL_MEASURES,
            inspection_id="INS1",
        )
    ]
    assert commands_for(inspection, ACADEMY) == []


def test_an_inspection_without_a_category_calls_for_ending_a_category_basis():
    inspection = InspectionRecorded(urn=URN, inspection_id="INS2", inspected_on=date(2024, 2, 1))
    assert commands_for(inspection, HARBOUR) == [
        RecordCategoryOfConcernRemoved(urn=URN, inspected_on=date(2024, 2, 1), inspection_id="INS2")
    ]


def test_a_monitoring_inspection_without_a_category_leaves_eligibility_standing():
    inspection = InspectionRecorded(
        urn=URN, inspection_id="INS3", inspected_on=date(2023, 6, 1), inspection_type="monitoring"
    )
    assert commands_for(inspection, HARBOUR) == []


def test_a_notice_given_under_a_direction_is_recorded_against_the_direction():
    draft = DraftWarningNotice(
        notice_id="WN1", urn=URN, drafted_on=date(2022, 9, 12), content=CONTENT, direction_id="D1"
    )
    state = _fold(warning_notice, _notice(draft))
    given = warning_notice.decide(
        GiveWarningNotice(
            notice_id="WN1", given_on=date(2022, 9, 14), compliance_period=CompliancePeriod(working_days=20)
        ),
        state,
        school=HARBOUR,
        today=date(2022, 9, 14),
        rules=DEFAULT_RULE_BOOK,
        calendar=calendar,
    )[0]
    assert isinstance(given, WarningNoticeGiven)
    assert commands_for(given, HARBOUR) == [
        RecordDirectedNoticeGiven(direction_id="D1", notice_id="WN1", given_on=date(2022, 9, 14))
    ]


def test_special_measures_makes_a_school_eligible_mid_way_through_a_notices_compliance_period():
    """seed 003: the judgement makes the school eligible whether or not the compliance period has
    expired. Notice given 28 April 2023 (period to 23 May); special measures on 10 May; s64 used
    on 11 May while the notice's compliance period still runs."""
    draft = DraftWarningNotice(notice_id="WN1", urn=URN, drafted_on=date(2023, 4, 20), content=CONTENT)
    notice_events = _notice(draft)
    notice_events += warning_notice.decide(
        GiveWarningNotice(
            notice_id="WN1", given_on=date(2023, 4, 28), compliance_period=CompliancePeriod(working_days=15)
        ),
        _fold(warning_notice, notice_events),
        school=HARBOUR,
        today=date(2023, 4, 28),
        rules=DEFAULT_RULE_BOOK,
        calendar=calendar,
    )
    notice = _fold(warning_notice, notice_events)
    assert notice.stage is NoticeStage.COMPLIANCE_PERIOD and notice.compliance_period_ends_on == date(
        2023, 5, 23
    )

    inspection = InspectionRecorded(
        urn=URN, inspection_id="INS1", inspected_on=date(2023, 5, 10), category_of_concern="Special Measures"
    )
    facts = school_facts_from([REGISTERED, inspection])
    [command] = commands_for(inspection, facts)
    case_events = intervention.decide(
        command, intervention.NO_INTERVENTION, school=facts, today=date(2023, 5, 11), rules=DEFAULT_RULE_BOOK
    )
    assert case_events == [
        SchoolBecameEligibleForIntervention(
            urn=URN,
            basis=EligibilityBasis.SPECIAL_MEASURES,
            eligible_from=date(2023, 5, 10),
            inspection_id="INS1",
        )
    ]
    case = _fold(intervention, case_events)
    used = intervention.decide(
        AppointAdditionalGovernors(urn=URN, appointed_on=date(2023, 5, 11), governors=("Dr E Novak",)),
        case,
        school=facts,
        today=date(2023, 5, 11),
        rules=DEFAULT_RULE_BOOK,
    )
    assert used == [
        AdditionalGovernorsAppointed(
            urn=URN,
            appointed_on=date(2023, 5, 11),
            governors=("Dr E Novak",),
            foundation_may_appoint_equal_number=False,
        )
    ]


def _notice(draft):
    return warning_notice.decide(
        draft,
        warning_notice.NO_NOTICE,
        school=HARBOUR,
        today=draft.drafted_on,
        rules=DEFAULT_RULE_BOOK,
        calendar=calendar,
    )


def _fold(module, events):
    state = module.NO_NOTICE if module is warning_notice else module.NO_INTERVENTION
    for event in events:
        state = module.evolve(state, event)
    return state
