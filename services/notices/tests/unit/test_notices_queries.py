"""The questions the read models will answer, built only from events: a notice's timeline with
every computed date, the schools causing concern with their stage, and upcoming deadlines."""

from datetime import date

import pytest
from notices.domain import academy_concern, direction, intervention, warning_notice
from notices.domain.academy_concern import LetterOfConcernSentToTrust
from notices.domain.deadlines import DeadlineKind, upcoming_deadlines
from notices.domain.direction_events import DirectionToConsiderWarningNoticeReceived
from notices.domain.intervention_events import (
    ConsultationStarted,
    InterimExecutiveBoardApplied,
    InterimExecutiveBoardConsentGiven,
    InterimExecutiveBoardEstablished,
    PowersLapsed,
    SchoolBecameEligibleForIntervention,
)
from notices.domain.notice_content import NoticeContent
from notices.domain.notice_timeline import notice_timeline
from notices.domain.across_schools import ConcernStage, all_pending_deadlines, schools_causing_concern
from notices.domain.recipients import Recipient, RecipientRole
from notices.domain.school_facts import SchoolFacts, SchoolStatus
from notices.domain.vocabulary import POWERS_THAT_LAPSE, EligibilityBasis, Ground, Power
from notices.domain.warning_notice import NoticeStage
from notices.domain.warning_notice_events import (
    CompliancePeriodEnded,
    NoticeOfIntentionToUsePowersGiven,
    OfstedConfirmedWarningNotice,
    RepresentationsMadeToOfsted,
    RepresentationWindowClosed,
    WarningNoticeComplied,
    WarningNoticeCopyGiven,
    WarningNoticeDrafted,
    WarningNoticeEligibilityDateReached,
    WarningNoticeGiven,
    WarningNoticeNotComplied,
)

from shared import calendar
from shared.errors import InvalidInput

CONTENT = NoticeContent(
    grounds=(Ground.SAFETY_THREATENED,),
    concerns=("Site security failures.",),
    required_actions=("Secure the site.",),
    powers_minded_to_use=(Power.S64_ADDITIONAL_GOVERNORS,),
)
GOVERNORS = Recipient(role=RecipientRole.GOVERNING_BODY, name="The governing body of Harbour Primary School")


def fold(module, initial, events):
    state = initial
    for event in events:
        state = module.evolve(state, event)
    return state


def notice_events(urn, notice_id, given_on, ends_on, window_ends_on=None, lapse=date(2030, 1, 1)):
    return [
        WarningNoticeDrafted(
            urn=urn, notice_id=notice_id, school_name="School " + urn, drafted_on=given_on, content=CONTENT
        ),
        WarningNoticeGiven(
            urn=urn,
            notice_id=notice_id,
            school_name="School " + urn,
            given_on=given_on,
            rules="eia2006" if window_ends_on else "eaa2016",
            content=CONTENT,
            compliance_period_ends_on=ends_on,
            representations_allowed=window_ends_on is not None,
            representation_window_ends_on=window_ends_on,
            powers_lapse_on=lapse,
            recipients=(GOVERNORS,),
        ),
        WarningNoticeCopyGiven(urn=urn, notice_id=notice_id, recipient=GOVERNORS, given_on=given_on),
    ]


# A notice's timeline ----------------------------------------------------------------------


