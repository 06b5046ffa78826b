"""Warning notices (s60): given events, when a command, then events or a refusal naming the field.

domain.md section 4; seed 003, appendix 3, "Giving a performance standards and safety warning
notice" and "Making representations against the warning notice".
"""

from datetime import date

import pytest
from notices.domain.notice_content import NoticeContent
from notices.domain.recipients import Recipient, RecipientRole
from notices.domain.rules import DEFAULT_RULE_BOOK
from notices.domain.school_facts import UNKNOWN_SCHOOL, SchoolFacts, SchoolStatus
from notices.domain.vocabulary import CompliancePeriod, Ground, LowStandardsBasis, Power
from notices.domain.warning_notice import (
    NO_NOTICE,
    AmendWarningNoticeDraft,
    DiscardWarningNoticeDraft,
    DraftWarningNotice,
    GiveNoticeOfIntentionToUsePowers,
    GiveWarningNotice,
    NoticeStage,
    RecordComplianceJudgement,
    RecordOfstedDecision,
    RecordRepresentationsToOfsted,
    decide,
    evolve,
)
from notices.domain.warning_notice_events import (
    NoticeOfIntentionToUsePowersGiven,
    OfstedConfirmedWarningNotice,
    OfstedDidNotConfirmWarningNotice,
    RepresentationsMadeToOfsted,
    WarningNoticeComplied,
    WarningNoticeCopyGiven,
    WarningNoticeDraftAmended,
    WarningNoticeDraftDiscarded,
    WarningNoticeDrafted,
    WarningNoticeGiven,
    WarningNoticeNotComplied,
)

from shared import calendar
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation

URN = "118001"
HARBOUR = SchoolFacts(
    urn=URN, name="Harbour Primary School", establishment_type="Community school", headteacher="Ms A Patel"
)
ST_ANSELMS = SchoolFacts(
    urn=URN,
    name="St Anselm's Catholic Primary School",
    establishment_type="Voluntary aided school",
    religious_character="Roman Catholic",
    diocese="Archdiocese of Southwark",
    headteacher="Mrs B Okafor",
)
OAKFIELD_ACADEMY = SchoolFacts(urn=URN, name="Oakfield Academy", establishment_type="Academy sponsor led")
CLOSED = SchoolFacts(
    urn=URN,
    name="Harbour Primary School",
    establishment_type="Community school",
    status=SchoolStatus.CLOSED,
    closed_on=date(2015, 8, 31),
)

CONTENT = NoticeContent(
    grounds=(Ground.LOW_STANDARDS, Ground.BREAKDOWN_IN_MANAGEMENT_OR_GOVERNANCE),
    low_standards_basis=(LowStandardsBasis.COMPARABLE_SCHOOLS, LowStandardsBasis.PREVIOUS_ATTAINMENT),
    concerns=(
        "Key stage 2 reading, writing and maths at the expected standard fell from 61% to 38% in two years.",
        "The governing body has not met since March and has no chair.",
    ),
    required_actions=("Appoint a chair and adopt an improvement plan agreed with the council.",),
    powers_minded_to_use=(Power.S63_REQUIRE_ARRANGEMENTS, Power.S65_INTERIM_EXECUTIVE_BOARD),
)
TODAY = date(2024, 6, 28)


def given(*events):
    state = NO_NOTICE
    for event in events:
        state = evolve(state, event)
    return state


def when(command, state, school=HARBOUR, today=TODAY):
    return decide(command, state, school=school, today=today, rules=DEFAULT_RULE_BOOK, calendar=calendar)


def drafted(on=date(2016, 3, 1), content=CONTENT, direction_id=None):
    return WarningNoticeDrafted(
        urn=URN,
        notice_id="WN1",
        school_name="Harbour Primary School",
        drafted_on=on,
        content=content,
        direction_id=direction_id,
    )


def given_on(day, school=HARBOUR, draft=None, **extra):
    """The events of giving notice WN1 on ``day``."""
    return when(
        GiveWarningNotice(notice_id="WN1", given_on=day, **extra), given(draft or drafted()), school=school
    )


# Drafting -------------------------------------------------------------------------------


