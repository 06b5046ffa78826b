"""Academy orders, given events / when command / then events: the duty of Academies Act 2010
s4(A1) from 18 April 2016 for a school in a category of concern, the power after a warning
notice and (once the council records it commencing) under the Children's Wellbeing and Schools
Act 2026, and the steps that follow an order."""

from __future__ import annotations

from datetime import date

import pytest

from notices.domain import academy_order, academy_order_law
from notices.domain.academy_order import (
    NO_ACADEMY_ORDER,
    AcademyOrderMade,
    AcademyOrderNotMade,
    AcademyOrderRevoked,
    AcademyOrderStatus,
    ConversionStepTaken,
    FacilitatingParty,
    RecordAcademyOrderMade,
    RecordAcademyOrderNotMade,
    RecordAcademyOrderRevoked,
    RecordConversionStep,
    academy_order_position,
)
from notices.domain.academy_order_law import (
    NOT_COMMENCED,
    AcademyOrderCommencementSet,
    AcademyOrderLaw,
    AcademyOrderRule,
    SetAcademyOrderCommencement,
    SwitchDecidedBy,
)
from notices.domain.intervention import NO_INTERVENTION, evolve as intervention_evolve
from notices.domain.intervention_events import SchoolBecameEligibleForIntervention
from notices.domain.refusals import AcademyOrderRequired, NotEligibleForIntervention
from notices.domain.school_facts import SchoolFacts
from notices.domain.vocabulary import EligibilityBasis

from shared.errors import Conflict, InvalidInput

URN = "118001"
HARBOUR = SchoolFacts(urn=URN, name="Harbour Primary School", establishment_type="Community school")


def eligible(basis: EligibilityBasis, on: date, **extra) -> SchoolBecameEligibleForIntervention:
    return SchoolBecameEligibleForIntervention(urn=URN, basis=basis, eligible_from=on, **extra)


def intervention(*events):
    state = NO_INTERVENTION
    for event in events:
        state = intervention_evolve(state, event)
    return state


def law_commencing(
    on: date | None, decided_by: SwitchDecidedBy = SwitchDecidedBy.DAY_OF_DECISION
) -> AcademyOrderLaw:
    return academy_order_law.evolve(
        NOT_COMMENCED,
        AcademyOrderCommencementSet(
            commences_on=on,
            decided_by=decided_by,
            source="The commencement regulations",
            set_on=date(2026, 6, 1),
        ),
    )


def given(*events):
    state = NO_ACADEMY_ORDER
    for event in events:
        state = academy_order.evolve(state, event)
    return state


def when(command, state=NO_ACADEMY_ORDER, *, eligibility=(), law=NOT_COMMENCED, today=date(2027, 12, 1)):
    return academy_order.decide(
        command, state, school=HARBOUR, intervention=intervention(*eligibility), law=law, today=today
    )


SPECIAL_MEASURES_2017 = eligible(
    EligibilityBasis.SPECIAL_MEASURES, date(2017, 3, 8), inspection_id="10040001"
)
SERIOUS_WEAKNESSES_2027 = eligible(
    EligibilityBasis.SERIOUS_WEAKNESSES, date(2027, 1, 20), inspection_id="10090002"
)


def test_an_academy_order_made_in_2017_for_a_school_in_special_measures_is_made_under_the_duty():
    command = RecordAcademyOrderMade(
        urn=URN, made_on=date(2017, 4, 3), made_by="Regional Schools Commissioner, South East"
    )
    [made] = when(command, eligibility=[SPECIAL_MEASURES_2017])
    assert isinstance(made, AcademyOrderMade)
    assert (made.rule, made.basis, made.eligible_from, made.inspection_id) == (
        AcademyOrderRule.DUTY,
        EligibilityBasis.SPECIAL_MEASURES,
        date(2017, 3, 8),
        "10040001",
    )
    assert "s4(A1)" in made.provision


def test_the_duty_covers_serious_weaknesses_as_well_as_special_measures():
    weaknesses = eligible(EligibilityBasis.SERIOUS_WEAKNESSES, date(2017, 3, 8), inspection_id="10040003")
    [made] = when(
        RecordAcademyOrderMade(urn=URN, made_on=date(2017, 4, 3), made_by="RSC"), eligibility=[weaknesses]
    )
    assert made.rule is AcademyOrderRule.DUTY


