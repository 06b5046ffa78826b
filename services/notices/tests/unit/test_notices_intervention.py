"""Eligibility for intervention and the council's powers (s63-s66).

domain.md section 4; seed 003, appendix 3, "Local authority powers of intervention".
"""

from datetime import date

import pytest
from notices.domain.eligibility import (
    RecordCategoryOfConcernRemoved,
    RecordEligibilityFromInspection,
    RecordEligibilityFromWarningNotice,
)
from notices.domain.intervention import NO_INTERVENTION, deadlines_due, decide, evolve
from notices.domain.intervention_events import (
    AdditionalGovernorsAppointed,
    ArrangementsRequired,
    CategoryOfConcernRemoved,
    ConsultationResponseReceived,
    ConsultationStarted,
    ConsultationWindowClosed,
    DelegatedBudgetRestored,
    DelegatedBudgetSuspended,
    InterimExecutiveBoardApplied,
    InterimExecutiveBoardConsentGiven,
    InterimExecutiveBoardEnded,
    InterimExecutiveBoardEstablished,
    PowersLapsed,
    SchoolBecameEligibleForIntervention,
    SecretaryOfStateAppointedAdditionalGovernors,
)
from notices.domain.powers import (
    ApplyForInterimExecutiveBoard,
    AppointAdditionalGovernors,
    EstablishInterimExecutiveBoard,
    RecordConsultationResponse,
    RecordSecretaryOfStateDecisionOnInterimExecutiveBoard,
    RequireArrangements,
    StartConsultation,
    SuspendDelegatedBudget,
)
from notices.domain.recipients import Recipient, RecipientRole
from notices.domain.rules import DEFAULT_RULE_BOOK
from notices.domain.school_facts import SchoolFacts
from notices.domain.vocabulary import (
    POWERS_THAT_LAPSE,
    ArrangementForm,
    CategoryOfConcern,
    EligibilityBasis,
    Power,
)

from shared.errors import InvalidInput, NotFound, RuleViolation

URN = "118001"
HARBOUR = SchoolFacts(
    urn=URN, name="Harbour Primary School", establishment_type="Community school", headteacher="Ms A Patel"
)
ST_MARYS = SchoolFacts(
    urn=URN,
    name="St Mary's CE Primary School",
    establishment_type="Voluntary aided school",
    religious_character="Church of England",
    diocese="Diocese of Canterbury",
)
TODAY = date(2024, 6, 28)

ELIGIBLE_BY_NOTICE = SchoolBecameEligibleForIntervention(
    urn=URN,
    basis=EligibilityBasis.WARNING_NOTICE,
    eligible_from=date(2022, 10, 5),
    notice_id="WN1",
    compliance_period_ended_on=date(2022, 10, 3),
    powers_lapse_on=date(2022, 12, 4),
)
SPECIAL_MEASURES = SchoolBecameEligibleForIntervention(
    urn=URN, basis=EligibilityBasis.SPECIAL_MEASURES, eligible_from=date(2023, 3, 1), inspection_id="INS1"
)


def given(*events):
    state = NO_INTERVENTION
    for event in events:
        state = evolve(state, event)
    return state


def when(command, state, school=HARBOUR, today=TODAY):
    return decide(command, state, school=school, today=today, rules=DEFAULT_RULE_BOOK)


def consultation(power=Power.S63_REQUIRE_ARRANGEMENTS, started_on=date(2022, 10, 6), consultation_id="C1"):
    return ConsultationStarted(
        urn=URN,
        consultation_id=consultation_id,
        power=power,
        proposal="Require an advisory contract with Seaview Teaching School.",
        consultees=(
            Recipient(role=RecipientRole.GOVERNING_BODY, name="The governing body of Harbour Primary School"),
        ),
        started_on=started_on,
        closes_on=date.fromordinal(started_on.toordinal() + 14),
    )


def governors(on):
    return AppointAdditionalGovernors(urn=URN, appointed_on=on, governors=("Mr C Dlamini", "Dr E Novak"))


# Eligibility ------------------------------------------------------------------------------