def test_a_draft_records_the_grounds_concerns_required_action_and_powers_minded_to_use():
    events = when(
        DraftWarningNotice(notice_id="WN1", urn=URN, drafted_on=date(2016, 3, 1), content=CONTENT), NO_NOTICE
    )
    assert events == [drafted()]


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (CONTENT.model_copy(update={"grounds": ()}), "grounds"),
        (
            CONTENT.model_copy(update={"grounds": (Ground.SAFETY_THREATENED, Ground.SAFETY_THREATENED)}),
            "grounds",
        ),
        (CONTENT.model_copy(update={"low_standards_basis": ()}), "low_standards_basis"),
        (
            CONTENT.model_copy(update={"grounds": (Ground.SAFETY_THREATENED,)}),
            "low_standards_basis",
        ),
        (CONTENT.model_copy(update={"concerns": ()}), "concerns"),
        (CONTENT.model_copy(update={"concerns": ("Low standards.", "  ")}), "concerns.1"),
        (CONTENT.model_copy(update={"required_actions": ()}), "required_actions"),
        (CONTENT.model_copy(update={"powers_minded_to_use": ()}), "powers_minded_to_use"),
        (
            CONTENT.model_copy(
                update={"compliance_period": CompliancePeriod(working_days=10, ends_on=date(2016, 5, 1))}
            ),
            "compliance_period",
        ),
        (
            CONTENT.model_copy(update={"compliance_period": CompliancePeriod(working_days=0)}),
            "compliance_period.working_days",
        ),
    ],
)
def test_a_draft_that_does_not_state_what_section_60_requires_is_refused_naming_the_field(content, field):
    """s60: one or more of the three grounds; for low standards, what they are low by reference
    to; the concerns in detail; the action required; the action the council is minded to take."""
    with pytest.raises(InvalidInput) as refused:
        when(
            DraftWarningNotice(notice_id="WN1", urn=URN, drafted_on=date(2016, 3, 1), content=content),
            NO_NOTICE,
        )
    assert refused.value.field == field


def test_other_action_may_stand_in_for_the_powers_minded_to_use():
    content = CONTENT.model_copy(
        update={
            "powers_minded_to_use": (),
            "other_action_minded_to_take": "Ask the Secretary of State for an academy order.",
        }
    )
    events = when(
        DraftWarningNotice(notice_id="WN1", urn=URN, drafted_on=date(2016, 3, 1), content=content), NO_NOTICE
    )
    assert events == [drafted(content=content)]


def test_a_notice_to_an_academy_is_refused_and_points_to_a_letter_of_concern_to_the_trust():
    """domain.md s1: the council cannot give an academy a section 60 warning notice."""
    with pytest.raises(RuleViolation) as refused:
        when(
            DraftWarningNotice(notice_id="WN1", urn=URN, drafted_on=date(2016, 3, 1), content=CONTENT),
            NO_NOTICE,
            school=OAKFIELD_ACADEMY,
        )
    assert refused.value.field == "urn"
    assert (
        "academy" in refused.value.detail and "letter of concern to the academy trust" in refused.value.detail
    )


def test_a_draft_cannot_be_given_once_the_school_has_converted_to_an_academy():
    converted = SchoolFacts(**{**HARBOUR.__dict__, "converted_to_academy_on": date(2016, 3, 10)})
    with pytest.raises(RuleViolation) as refused:
        given_on(date(2016, 3, 14), school=converted)
    assert refused.value.field == "urn"


def test_a_notice_to_a_closed_school_is_refused():
    with pytest.raises(RuleViolation) as refused:
        when(
            DraftWarningNotice(notice_id="WN1", urn=URN, drafted_on=date(2016, 3, 1), content=CONTENT),
            NO_NOTICE,
            school=CLOSED,
        )
    assert refused.value.field == "urn"
    assert "closed on 2015-08-31" in refused.value.detail


def test_a_notice_to_an_unknown_urn_is_refused():
    with pytest.raises(NotFound) as refused:
        when(
            DraftWarningNotice(notice_id="WN1", urn="999999", drafted_on=date(2016, 3, 1), content=CONTENT),
            NO_NOTICE,
            school=UNKNOWN_SCHOOL,
        )
    assert refused.value.field == "urn"


def test_a_notice_id_is_drafted_once():
    with pytest.raises(Conflict) as refused:
        when(
            DraftWarningNotice(notice_id="WN1", urn=URN, drafted_on=date(2016, 3, 1), content=CONTENT),
            given(drafted()),
        )
    assert refused.value.field == "notice_id"


