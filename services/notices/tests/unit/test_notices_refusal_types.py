"""Each family of the notices service's refusals is its own entry of the problem catalogue, with
the status the general refusal it refines has, so a client tells them apart by ``type``."""

from __future__ import annotations

from datetime import date

import pytest
from notices.domain import refusals
from notices.domain.intervention import NO_INTERVENTION, decide, evolve
from notices.domain.intervention_events import (
    SchoolBecameEligibleForIntervention,
    SecretaryOfStateAppointedAdditionalGovernors,
)
from notices.domain.powers import AppointAdditionalGovernors, SuspendDelegatedBudget
from notices.domain.rules import DEFAULT_RULE_BOOK
from notices.domain.school_facts import SchoolFacts, require_open_maintained_school
from notices.domain.vocabulary import EligibilityBasis

from shared.errors import DomainError, RuleViolation
from shared.web.problem_types import CATALOGUE
from shared.web.problems import type_of

URN = "118001"
HARBOUR = SchoolFacts(
    urn=URN, name="Harbour Primary School", establishment_type="Community school", headteacher="Ms A Patel"
)
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


def refusal(command, *events) -> DomainError:
    state = NO_INTERVENTION
    for event in events:
        state = evolve(state, event)
    with pytest.raises(DomainError) as refused:
        decide(command, state, school=HARBOUR, today=date(2024, 6, 28), rules=DEFAULT_RULE_BOOK)
    return refused.value


def governors(on: date) -> AppointAdditionalGovernors:
    return AppointAdditionalGovernors(urn=URN, appointed_on=on, governors=("Mr C Dlamini", "Dr E Novak"))


@pytest.mark.parametrize(
    "family",
    [
        c
        for c in vars(refusals).values()
        if isinstance(c, type) and issubclass(c, DomainError) and c.__module__ == refusals.__name__
    ],
)
def test_every_family_is_catalogued_with_the_status_it_answers_with(family):
    entry = CATALOGUE[family.problem_type]
    assert entry.status == family.status
    assert entry.service == "notices"
    assert family.title == entry.title


def test_a_power_before_the_school_is_eligible_is_not_eligible_for_intervention():
    refused = refusal(governors(date(2022, 10, 4)), ELIGIBLE_BY_NOTICE)
    assert isinstance(refused, RuleViolation) and refused.status == 422
    assert type_of(refused) == "not-eligible-for-intervention"


def test_a_lapsed_power_is_no_longer_available():
    refused = refusal(governors(date(2022, 12, 4)), ELIGIBLE_BY_NOTICE)
    assert type_of(refused) == "power-no-longer-available"


def test_suspending_the_budget_after_the_secretary_of_state_appointed_governors_is_no_longer_available():
    appointed = SecretaryOfStateAppointedAdditionalGovernors(
        urn=URN, appointed_on=date(2023, 5, 1), governors=("Mr J Byrne",)
    )
    command = SuspendDelegatedBudget(
        urn=URN, notice_given_on=date(2023, 5, 2), suspended_from=date(2023, 5, 8)
    )
    assert type_of(refusal(command, SPECIAL_MEASURES, appointed)) == "power-no-longer-available"


def test_an_academy_is_not_a_maintained_school():
    academy = SchoolFacts(urn=URN, name="Oakfield Academy", establishment_type="Academy converter")
    with pytest.raises(RuleViolation) as refused:
        require_open_maintained_school(academy, URN, "give it a warning notice")
    assert type_of(refused.value) == "school-not-maintained"