def test_special_measures_makes_the_school_eligible_at_once_without_a_notice():
    """domain.md s4: a school judged to need special measures (s62) is eligible at once."""
    events = when(
        RecordEligibilityFromInspection(
            urn=URN,
            inspected_on=date(2023, 3, 1),
            category=CategoryOfConcern.SPECIAL_MEASURES,
            inspection_id="INS1",
        ),
        NO_INTERVENTION,
    )
    assert events == [SPECIAL_MEASURES]
    assert when(governors(date(2023, 3, 1)), given(*events)) == [
        AdditionalGovernorsAppointed(
            urn=URN,
            appointed_on=date(2023, 3, 1),
            governors=("Mr C Dlamini", "Dr E Novak"),
            foundation_may_appoint_equal_number=False,
        )
    ]


def test_serious_weaknesses_makes_the_school_eligible_at_once_too():
    events = when(
        RecordEligibilityFromInspection(
            urn=URN, inspected_on=date(2023, 3, 1), category=CategoryOfConcern.SERIOUS_WEAKNESSES
        ),
        NO_INTERVENTION,
    )
    assert [(e.basis, e.eligible_from) for e in events] == [
        (EligibilityBasis.SERIOUS_WEAKNESSES, date(2023, 3, 1))
    ]


def test_the_same_inspection_delivered_twice_records_eligibility_once():
    command = RecordEligibilityFromInspection(
        urn=URN,
        inspected_on=date(2023, 3, 1),
        category=CategoryOfConcern.SPECIAL_MEASURES,
        inspection_id="INS1",
    )
    assert when(command, given(SPECIAL_MEASURES)) == []


def test_the_same_notice_delivered_twice_records_eligibility_once():
    command = RecordEligibilityFromWarningNotice(
        urn=URN,
        notice_id="WN1",
        eligible_from=date(2022, 10, 5),
        compliance_period_ended_on=date(2022, 10, 3),
        powers_lapse_on=date(2022, 12, 4),
    )
    assert when(command, NO_INTERVENTION) == [ELIGIBLE_BY_NOTICE]
    assert when(command, given(ELIGIBLE_BY_NOTICE)) == []


def test_an_inspection_without_a_category_ends_eligibility_from_special_measures_but_not_from_a_notice():
    state = given(ELIGIBLE_BY_NOTICE, SPECIAL_MEASURES)
    events = when(
        RecordCategoryOfConcernRemoved(urn=URN, inspected_on=date(2024, 2, 1), inspection_id="INS2"), state
    )
    assert events == [
        CategoryOfConcernRemoved(
            urn=URN,
            inspected_on=date(2024, 2, 1),
            inspection_id="INS2",
            categories_ended=(CategoryOfConcern.SPECIAL_MEASURES,),
        )
    ]
    after = evolve(state, events[0])
    assert [e.basis for e in after.active_eligibility(date(2024, 2, 1))] == [EligibilityBasis.WARNING_NOTICE]


def test_an_inspection_without_a_category_when_none_was_in_force_records_nothing():
    assert (
        when(
            RecordCategoryOfConcernRemoved(urn=URN, inspected_on=date(2024, 2, 1)), given(ELIGIBLE_BY_NOTICE)
        )
        == []
    )


# Refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        governors(date(2022, 10, 4)),
        SuspendDelegatedBudget(urn=URN, notice_given_on=date(2022, 10, 4), suspended_from=date(2022, 11, 1)),
        RequireArrangements(
            urn=URN,
            required_on=date(2022, 10, 4),
            form=ArrangementForm.ADVISORY_SERVICES,
            with_whom="Seaview Teaching School",
            details="Advisory support for leadership of maths.",
            consultation_id="C1",
        ),
        ApplyForInterimExecutiveBoard(urn=URN, applied_on=date(2022, 10, 4), consultation_id="C1"),
    ],
)
def test_a_power_used_when_the_school_is_not_eligible_is_refused(command):
    """Eligibility begins with the notice of intention on 5 October 2022; the day before, no power."""
    with pytest.raises(RuleViolation) as refused:
        when(command, given(ELIGIBLE_BY_NOTICE))
    assert refused.value.field == "urn"
    assert "not eligible for intervention on 2022-10-04" in refused.value.detail