def test_a_draft_can_be_amended_and_discarded_but_not_after_being_discarded():
    amended = CONTENT.model_copy(update={"required_actions": ("Appoint a chair by 1 April.",)})
    assert when(
        AmendWarningNoticeDraft(notice_id="WN1", amended_on=date(2016, 3, 2), content=amended),
        given(drafted()),
    ) == [WarningNoticeDraftAmended(urn=URN, notice_id="WN1", amended_on=date(2016, 3, 2), content=amended)]
    discard = DiscardWarningNoticeDraft(
        notice_id="WN1", discarded_on=date(2016, 3, 3), reason="Governors acted first."
    )
    discarded = when(discard, given(drafted()))
    assert discarded == [
        WarningNoticeDraftDiscarded(
            urn=URN, notice_id="WN1", discarded_on=date(2016, 3, 3), reason="Governors acted first."
        )
    ]
    with pytest.raises(Conflict) as refused:
        when(GiveWarningNotice(notice_id="WN1", given_on=date(2016, 3, 4)), given(drafted(), *discarded))
    assert "discarded" in refused.value.detail


# Giving: regimes and recipients -----------------------------------------------------------


def test_a_notice_given_on_15_april_2016_has_the_statutory_period_and_a_right_to_make_representations():
    """domain.md s4 (pre-2016): the period ends on the 15th working day following the day given;
    representations to Ofsted within 15 working days of receipt. Monday 2 May 2016 is a bank holiday."""
    events = given_on(date(2016, 4, 15))
    notice = events[0]
    assert notice == WarningNoticeGiven(
        urn=URN,
        notice_id="WN1",
        school_name="Harbour Primary School",
        given_on=date(2016, 4, 15),
        rules="eia2006",
        content=CONTENT.model_copy(update={"compliance_period": CompliancePeriod(working_days=15)}),
        compliance_period_ends_on=date(2016, 5, 9),
        representations_allowed=True,
        representation_window_ends_on=date(2016, 5, 9),
        powers_lapse_on=date(2016, 7, 10),
        recipients=(
            Recipient(role=RecipientRole.GOVERNING_BODY, name="The governing body of Harbour Primary School"),
            Recipient(role=RecipientRole.HEADTEACHER, name="Ms A Patel"),
            Recipient(role=RecipientRole.OFSTED, name="Ofsted"),
        ),
    )


def test_a_notice_given_on_18_april_2016_has_the_period_the_council_sets_and_no_representations():
    """domain.md s4: since 18 April 2016 whoever gives the notice specifies the compliance period
    and the right to make representations to Ofsted is gone."""
    events = given_on(date(2016, 4, 18), compliance_period=CompliancePeriod(ends_on=date(2016, 6, 30)))
    notice = events[0]
    assert isinstance(notice, WarningNoticeGiven)
    assert notice.rules == "eaa2016"
    assert notice.compliance_period_ends_on == date(2016, 6, 30)
    assert notice.representations_allowed is False and notice.representation_window_ends_on is None
    assert notice.powers_lapse_on == date(2016, 8, 31)


def test_from_18_april_2016_a_notice_without_a_compliance_period_is_refused():
    with pytest.raises(InvalidInput) as refused:
        given_on(date(2016, 4, 18))
    assert refused.value.field == "compliance_period"


def test_before_18_april_2016_a_compliance_period_other_than_the_statutory_one_is_refused():
    with pytest.raises(RuleViolation) as refused:
        given_on(date(2016, 4, 15), compliance_period=CompliancePeriod(working_days=30))
    assert refused.value.field == "compliance_period"
    assert "2016-05-09" in refused.value.detail


def test_a_compliance_period_ending_on_the_day_given_is_refused():
    with pytest.raises(InvalidInput) as refused:
        given_on(date(2022, 9, 9), compliance_period=CompliancePeriod(ends_on=date(2022, 9, 9)))
    assert refused.value.field == "compliance_period.ends_on"


def test_the_drafts_compliance_period_is_used_when_the_notice_is_given():
    draft = drafted(
        content=CONTENT.model_copy(update={"compliance_period": CompliancePeriod(working_days=15)})
    )
    assert given_on(date(2022, 9, 9), draft=draft)[0].compliance_period_ends_on == date(2022, 10, 3)


def test_a_notice_given_just_before_easter_2016_ends_its_period_on_18_april():
    assert given_on(date(2016, 3, 24))[0].compliance_period_ends_on == date(2016, 4, 18)