def test_a_confirmed_pre_2016_notices_timeline_has_every_step_and_every_computed_date():
    urn = "118001"
    events = [
        *notice_events(
            urn,
            "WN1",
            date(2016, 2, 29),
            date(2016, 3, 21),
            window_ends_on=date(2016, 3, 21),
            lapse=date(2016, 5, 22),
        ),
        RepresentationsMadeToOfsted(
            urn=urn, notice_id="WN1", made_on=date(2016, 3, 10), summary="Insufficient evidence."
        ),
        RepresentationWindowClosed(
            urn=urn, notice_id="WN1", closed_on=date(2016, 3, 21), representations_made=True
        ),
        OfstedConfirmedWarningNotice(
            urn=urn,
            notice_id="WN1",
            confirmed_on=date(2016, 3, 24),
            eligible_on=date(2016, 4, 18),
            powers_lapse_on=date(2016, 6, 19),
        ),
        SchoolBecameEligibleForIntervention(
            urn="999999", basis=EligibilityBasis.SPECIAL_MEASURES, eligible_from=date(2016, 4, 1)
        ),
        WarningNoticeEligibilityDateReached(
            urn=urn,
            notice_id="WN1",
            eligible_on=date(2016, 4, 18),
            compliance_period_ended_on=date(2016, 4, 18),
            powers_lapse_on=date(2016, 6, 19),
        ),
        SchoolBecameEligibleForIntervention(
            urn=urn,
            basis=EligibilityBasis.WARNING_NOTICE,
            eligible_from=date(2016, 4, 18),
            notice_id="WN1",
            compliance_period_ended_on=date(2016, 4, 18),
            powers_lapse_on=date(2016, 6, 19),
        ),
        CompliancePeriodEnded(urn=urn, notice_id="WN1", ended_on=date(2016, 4, 18)),
        PowersLapsed(urn=urn, notice_id="WN1", lapsed_on=date(2016, 6, 19), powers=POWERS_THAT_LAPSE),
    ]
    timeline = notice_timeline("WN1", events)
    assert timeline.stage is NoticeStage.SCHOOL_ELIGIBLE and timeline.rules == "eia2006"
    assert timeline.dates.given_on == date(2016, 2, 29)
    assert timeline.dates.representation_window_ends_on == date(2016, 3, 21)
    assert timeline.dates.representations_made_on == date(2016, 3, 10)
    assert timeline.dates.ofsted_decided_on == date(2016, 3, 24)
    assert timeline.dates.eligible_on == date(2016, 4, 18)
    assert timeline.dates.compliance_period_ends_on == date(2016, 4, 18)
    assert timeline.dates.last_day_to_use_lapsing_powers == date(2016, 6, 18)
    assert timeline.dates.powers_lapse_on == date(2016, 6, 19)
    assert [e.event_type for e in timeline.entries] == [
        "WarningNoticeDrafted",
        "WarningNoticeGiven",
        "WarningNoticeCopyGiven",
        "RepresentationsMadeToOfsted",
        "RepresentationWindowClosed",
        "OfstedConfirmedWarningNotice",
        "WarningNoticeEligibilityDateReached",
        "SchoolBecameEligibleForIntervention",
        "CompliancePeriodEnded",
        "PowersLapsed",
    ]
    assert (
        timeline.entries[2].summary
        == "Copy given to The governing body of Harbour Primary School (governing_body)"
    )
    assert timeline.pending_deadlines == ()


def test_a_running_notices_timeline_lists_its_pending_deadlines():
    timeline = notice_timeline("WN2", notice_events("118002", "WN2", date(2023, 4, 28), date(2023, 5, 23)))
    assert [(d.kind, d.due_on) for d in timeline.pending_deadlines] == [
        (DeadlineKind.COMPLIANCE_PERIOD_END, date(2023, 5, 23))
    ]


def test_the_timeline_of_an_unknown_notice_is_not_found():
    with pytest.raises(LookupError):
        notice_timeline("WN9", notice_events("118002", "WN2", date(2023, 4, 28), date(2023, 5, 23)))


# Schools causing concern ------------------------------------------------------------------

TODAY = date(2023, 6, 1)