def test_s64_may_be_used_on_the_last_day_of_the_two_months_after_the_compliance_period():
    """domain.md s4: where eligibility came from a notice, s63, s64 and s66 must be used within two
    months after the compliance period ends (3 October 2022, so until 3 December 2022)."""
    assert len(when(governors(date(2022, 12, 3)), given(ELIGIBLE_BY_NOTICE))) == 1


def test_s64_more_than_two_months_after_the_compliance_period_ended_is_refused():
    with pytest.raises(RuleViolation) as refused:
        when(governors(date(2022, 12, 4)), given(ELIGIBLE_BY_NOTICE))
    assert refused.value.field == "appointed_on"
    assert "lapsed on 2022-12-04" in refused.value.detail and "new warning notice" in refused.value.detail


def test_s66_more_than_two_months_after_the_compliance_period_ended_is_refused():
    with pytest.raises(RuleViolation) as refused:
        when(
            SuspendDelegatedBudget(
                urn=URN, notice_given_on=date(2022, 12, 5), suspended_from=date(2023, 1, 1)
            ),
            given(ELIGIBLE_BY_NOTICE),
        )
    assert refused.value.field == "notice_given_on"


def test_s63_more_than_two_months_after_the_compliance_period_ended_is_refused():
    state = given(ELIGIBLE_BY_NOTICE, consultation(started_on=date(2022, 10, 6)))
    with pytest.raises(RuleViolation) as refused:
        when(
            RequireArrangements(
                urn=URN,
                required_on=date(2022, 12, 4),
                form=ArrangementForm.COLLABORATE_WITH_SCHOOL,
                with_whom="Seaview Primary School",
                details="Joint leadership of the curriculum.",
                consultation_id="C1",
            ),
            state,
        )
    assert refused.value.field == "required_on"


def test_s65_may_still_be_used_after_the_other_powers_lapse():
    """seed 003: the IEB power may be exercised at any time the school is eligible."""
    state = given(
        ELIGIBLE_BY_NOTICE, consultation(power=Power.S65_INTERIM_EXECUTIVE_BOARD, started_on=date(2023, 1, 9))
    )
    events = when(
        ApplyForInterimExecutiveBoard(urn=URN, applied_on=date(2023, 2, 1), consultation_id="C1"), state
    )
    assert events == [
        InterimExecutiveBoardApplied(urn=URN, applied_on=date(2023, 2, 1), consultation_id="C1")
    ]


def test_special_measures_keeps_the_powers_available_after_a_notices_powers_lapse():
    assert len(when(governors(date(2023, 6, 1)), given(ELIGIBLE_BY_NOTICE, SPECIAL_MEASURES))) == 1


def test_powers_over_a_school_that_has_become_an_academy_are_refused():
    academy = SchoolFacts(**{**HARBOUR.__dict__, "converted_to_academy_on": date(2022, 11, 1)})
    with pytest.raises(RuleViolation) as refused:
        when(governors(date(2022, 11, 2)), given(ELIGIBLE_BY_NOTICE), school=academy)
    assert refused.value.field == "urn"


# The lapse as an event --------------------------------------------------------------------


def test_the_powers_lapse_on_their_own_as_an_event_exactly_once():
    state = given(ELIGIBLE_BY_NOTICE)
    assert deadlines_due(state, date(2022, 12, 3)) == []
    lapsed = PowersLapsed(urn=URN, notice_id="WN1", lapsed_on=date(2022, 12, 4), powers=POWERS_THAT_LAPSE)
    assert deadlines_due(state, date(2022, 12, 4)) == [lapsed]
    assert deadlines_due(evolve(state, lapsed), date(2023, 6, 1)) == []


# Consultation -----------------------------------------------------------------------------


