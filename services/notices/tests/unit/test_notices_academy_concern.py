"""Letters of concern about an academy: to the trust, then to the Secretary of State
(domain.md section 1: the council cannot give an academy a section 60 warning notice)."""

from datetime import date

import pytest
from notices.domain.academy_concern import (
    NO_ACADEMY_CONCERN,
    LetterOfConcernSentToSecretaryOfState,
    LetterOfConcernSentToTrust,
    SendLetterOfConcernToSecretaryOfState,
    SendLetterOfConcernToTrust,
    decide,
    evolve,
)
from notices.domain.school_facts import UNKNOWN_SCHOOL, SchoolFacts

from shared.errors import InvalidInput, NotFound, RuleViolation

URN = "140001"
OAKFIELD = SchoolFacts(
    urn=URN,
    name="Oakfield Academy",
    establishment_type="Academy sponsor led",
    academy_trust="Coastal Learning Trust",
)
CONCERNS = ("Attainment at key stage 4 fell for the third year running.",)
TODAY = date(2024, 6, 28)

TO_TRUST = LetterOfConcernSentToTrust(
    urn=URN,
    school_name="Oakfield Academy",
    trust_name="Coastal Learning Trust",
    sent_on=date(2024, 2, 5),
    concerns=CONCERNS,
)


def given(*events):
    state = NO_ACADEMY_CONCERN
    for event in events:
        state = evolve(state, event)
    return state


def when(command, state, school=OAKFIELD):
    return decide(command, state, school=school, today=TODAY)


def test_the_first_letter_goes_to_the_academy_trust_on_record():
    assert when(
        SendLetterOfConcernToTrust(urn=URN, sent_on=date(2024, 2, 5), concerns=CONCERNS), NO_ACADEMY_CONCERN
    ) == [TO_TRUST]


def test_an_academy_with_no_trust_on_record_needs_the_trust_named():
    no_trust = SchoolFacts(urn=URN, name="Oakfield Academy", establishment_type="Academy converter")
    with pytest.raises(InvalidInput) as refused:
        when(
            SendLetterOfConcernToTrust(urn=URN, sent_on=date(2024, 2, 5), concerns=CONCERNS),
            NO_ACADEMY_CONCERN,
            school=no_trust,
        )
    assert refused.value.field == "trust_name"


def test_the_secretary_of_state_is_written_to_after_the_trust():
    events = when(
        SendLetterOfConcernToSecretaryOfState(urn=URN, sent_on=date(2024, 3, 4), concerns=CONCERNS),
        given(TO_TRUST),
    )
    assert events == [
        LetterOfConcernSentToSecretaryOfState(
            urn=URN,
            school_name="Oakfield Academy",
            trust_name="Coastal Learning Trust",
            sent_on=date(2024, 3, 4),
            concerns=CONCERNS,
        )
    ]


def test_writing_to_the_secretary_of_state_before_the_trust_is_refused():
    with pytest.raises(RuleViolation) as refused:
        when(
            SendLetterOfConcernToSecretaryOfState(urn=URN, sent_on=date(2024, 3, 4), concerns=CONCERNS),
            NO_ACADEMY_CONCERN,
        )
    assert refused.value.field == "urn"


def test_a_letter_of_concern_about_a_maintained_school_is_refused_in_favour_of_a_warning_notice():
    maintained = SchoolFacts(urn=URN, name="Harbour Primary School", establishment_type="Community school")
    with pytest.raises(RuleViolation) as refused:
        when(
            SendLetterOfConcernToTrust(urn=URN, sent_on=date(2024, 2, 5), concerns=CONCERNS),
            NO_ACADEMY_CONCERN,
            school=maintained,
        )
    assert "warning notice" in refused.value.detail


def test_a_letter_about_an_unknown_urn_is_refused():
    with pytest.raises(NotFound) as refused:
        when(
            SendLetterOfConcernToTrust(urn=URN, sent_on=date(2024, 2, 5), concerns=CONCERNS),
            NO_ACADEMY_CONCERN,
            school=UNKNOWN_SCHOOL,
        )
    assert refused.value.field == "urn"


def test_a_letter_needs_its_concerns():
    with pytest.raises(InvalidInput) as refused:
        when(SendLetterOfConcernToTrust(urn=URN, sent_on=date(2024, 2, 5), concerns=()), NO_ACADEMY_CONCERN)
    assert refused.value.field == "concerns"