def test_a_notice_given_just_before_easter_2024_with_15_working_days_ends_on_22_april():
    events = given_on(date(2024, 3, 28), compliance_period=CompliancePeriod(working_days=15))
    assert events[0].compliance_period_ends_on == date(2024, 4, 22)


def test_a_notice_spanning_christmas_2015_ends_its_period_on_13_january_2016():
    assert given_on(date(2015, 12, 18), draft=drafted(on=date(2015, 12, 1)))[
        0
    ].compliance_period_ends_on == date(2016, 1, 13)


def test_a_notice_across_the_coronation_bank_holiday_ends_its_period_on_23_may_2023():
    events = given_on(date(2023, 4, 28), compliance_period=CompliancePeriod(working_days=15))
    assert events[0].compliance_period_ends_on == date(2023, 5, 23)


def test_every_copy_is_recorded_as_given_on_the_day_the_notice_is_given():
    events = given_on(date(2016, 4, 15))
    assert events[1:] == [
        WarningNoticeCopyGiven(urn=URN, notice_id="WN1", recipient=recipient, given_on=date(2016, 4, 15))
        for recipient in events[0].recipients
    ]


def test_a_catholic_voluntary_aided_schools_notice_is_copied_to_the_diocese_and_the_foundation_governors_appointer():
    events = given_on(
        date(2016, 4, 15),
        school=ST_ANSELMS,
        foundation_governors_appointer="Trustees of the Archdiocese of Southwark",
    )
    assert events[0].recipients == (
        Recipient(
            role=RecipientRole.GOVERNING_BODY,
            name="The governing body of St Anselm's Catholic Primary School",
        ),
        Recipient(role=RecipientRole.HEADTEACHER, name="Mrs B Okafor"),
        Recipient(role=RecipientRole.DIOCESAN_AUTHORITY, name="Archdiocese of Southwark"),
        Recipient(
            role=RecipientRole.FOUNDATION_GOVERNORS_APPOINTER, name="Trustees of the Archdiocese of Southwark"
        ),
        Recipient(role=RecipientRole.OFSTED, name="Ofsted"),
    )
    assert len(events) == 1 + 5


def test_a_voluntary_aided_schools_notice_is_refused_until_the_foundation_governors_appointer_is_named():
    with pytest.raises(InvalidInput) as refused:
        given_on(date(2016, 4, 15), school=ST_ANSELMS)
    assert refused.value.field == "foundation_governors_appointer"


def test_a_notice_given_on_a_secretary_of_state_direction_is_copied_to_the_secretary_of_state():
    """seed 003: the council gives the Secretary of State a copy on the same day."""
    events = given_on(date(2016, 4, 15), draft=drafted(direction_id="D1"))
    assert events[0].direction_id == "D1"
    assert events[0].recipients[-1] == Recipient(
        role=RecipientRole.SECRETARY_OF_STATE, name="The Secretary of State"
    )


def test_a_notice_cannot_be_given_on_a_day_still_to_come():
    with pytest.raises(InvalidInput) as refused:
        given_on(date(2024, 7, 1), compliance_period=CompliancePeriod(working_days=15))
    assert refused.value.field == "given_on"


def test_a_notice_is_given_once():
    state = given(drafted(), *given_on(date(2016, 4, 15)))
    with pytest.raises(Conflict) as refused:
        when(GiveWarningNotice(notice_id="WN1", given_on=date(2016, 4, 20)), state)
    assert refused.value.field == "notice_id"


# Representations (pre-2016) ---------------------------------------------------------------


def pre_2016_notice(day=date(2016, 2, 29)):
    """Given Monday 29 February 2016: the period and the window end Monday 21 March 2016."""
    return given(drafted(on=date(2016, 2, 1)), *given_on(day, draft=drafted(on=date(2016, 2, 1))))


def test_representations_within_15_working_days_go_to_ofsted():
    state = pre_2016_notice()
    events = when(
        RecordRepresentationsToOfsted(
            notice_id="WN1", made_on=date(2016, 3, 21), summary="Insufficient evidence."
        ),
        state,
    )
    assert events == [
        RepresentationsMadeToOfsted(
            urn=URN, notice_id="WN1", made_on=date(2016, 3, 21), summary="Insufficient evidence."
        )
    ]