def test_a_consultation_on_s63_goes_to_the_governing_body_and_normally_lasts_14_days():
    events = when(
        StartConsultation(
            urn=URN,
            consultation_id="C1",
            power=Power.S63_REQUIRE_ARRANGEMENTS,
            proposal="Require an advisory contract with Seaview Teaching School.",
            started_on=date(2022, 10, 6),
        ),
        given(ELIGIBLE_BY_NOTICE),
    )
    assert events == [consultation()]
    assert events[0].closes_on == date(2022, 10, 20)


def test_a_church_of_england_voluntary_aided_school_consults_the_diocese_and_the_foundation_governors_appointer():
    events = when(
        StartConsultation(
            urn=URN,
            consultation_id="C1",
            power=Power.S65_INTERIM_EXECUTIVE_BOARD,
            proposal="Replace the governing body with an interim executive board.",
            started_on=date(2023, 3, 6),
            days=21,
            foundation_governors_appointer="Canterbury Diocesan Board of Education",
        ),
        given(SPECIAL_MEASURES),
        school=ST_MARYS,
    )
    assert events[0].consultees == (
        Recipient(
            role=RecipientRole.GOVERNING_BODY, name="The governing body of St Mary's CE Primary School"
        ),
        Recipient(role=RecipientRole.DIOCESAN_AUTHORITY, name="Diocese of Canterbury"),
        Recipient(
            role=RecipientRole.FOUNDATION_GOVERNORS_APPOINTER, name="Canterbury Diocesan Board of Education"
        ),
    )
    assert events[0].closes_on == date(2023, 3, 27)


@pytest.mark.parametrize("power", [Power.S64_ADDITIONAL_GOVERNORS, Power.S66_SUSPEND_DELEGATED_BUDGET])
def test_no_consultation_is_started_for_powers_that_need_none(power):
    with pytest.raises(RuleViolation) as refused:
        when(
            StartConsultation(
                urn=URN, consultation_id="C1", power=power, proposal="x", started_on=date(2022, 10, 6)
            ),
            given(ELIGIBLE_BY_NOTICE),
        )
    assert refused.value.field == "power"


def test_s63_is_decided_only_after_the_consultation_closes():
    state = given(ELIGIBLE_BY_NOTICE, consultation())
    command = RequireArrangements(
        urn=URN,
        required_on=date(2022, 10, 20),
        form=ArrangementForm.ADVISORY_SERVICES,
        with_whom="Seaview Teaching School",
        details="Advisory support for leadership of maths.",
        consultation_id="C1",
    )
    with pytest.raises(RuleViolation) as refused:
        when(command, state)
    assert refused.value.field == "required_on"
    next_day = command.model_copy(update={"required_on": date(2022, 10, 21)})
    assert when(next_day, state) == [
        ArrangementsRequired(
            urn=URN,
            required_on=date(2022, 10, 21),
            form=ArrangementForm.ADVISORY_SERVICES,
            with_whom="Seaview Teaching School",
            details="Advisory support for leadership of maths.",
            consultation_id="C1",
        )
    ]


def test_s63_on_a_consultation_about_another_power_is_refused():
    state = given(ELIGIBLE_BY_NOTICE, consultation(power=Power.S65_INTERIM_EXECUTIVE_BOARD))
    with pytest.raises(InvalidInput) as refused:
        when(
            RequireArrangements(
                urn=URN,
                required_on=date(2022, 11, 1),
                form=ArrangementForm.CREATE_OR_JOIN_FEDERATION,
                with_whom="Coastal Federation",
                details="Join the federation.",
                consultation_id="C1",
            ),
            state,
        )
    assert refused.value.field == "consultation_id"


def test_s63_without_a_consultation_is_refused():
    with pytest.raises(NotFound) as refused:
        when(
            RequireArrangements(
                urn=URN,
                required_on=date(2022, 11, 1),
                form=ArrangementForm.COLLABORATE_WITH_FURTHER_EDUCATION_BODY,
                with_whom="East Kent College",
                details="Vocational courses.",
                consultation_id="C9",
            ),
            given(ELIGIBLE_BY_NOTICE),
        )
    assert refused.value.field == "consultation_id"