def test_before_18_april_2016_and_after_a_warning_notice_the_order_is_a_power():
    in_2015 = eligible(EligibilityBasis.SPECIAL_MEASURES, date(2015, 11, 2), inspection_id="10020001")
    [made] = when(
        RecordAcademyOrderMade(urn=URN, made_on=date(2016, 4, 15), made_by="RSC"), eligibility=[in_2015]
    )
    assert made.rule is AcademyOrderRule.POWER and "s4(1)(b)" in made.provision
    # The same school on the day the duty came into force: the duty applies to schools already eligible.
    [made] = when(
        RecordAcademyOrderMade(urn=URN, made_on=date(2016, 4, 18), made_by="RSC"), eligibility=[in_2015]
    )
    assert made.rule is AcademyOrderRule.DUTY
    notice = eligible(EligibilityBasis.WARNING_NOTICE, date(2019, 5, 1), notice_id="WN1")
    [made] = when(
        RecordAcademyOrderMade(urn=URN, made_on=date(2019, 6, 3), made_by="RSC"), eligibility=[notice]
    )
    assert made.rule is AcademyOrderRule.POWER and made.notice_id == "WN1"


DECLINE = RecordAcademyOrderNotMade(
    urn=URN,
    decided_on=date(2027, 3, 1),
    decided_by="Regional Director, South East",
    reason="Improvement under the interim executive board is secure",
)


def test_a_decision_not_to_make_an_order_is_accepted_under_the_power_after_the_configured_commencement():
    [declined] = when(DECLINE, eligibility=[SERIOUS_WEAKNESSES_2027], law=law_commencing(date(2026, 9, 1)))
    assert isinstance(declined, AcademyOrderNotMade)
    assert declined.rule is AcademyOrderRule.POWER and "2026-09-01" in declined.provision
    state = given(declined)
    position = academy_order_position(
        state, intervention(SERIOUS_WEAKNESSES_2027), law_commencing(date(2026, 9, 1)), date(2027, 3, 2)
    )
    assert (position.status, position.since) == (AcademyOrderStatus.DECLINED_UNDER_POWER, date(2027, 3, 1))


@pytest.mark.parametrize(
    "law",
    [
        NOT_COMMENCED,
        law_commencing(None),
        law_commencing(date(2027, 6, 1)),
        law_commencing(date(2027, 2, 1), SwitchDecidedBy.DAY_SCHOOL_BECAME_ELIGIBLE),
    ],
    ids=[
        "never set",
        "set as not commenced",
        "commencing after the decision",
        "commenced after the school became eligible, that day deciding",
    ],
)
def test_a_decision_not_to_make_an_order_is_refused_under_the_duty_naming_the_act(law):
    with pytest.raises(AcademyOrderRequired) as refused:
        when(DECLINE, eligibility=[SERIOUS_WEAKNESSES_2027], law=law)
    assert refused.value.field == "decided_on"
    assert "s4(A1)" in str(refused.value) and "Children's Wellbeing and Schools Act 2026" in str(
        refused.value
    )


def test_the_commencement_setting_decides_the_position_of_an_eligible_school_without_an_order():
    case = intervention(SERIOUS_WEAKNESSES_2027)
    not_commenced = academy_order_position(NO_ACADEMY_ORDER, case, NOT_COMMENCED, date(2027, 2, 1))
    assert (not_commenced.status, not_commenced.summary) == (
        AcademyOrderStatus.ORDER_EXPECTED_UNDER_DUTY,
        "Academy order expected (duty)",
    )
    commenced = academy_order_position(
        NO_ACADEMY_ORDER, case, law_commencing(date(2026, 9, 1)), date(2027, 2, 1)
    )
    assert commenced.status is AcademyOrderStatus.ORDER_MAY_BE_MADE_UNDER_POWER
    assert academy_order_position(
        NO_ACADEMY_ORDER, NO_INTERVENTION, NOT_COMMENCED, date(2027, 2, 1)
    ).status is (AcademyOrderStatus.NOT_ELIGIBLE)


