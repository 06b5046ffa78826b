"""A notice's deadlines fire as events on their own, each exactly once, even when the scheduler
runs late or restarts (architecture.md: deadlines fire whether or not anyone is looking)."""

from datetime import date

from notices.domain.notice_content import NoticeContent
from notices.domain.rules import DEFAULT_RULE_BOOK
from notices.domain.school_facts import SchoolFacts
from notices.domain.vocabulary import CompliancePeriod, Ground, Power
from notices.domain.warning_notice import (
    NO_NOTICE,
    GiveWarningNotice,
    NoticeStage,
    deadlines_due,
    evolve,
    pending_deadlines,
)
from notices.domain.warning_notice import decide as decide_notice
from notices.domain.warning_notice_events import (
    CompliancePeriodEnded,
    OfstedConfirmedWarningNotice,
    RepresentationsMadeToOfsted,
    RepresentationWindowClosed,
    WarningNoticeDrafted,
    WarningNoticeEligibilityDateReached,
)

from shared import calendar

URN = "118001"
HARBOUR = SchoolFacts(urn=URN, name="Harbour Primary School", establishment_type="Community school")
CONTENT = NoticeContent(
    grounds=(Ground.SAFETY_THREATENED,),
    concerns=("Repeated failures to supervise pupils at the site entrance.",),
    required_actions=("Put a supervision rota in place.",),
    powers_minded_to_use=(Power.S64_ADDITIONAL_GOVERNORS,),
)


def given(*events):
    state = NO_NOTICE
    for event in events:
        state = evolve(state, event)
    return state


def given_state(state, events):
    for event in events:
        state = evolve(state, event)
    return state


def notice_given_on(day, period=None):
    draft = WarningNoticeDrafted(
        urn=URN, notice_id="WN1", school_name=HARBOUR.name, drafted_on=date(2015, 12, 1), content=CONTENT
    )
    state = given(draft)
    events = decide_notice(
        GiveWarningNotice(notice_id="WN1", given_on=day, compliance_period=period),
        state,
        school=HARBOUR,
        today=day,
        rules=DEFAULT_RULE_BOOK,
        calendar=calendar,
    )
    return given(draft, *events)


def test_the_compliance_period_end_is_not_due_on_its_last_day_and_is_due_the_day_after():
    """Given 9 September 2022 with 15 working days: the period includes Monday 3 October 2022."""
    state = notice_given_on(date(2022, 9, 9), CompliancePeriod(working_days=15))
    assert deadlines_due(state, date(2022, 10, 3)) == []
    assert deadlines_due(state, date(2022, 10, 4)) == [
        CompliancePeriodEnded(urn=URN, notice_id="WN1", ended_on=date(2022, 10, 3))
    ]


def test_a_recorded_deadline_is_never_due_again():
    state = notice_given_on(date(2022, 9, 9), CompliancePeriod(working_days=15))
    state = given_state(state, deadlines_due(state, date(2022, 10, 4)))
    assert deadlines_due(state, date(2022, 10, 4)) == []
    assert deadlines_due(state, date(2023, 1, 1)) == []


def test_a_scheduler_restarting_weeks_late_appends_every_passed_deadline_once_in_date_order():
    """A pre-2016 notice spanning Christmas 2015: the period and the window for representations
    both end Wednesday 13 January 2016."""
    state = notice_given_on(date(2015, 12, 18))
    due = deadlines_due(state, date(2016, 3, 1))
    assert due == [
        CompliancePeriodEnded(urn=URN, notice_id="WN1", ended_on=date(2016, 1, 13)),
        RepresentationWindowClosed(
            urn=URN, notice_id="WN1", closed_on=date(2016, 1, 13), representations_made=False
        ),
    ]
    assert deadlines_due(given_state(state, due), date(2016, 3, 1)) == []


def test_while_representations_are_with_ofsted_the_original_compliance_period_does_not_end():
    state = notice_given_on(date(2016, 2, 29))
    state = evolve(
        state, RepresentationsMadeToOfsted(urn=URN, notice_id="WN1", made_on=date(2016, 3, 10), summary="x")
    )
    assert deadlines_due(state, date(2016, 3, 22)) == [
        RepresentationWindowClosed(
            urn=URN, notice_id="WN1", closed_on=date(2016, 3, 21), representations_made=True
        )
    ]


def test_a_confirmed_notice_makes_the_school_eligible_on_its_eligibility_date_and_not_before():
    """Confirmed Thursday 24 March 2016: eligible Monday 18 April 2016, after the Easter bank holidays."""
    state = notice_given_on(date(2016, 2, 29))
    state = given_state(
        state,
        [
            RepresentationsMadeToOfsted(urn=URN, notice_id="WN1", made_on=date(2016, 3, 10), summary="x"),
            RepresentationWindowClosed(
                urn=URN, notice_id="WN1", closed_on=date(2016, 3, 21), representations_made=True
            ),
            OfstedConfirmedWarningNotice(
                urn=URN,
                notice_id="WN1",
                confirmed_on=date(2016, 3, 24),
                eligible_on=date(2016, 4, 18),
                powers_lapse_on=date(2016, 6, 19),
            ),
        ],
    )
    assert deadlines_due(state, date(2016, 4, 15)) == []
    eligible = WarningNoticeEligibilityDateReached(
        urn=URN,
        notice_id="WN1",
        eligible_on=date(2016, 4, 18),
        compliance_period_ended_on=date(2016, 4, 18),
        powers_lapse_on=date(2016, 6, 19),
    )
    assert deadlines_due(state, date(2016, 4, 18)) == [eligible]
    assert deadlines_due(state, date(2016, 4, 19)) == [
        eligible,
        CompliancePeriodEnded(urn=URN, notice_id="WN1", ended_on=date(2016, 4, 18)),
    ]
    after = given_state(state, deadlines_due(state, date(2016, 4, 19)))
    assert after.stage is NoticeStage.SCHOOL_ELIGIBLE
    assert deadlines_due(after, date(2016, 12, 1)) == []


def test_a_notice_given_from_18_april_2016_has_no_representation_deadline():
    state = notice_given_on(date(2016, 4, 18), CompliancePeriod(ends_on=date(2016, 5, 20)))
    assert [d.kind.value for d in pending_deadlines(state)] == ["compliance_period_end"]


def test_a_draft_has_no_deadlines():
    draft = WarningNoticeDrafted(
        urn=URN, notice_id="WN1", school_name=HARBOUR.name, drafted_on=date(2016, 1, 4), content=CONTENT
    )
    assert deadlines_due(given(draft), date(2030, 1, 1)) == []