def concern_sources():
    overdue_judgement = fold(
        warning_notice,
        warning_notice.NO_NOTICE,
        notice_events("100001", "WN1", date(2023, 4, 28), date(2023, 5, 23)),
    )
    running = fold(
        warning_notice,
        warning_notice.NO_NOTICE,
        notice_events("100002", "WN2", date(2023, 5, 22), date(2023, 6, 30)),
    )
    complied = fold(
        warning_notice,
        warning_notice.NO_NOTICE,
        [
            *notice_events("100005", "WN5", date(2023, 4, 3), date(2023, 4, 28)),
            WarningNoticeComplied(
                urn="100005", notice_id="WN5", judged_on=date(2023, 5, 2), evidence="Done."
            ),
        ],
    )
    closed = fold(
        warning_notice,
        warning_notice.NO_NOTICE,
        notice_events("100006", "WN6", date(2023, 5, 22), date(2023, 6, 30)),
    )
    special_measures = fold(
        intervention,
        intervention.NO_INTERVENTION,
        [
            SchoolBecameEligibleForIntervention(
                urn="100002", basis=EligibilityBasis.SPECIAL_MEASURES, eligible_from=date(2023, 5, 25)
            )
        ],
    )
    with_board = fold(
        intervention,
        intervention.NO_INTERVENTION,
        [
            SchoolBecameEligibleForIntervention(
                urn="100003", basis=EligibilityBasis.SERIOUS_WEAKNESSES, eligible_from=date(2022, 11, 1)
            ),
            InterimExecutiveBoardApplied(urn="100003", applied_on=date(2023, 1, 9), consultation_id="C1"),
            InterimExecutiveBoardConsentGiven(urn="100003", consented_on=date(2023, 2, 1)),
            InterimExecutiveBoardEstablished(
                urn="100003",
                notice_given_on=date(2023, 2, 6),
                starts_on=date(2023, 2, 20),
                ends_on=None,
                members=("A", "B"),
                chair="A",
            ),
        ],
    )
    letter = fold(
        academy_concern,
        academy_concern.NO_ACADEMY_CONCERN,
        [
            LetterOfConcernSentToTrust(
                urn="140004",
                school_name="Oakfield Academy",
                trust_name="Coastal Learning Trust",
                sent_on=date(2023, 3, 1),
                concerns=("x",),
            )
        ],
    )
    return [overdue_judgement, running, complied, closed], [special_measures, with_board], [letter]


def test_schools_causing_concern_are_listed_at_their_most_serious_stage_most_serious_first():
    notices, cases, letters = concern_sources()
    closed_school = SchoolFacts(
        urn="100006", name="Old School", establishment_type="Community school", status=SchoolStatus.CLOSED
    )
    listed = schools_causing_concern(
        notices=notices, cases=cases, academy_concerns=letters, today=TODAY, schools={"100006": closed_school}
    )
    assert [(s.urn, s.stage, s.since) for s in listed] == [
        ("100003", ConcernStage.INTERIM_EXECUTIVE_BOARD, date(2023, 2, 20)),
        ("100002", ConcernStage.SPECIAL_MEASURES, date(2023, 5, 25)),
        ("100001", ConcernStage.COMPLIANCE_JUDGEMENT_DUE, date(2023, 5, 24)),
        ("140004", ConcernStage.LETTER_OF_CONCERN_TO_TRUST, date(2023, 3, 1)),
    ]
    assert listed[1].powers_available == tuple(Power)


def test_a_notice_whose_period_still_runs_shows_its_compliance_period_running():
    notices, _, _ = concern_sources()
    listed = schools_causing_concern(notices=notices, today=TODAY)
    assert ("100002", ConcernStage.COMPLIANCE_PERIOD_RUNNING) in [(s.urn, s.stage) for s in listed]
    assert "100005" not in [s.urn for s in listed]


def test_a_school_eligible_only_by_a_notice_shows_which_powers_remain_after_the_lapse():
    case = fold(
        intervention,
        intervention.NO_INTERVENTION,
        [
            SchoolBecameEligibleForIntervention(
                urn="100007",
                basis=EligibilityBasis.WARNING_NOTICE,
                eligible_from=date(2022, 10, 5),
                notice_id="WN1",
                compliance_period_ended_on=date(2022, 10, 3),
                powers_lapse_on=date(2022, 12, 4),
            )
        ],
    )
    [school] = schools_causing_concern(cases=[case], today=TODAY)
    assert school.stage is ConcernStage.ELIGIBLE_WARNING_NOTICE
    assert school.powers_available == (Power.S65_INTERIM_EXECUTIVE_BOARD,)