def test_an_order_made_then_steps_to_facilitate_conversion_then_revocation():
    made = when(
        RecordAcademyOrderMade(urn=URN, made_on=date(2017, 4, 3), made_by="RSC"),
        eligibility=[SPECIAL_MEASURES_2017],
    )
    step = RecordConversionStep(
        urn=URN,
        party=FacilitatingParty.LOCAL_AUTHORITY,
        taken_on=date(2017, 5, 2),
        taken_by="Head of School Organisation",
        action="Sent the draft commercial transfer agreement to the sponsor",
    )
    [taken] = when(step, given(*made))
    assert isinstance(taken, ConversionStepTaken) and taken.made_on == date(2017, 4, 3)
    with pytest.raises(InvalidInput) as early:
        when(step.model_copy(update={"taken_on": date(2017, 4, 1)}), given(*made))
    assert early.value.field == "taken_on"
    [revoked] = when(
        RecordAcademyOrderRevoked(urn=URN, revoked_on=date(2018, 1, 8), reason="The school is to close"),
        given(*made, taken),
    )
    assert isinstance(revoked, AcademyOrderRevoked)
    state = given(*made, taken, revoked)
    assert state.current is None and state.orders[0].steps[0].taken_by == "Head of School Organisation"
    with pytest.raises(Conflict):
        when(step.model_copy(update={"taken_on": date(2018, 2, 1)}), state)
    position = academy_order_position(
        state, intervention(SPECIAL_MEASURES_2017), NOT_COMMENCED, date(2018, 2, 1)
    )
    assert (position.status, position.since) == (AcademyOrderStatus.ORDER_REVOKED, date(2018, 1, 8))


def test_no_second_order_while_one_has_effect_and_none_for_a_school_not_eligible():
    made = when(
        RecordAcademyOrderMade(urn=URN, made_on=date(2017, 4, 3), made_by="RSC"),
        eligibility=[SPECIAL_MEASURES_2017],
    )
    with pytest.raises(Conflict):
        when(
            RecordAcademyOrderMade(urn=URN, made_on=date(2017, 5, 3), made_by="RSC"),
            given(*made),
            eligibility=[SPECIAL_MEASURES_2017],
        )
    with pytest.raises(NotEligibleForIntervention):
        when(RecordAcademyOrderMade(urn=URN, made_on=date(2017, 4, 3), made_by="RSC"))


def test_the_commencement_cannot_precede_royal_assent_and_the_same_setting_twice_records_nothing():
    setting = SetAcademyOrderCommencement(
        commences_on=date(2026, 9, 1), source="SI 2026/900", set_on=date(2026, 7, 1)
    )
    [recorded] = academy_order_law.decide(setting, NOT_COMMENCED)
    assert academy_order_law.decide(setting, academy_order_law.evolve(NOT_COMMENCED, recorded)) == []
    with pytest.raises(InvalidInput) as early:
        academy_order_law.decide(setting.model_copy(update={"commences_on": date(2026, 4, 1)}), NOT_COMMENCED)
    assert early.value.field == "commences_on"


def test_which_day_decides_for_a_school_eligible_before_commencement_is_the_councils_setting():
    """Eligible on 20 January 2027, the Act commencing on 1 February, the decision on 1 March."""
    by_decision = when(DECLINE, eligibility=[SERIOUS_WEAKNESSES_2027], law=law_commencing(date(2027, 2, 1)))
    assert [e.rule for e in by_decision] == [AcademyOrderRule.POWER]
    assert "decided on or after commencement" in by_decision[0].provision
    by_eligibility = law_commencing(date(2027, 2, 1), SwitchDecidedBy.DAY_SCHOOL_BECAME_ELIGIBLE)
    with pytest.raises(AcademyOrderRequired) as refused:
        when(DECLINE, eligibility=[SERIOUS_WEAKNESSES_2027], law=by_eligibility)
    assert "after the school became eligible" in str(refused.value)
    position = academy_order_position(
        NO_ACADEMY_ORDER, intervention(SERIOUS_WEAKNESSES_2027), by_eligibility, date(2027, 3, 1)
    )
    assert position.status is AcademyOrderStatus.ORDER_EXPECTED_UNDER_DUTY


def test_an_order_made_under_the_duty_keeps_its_rule_once_the_act_commences():
    """s58(9): the repeal is disregarded for an order under s4(A1) that already has effect."""
    made = when(
        RecordAcademyOrderMade(urn=URN, made_on=date(2026, 5, 5), made_by="Regional Director"),
        eligibility=[eligible(EligibilityBasis.SPECIAL_MEASURES, date(2026, 3, 2), inspection_id="10080001")],
        today=date(2026, 5, 5),
    )
    position = academy_order_position(
        given(*made), NO_INTERVENTION, law_commencing(date(2026, 6, 29)), date(2026, 9, 1)
    )
    assert (position.status, position.rule) == (AcademyOrderStatus.ORDER_MADE, AcademyOrderRule.DUTY)