def test_a_notice_given_on_15_april_2016_keeps_its_right_to_representations_after_18_april():
    """domain.md s4: notices given before 18 April 2016 finish under the old rules."""
    state = given(drafted(), *given_on(date(2016, 4, 15)))
    events = when(
        RecordRepresentationsToOfsted(notice_id="WN1", made_on=date(2016, 5, 3), summary="Disproportionate."),
        state,
    )
    assert events == [
        RepresentationsMadeToOfsted(
            urn=URN, notice_id="WN1", made_on=date(2016, 5, 3), summary="Disproportionate."
        )
    ]


def test_representations_after_the_window_are_refused():
    with pytest.raises(RuleViolation) as refused:
        when(
            RecordRepresentationsToOfsted(notice_id="WN1", made_on=date(2016, 3, 22), summary="Late."),
            pre_2016_notice(),
        )
    assert refused.value.field == "made_on"
    assert "2016-03-21" in refused.value.detail


def test_representations_against_a_notice_given_from_18_april_2016_are_refused():
    state = given(
        drafted(), *given_on(date(2016, 4, 18), compliance_period=CompliancePeriod(working_days=20))
    )
    with pytest.raises(RuleViolation) as refused:
        when(
            RecordRepresentationsToOfsted(
                notice_id="WN1", made_on=date(2016, 4, 20), summary="Disproportionate."
            ),
            state,
        )
    assert refused.value.field == "notice_id"
    assert "18 April 2016" in refused.value.detail


def test_representations_are_made_once():
    state = pre_2016_notice()
    state = evolve(
        state, RepresentationsMadeToOfsted(urn=URN, notice_id="WN1", made_on=date(2016, 3, 10), summary="x")
    )
    with pytest.raises(Conflict):
        when(RecordRepresentationsToOfsted(notice_id="WN1", made_on=date(2016, 3, 11), summary="y"), state)


def with_representations():
    return evolve(
        pre_2016_notice(),
        RepresentationsMadeToOfsted(urn=URN, notice_id="WN1", made_on=date(2016, 3, 10), summary="x"),
    )


def test_a_notice_confirmed_by_ofsted_makes_the_school_eligible_15_working_days_later_across_easter():
    """seed 003: if Ofsted confirms the notice, the school is eligible after 15 working days
    beginning with the day of confirmation. Confirmed Thursday 24 March 2016: Monday 18 April."""
    events = when(
        RecordOfstedDecision(notice_id="WN1", decided_on=date(2016, 3, 24), confirmed=True),
        with_representations(),
    )
    assert events == [
        OfstedConfirmedWarningNotice(
            urn=URN,
            notice_id="WN1",
            confirmed_on=date(2016, 3, 24),
            eligible_on=date(2016, 4, 18),
            powers_lapse_on=date(2016, 6, 19),
        )
    ]


def test_a_notice_ofsted_does_not_confirm_cannot_be_judged_for_compliance():
    decision = when(
        RecordOfstedDecision(notice_id="WN1", decided_on=date(2016, 3, 24), confirmed=False),
        with_representations(),
    )
    assert decision == [
        OfstedDidNotConfirmWarningNotice(urn=URN, notice_id="WN1", decided_on=date(2016, 3, 24))
    ]
    state = evolve(with_representations(), decision[0])
    assert state.stage is NoticeStage.NOT_CONFIRMED_BY_OFSTED
    with pytest.raises(Conflict) as refused:
        when(
            RecordComplianceJudgement(
                notice_id="WN1", judged_on=date(2016, 3, 29), complied=False, evidence="x"
            ),
            state,
        )
    assert "did not confirm" in refused.value.detail


def test_compliance_is_not_judged_while_representations_are_with_ofsted():
    with pytest.raises(Conflict) as refused:
        when(
            RecordComplianceJudgement(
                notice_id="WN1", judged_on=date(2016, 3, 22), complied=False, evidence="x"
            ),
            with_representations(),
        )
    assert refused.value.field == "notice_id"


def test_ofsted_decides_only_after_representations():
    with pytest.raises(Conflict):
        when(
            RecordOfstedDecision(notice_id="WN1", decided_on=date(2016, 3, 24), confirmed=True),
            pre_2016_notice(),
        )


# Compliance and notice of intention -------------------------------------------------------


def post_2016_notice():
    """Given Friday 9 September 2022 with 15 working days: the period ends Monday 3 October."""
    return given(drafted(), *given_on(date(2022, 9, 9), compliance_period=CompliancePeriod(working_days=15)))