def test_responses_are_recorded_from_those_consulted_only():
    state = given(ELIGIBLE_BY_NOTICE, consultation())
    assert when(
        RecordConsultationResponse(
            urn=URN,
            consultation_id="C1",
            consultee=RecipientRole.GOVERNING_BODY,
            received_on=date(2022, 10, 12),
            summary="Agree.",
        ),
        state,
    ) == [
        ConsultationResponseReceived(
            urn=URN,
            consultation_id="C1",
            consultee=RecipientRole.GOVERNING_BODY,
            received_on=date(2022, 10, 12),
            summary="Agree.",
        )
    ]
    with pytest.raises(InvalidInput) as refused:
        when(
            RecordConsultationResponse(
                urn=URN,
                consultation_id="C1",
                consultee=RecipientRole.DIOCESAN_AUTHORITY,
                received_on=date(2022, 10, 12),
                summary="x",
            ),
            state,
        )
    assert refused.value.field == "consultee"


def test_the_consultation_window_closes_as_an_event_once():
    state = given(ELIGIBLE_BY_NOTICE, consultation())
    closed = ConsultationWindowClosed(
        urn=URN, consultation_id="C1", closed_on=date(2022, 10, 20), responses_received=0
    )
    assert closed in deadlines_due(state, date(2022, 10, 21))
    assert closed not in deadlines_due(evolve(state, closed), date(2022, 10, 21))


# Interim executive board and the delegated budget -----------------------------------------


IEB_CONSENTED = (
    SPECIAL_MEASURES,
    consultation(power=Power.S65_INTERIM_EXECUTIVE_BOARD, started_on=date(2023, 3, 2)),
    InterimExecutiveBoardApplied(urn=URN, applied_on=date(2023, 3, 20), consultation_id="C1"),
    InterimExecutiveBoardConsentGiven(urn=URN, consented_on=date(2023, 4, 3)),
)


def ieb_consented():
    return given(*IEB_CONSENTED)


def establish(**changes):
    fields = {
        "urn": URN,
        "notice_given_on": date(2023, 4, 5),
        "starts_on": date(2023, 4, 17),
        "ends_on": date(2024, 8, 31),
        "members": ("Mrs F Adeyemi", "Mr G Walsh", "Ms H Kaur"),
        "chair": "Mrs F Adeyemi",
    }
    return EstablishInterimExecutiveBoard(**{**fields, **changes})


def test_an_ieb_is_established_after_the_secretary_of_states_consent():
    assert when(establish(), ieb_consented()) == [
        InterimExecutiveBoardEstablished(
            urn=URN,
            notice_given_on=date(2023, 4, 5),
            starts_on=date(2023, 4, 17),
            ends_on=date(2024, 8, 31),
            members=("Mrs F Adeyemi", "Mr G Walsh", "Ms H Kaur"),
            chair="Mrs F Adeyemi",
        )
    ]


def test_an_ieb_without_consent_is_refused():
    state = given(
        SPECIAL_MEASURES,
        consultation(power=Power.S65_INTERIM_EXECUTIVE_BOARD, started_on=date(2023, 3, 2)),
        InterimExecutiveBoardApplied(urn=URN, applied_on=date(2023, 3, 20), consultation_id="C1"),
    )
    with pytest.raises(RuleViolation) as refused:
        when(establish(), state)
    assert "consent" in refused.value.detail


def test_the_secretary_of_states_decision_is_recorded_against_the_application():
    state = given(
        SPECIAL_MEASURES,
        consultation(power=Power.S65_INTERIM_EXECUTIVE_BOARD, started_on=date(2023, 3, 2)),
        InterimExecutiveBoardApplied(urn=URN, applied_on=date(2023, 3, 20), consultation_id="C1"),
    )
    assert when(
        RecordSecretaryOfStateDecisionOnInterimExecutiveBoard(
            urn=URN, decided_on=date(2023, 4, 3), consented=True
        ),
        state,
    ) == [InterimExecutiveBoardConsentGiven(urn=URN, consented_on=date(2023, 4, 3))]