def test_a_school_eligible_through_its_notice_shows_the_powers_its_eligibility_allows():
    """The notice (stage "eligible") and the eligibility it caused rank the same: the school's
    powers are shown whichever of the two sets its stage."""
    notice = fold(
        warning_notice,
        warning_notice.NO_NOTICE,
        [
            *notice_events("100008", "WN8", date(2023, 4, 3), date(2023, 4, 28)),
            WarningNoticeNotComplied(
                urn="100008", notice_id="WN8", judged_on=date(2023, 5, 2), evidence="No."
            ),
            NoticeOfIntentionToUsePowersGiven(
                urn="100008",
                notice_id="WN8",
                given_on=date(2023, 5, 3),
                powers=(Power.S64_ADDITIONAL_GOVERNORS,),
                compliance_period_ended_on=date(2023, 4, 28),
                powers_lapse_on=date(2023, 6, 29),
            ),
        ],
    )
    case = fold(
        intervention,
        intervention.NO_INTERVENTION,
        [
            SchoolBecameEligibleForIntervention(
                urn="100008",
                basis=EligibilityBasis.WARNING_NOTICE,
                eligible_from=date(2023, 5, 3),
                notice_id="WN8",
                compliance_period_ended_on=date(2023, 4, 28),
                powers_lapse_on=date(2023, 6, 29),
            )
        ],
    )
    [school] = schools_causing_concern(notices=[notice], cases=[case], today=TODAY)
    assert (school.stage, school.notice_id) == (ConcernStage.ELIGIBLE_WARNING_NOTICE, "WN8")
    assert school.powers_available == tuple(Power)


# Upcoming deadlines -----------------------------------------------------------------------


def test_upcoming_deadlines_over_christmas_count_working_days_ahead():
    """From Wednesday 20 December 2023, five working days ahead is Friday 29 December
    (25 and 26 December are bank holidays)."""
    notice = fold(
        warning_notice,
        warning_notice.NO_NOTICE,
        notice_events("100001", "WN1", date(2023, 12, 1), date(2023, 12, 29)),
    )
    case = fold(
        intervention,
        intervention.NO_INTERVENTION,
        [
            SchoolBecameEligibleForIntervention(
                urn="100002",
                basis=EligibilityBasis.WARNING_NOTICE,
                eligible_from=date(2023, 10, 2),
                notice_id="WN0",
                compliance_period_ended_on=date(2023, 10, 19),
                powers_lapse_on=date(2023, 12, 20),
            ),
            ConsultationStarted(
                urn="100002",
                consultation_id="C1",
                power=Power.S65_INTERIM_EXECUTIVE_BOARD,
                proposal="IEB",
                consultees=(GOVERNORS,),
                started_on=date(2023, 12, 8),
                closes_on=date(2023, 12, 22),
            ),
        ],
    )
    directed = fold(
        direction,
        direction.NO_DIRECTION,
        [
            DirectionToConsiderWarningNoticeReceived(
                urn="100003",
                direction_id="D1",
                given_on=date(2023, 12, 18),
                specified_terms="x",
                response_due_on=date(2024, 1, 2),
            )
        ],
    )
    pending = all_pending_deadlines(notices=[notice], cases=[case], directions=[directed])
    upcoming = upcoming_deadlines(pending, date(2023, 12, 20), 5, calendar)
    assert [(d.kind, d.urn, d.due_on) for d in upcoming] == [
        (DeadlineKind.CONSULTATION_CLOSE, "100002", date(2023, 12, 22)),
        (DeadlineKind.COMPLIANCE_PERIOD_END, "100001", date(2023, 12, 29)),
    ]
    assert [d.kind for d in upcoming_deadlines(pending, date(2023, 12, 20), 6, calendar)][
        -1
    ] is DeadlineKind.DIRECTION_RESPONSE


def test_a_negative_look_ahead_is_refused():
    with pytest.raises(InvalidInput) as refused:
        upcoming_deadlines([], date(2023, 12, 20), -1, calendar)
    assert refused.value.field == "working_days"