def test_compliance_is_judged_at_the_end_of_the_compliance_period_not_before():
    with pytest.raises(RuleViolation) as refused:
        when(
            RecordComplianceJudgement(
                notice_id="WN1", judged_on=date(2022, 9, 30), complied=False, evidence="No plan."
            ),
            post_2016_notice(),
        )
    assert refused.value.field == "judged_on"
    assert "2022-10-03" in refused.value.detail


def test_compliance_is_not_judged_on_the_last_day_of_the_period_which_is_the_governing_bodys():
    with pytest.raises(RuleViolation) as refused:
        when(
            RecordComplianceJudgement(
                notice_id="WN1", judged_on=date(2022, 10, 3), complied=False, evidence="No plan."
            ),
            post_2016_notice(),
        )
    assert refused.value.field == "judged_on"
    assert "from 2022-10-04" in refused.value.detail


def test_a_judgement_records_complied_or_not_with_its_evidence():
    state = post_2016_notice()
    assert when(
        RecordComplianceJudgement(
            notice_id="WN1", judged_on=date(2022, 10, 4), complied=True, evidence="Chair appointed."
        ),
        state,
    ) == [
        WarningNoticeComplied(
            urn=URN, notice_id="WN1", judged_on=date(2022, 10, 4), evidence="Chair appointed."
        )
    ]
    assert when(
        RecordComplianceJudgement(
            notice_id="WN1", judged_on=date(2022, 10, 4), complied=False, evidence="No plan adopted."
        ),
        state,
    ) == [
        WarningNoticeNotComplied(
            urn=URN, notice_id="WN1", judged_on=date(2022, 10, 4), evidence="No plan adopted."
        )
    ]


def test_a_judgement_needs_evidence():
    with pytest.raises(InvalidInput) as refused:
        when(
            RecordComplianceJudgement(
                notice_id="WN1", judged_on=date(2022, 10, 4), complied=False, evidence=" "
            ),
            post_2016_notice(),
        )
    assert refused.value.field == "evidence"


def test_notice_of_intention_after_non_compliance_carries_the_dates_that_govern_the_powers():
    """domain.md s4: eligible once not complied with and the council has given written notice
    that it proposes to use its powers; s63/s64/s66 lapse two months after the period ends."""
    state = evolve(
        post_2016_notice(),
        WarningNoticeNotComplied(urn=URN, notice_id="WN1", judged_on=date(2022, 10, 4), evidence="No plan."),
    )
    events = when(
        GiveNoticeOfIntentionToUsePowers(
            notice_id="WN1",
            given_on=date(2022, 10, 5),
            powers=(Power.S64_ADDITIONAL_GOVERNORS, Power.S66_SUSPEND_DELEGATED_BUDGET),
        ),
        state,
    )
    assert events == [
        NoticeOfIntentionToUsePowersGiven(
            urn=URN,
            notice_id="WN1",
            given_on=date(2022, 10, 5),
            powers=(Power.S64_ADDITIONAL_GOVERNORS, Power.S66_SUSPEND_DELEGATED_BUDGET),
            compliance_period_ended_on=date(2022, 10, 3),
            powers_lapse_on=date(2022, 12, 4),
        )
    ]
    assert evolve(state, events[0]).stage is NoticeStage.SCHOOL_ELIGIBLE


def test_notice_of_intention_is_refused_unless_the_notice_was_not_complied_with():
    complied = evolve(
        post_2016_notice(),
        WarningNoticeComplied(urn=URN, notice_id="WN1", judged_on=date(2022, 10, 4), evidence="Done."),
    )
    with pytest.raises(Conflict) as refused:
        when(
            GiveNoticeOfIntentionToUsePowers(
                notice_id="WN1", given_on=date(2022, 10, 5), powers=(Power.S64_ADDITIONAL_GOVERNORS,)
            ),
            complied,
        )
    assert refused.value.field == "notice_id"


def test_notice_of_intention_names_at_least_one_power():
    state = evolve(
        post_2016_notice(),
        WarningNoticeNotComplied(urn=URN, notice_id="WN1", judged_on=date(2022, 10, 4), evidence="x"),
    )
    with pytest.raises(InvalidInput) as refused:
        when(GiveNoticeOfIntentionToUsePowers(notice_id="WN1", given_on=date(2022, 10, 5), powers=()), state)
    assert refused.value.field == "powers"