def test_an_ieb_has_at_least_two_members():
    with pytest.raises(InvalidInput) as refused:
        when(establish(members=("Mrs F Adeyemi",)), ieb_consented())
    assert refused.value.field == "members"


def test_the_chair_is_one_of_the_members():
    with pytest.raises(InvalidInput) as refused:
        when(establish(chair="Mr Z Outsider"), ieb_consented())
    assert refused.value.field == "chair"


def test_an_ieb_ending_before_it_starts_is_refused():
    with pytest.raises(InvalidInput) as refused:
        when(establish(ends_on=date(2023, 4, 17)), ieb_consented())
    assert refused.value.field == "ends_on"


def test_an_ieb_restores_a_suspended_delegated_budget_from_the_day_it_starts():
    """seed 003: an IEB has a right to a delegated budget."""
    state = evolve(
        ieb_consented(),
        DelegatedBudgetSuspended(
            urn=URN, notice_given_on=date(2023, 3, 10), suspended_from=date(2023, 3, 13), recipients=()
        ),
    )
    events = when(establish(), state)
    assert events[1] == DelegatedBudgetRestored(
        urn=URN,
        restored_on=date(2023, 4, 17),
        reason="An interim executive board has a right to a delegated budget from the day it starts.",
    )


def test_the_delegated_budget_is_suspended_by_notice_copied_to_the_governing_body_and_headteacher():
    events = when(
        SuspendDelegatedBudget(urn=URN, notice_given_on=date(2023, 3, 10), suspended_from=date(2023, 3, 13)),
        given(SPECIAL_MEASURES),
    )
    assert events == [
        DelegatedBudgetSuspended(
            urn=URN,
            notice_given_on=date(2023, 3, 10),
            suspended_from=date(2023, 3, 13),
            recipients=(
                Recipient(
                    role=RecipientRole.GOVERNING_BODY, name="The governing body of Harbour Primary School"
                ),
                Recipient(role=RecipientRole.HEADTEACHER, name="Ms A Patel"),
            ),
        )
    ]


def test_s66_while_an_ieb_is_in_place_is_refused():
    state = given(*IEB_CONSENTED, *when(establish(), ieb_consented()))
    with pytest.raises(RuleViolation) as refused:
        when(
            SuspendDelegatedBudget(
                urn=URN, notice_given_on=date(2023, 9, 1), suspended_from=date(2023, 9, 4)
            ),
            state,
        )
    assert refused.value.field == "suspended_from"
    assert "interim executive board" in refused.value.detail


def test_s66_is_possible_again_once_the_ieb_has_ended():
    state = given(
        *IEB_CONSENTED,
        *when(establish(ends_on=None), ieb_consented()),
        InterimExecutiveBoardEnded(urn=URN, ended_on=date(2024, 1, 31)),
    )
    events = when(
        SuspendDelegatedBudget(urn=URN, notice_given_on=date(2024, 2, 1), suspended_from=date(2024, 2, 5)),
        state,
    )
    assert [type(e) for e in events] == [DelegatedBudgetSuspended]


def test_s66_after_the_secretary_of_state_appointed_additional_governors_is_refused():
    state = given(
        SPECIAL_MEASURES,
        SecretaryOfStateAppointedAdditionalGovernors(
            urn=URN, appointed_on=date(2023, 5, 1), governors=("Mr J Byrne",)
        ),
    )
    with pytest.raises(RuleViolation) as refused:
        when(
            SuspendDelegatedBudget(
                urn=URN, notice_given_on=date(2023, 5, 2), suspended_from=date(2023, 5, 8)
            ),
            state,
        )
    assert refused.value.field == "notice_given_on"


def test_additional_governors_at_a_voluntary_aided_school_let_the_foundation_appoint_as_many():
    events = when(governors(date(2023, 3, 2)), given(SPECIAL_MEASURES), school=ST_MARYS)
    assert events[0].foundation_may_appoint_equal_number is True
