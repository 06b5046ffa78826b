"""The register of schools: given events, when a command, then events (domain.md section 1)."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.register import (
    NO_SCHOOL,
    ChangeSchoolStatus,
    RegisterSchool,
    School,
    SchoolClosed,
    SchoolDetailsChanged,
    SchoolRegistered,
    SchoolStatusChanged,
    UpdateSchoolDetails,
    decide,
    evolve,
)

from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Event

TODAY = date(2013, 11, 15)


def given(*events: Event) -> School:
    return reduce(evolve, events, NO_SCHOOL)


def register(**overrides: object) -> RegisterSchool:
    values: dict[str, object] = {
        "urn": "118234",
        "name": "St Mary's Church of England Primary School",
        "la_code": "886",
        "la_name": "Kent",
        "establishment_type": EstablishmentType.VOLUNTARY_AIDED,
        "phase": Phase.PRIMARY,
        "religious_character": "Church of England",
        "diocese": "Diocese of Canterbury",
        "opened_on": date(1975, 9, 1),
        "headteacher": "Mrs A Jones",
    }
    values.update(overrides)
    return RegisterSchool(**values)


def registered_school(**overrides: object) -> SchoolRegistered:
    (event,) = decide(register(**overrides), NO_SCHOOL, today=TODAY)
    assert isinstance(event, SchoolRegistered)
    return event


def test_registering_a_school_records_everything_notices_need_to_pick_recipients() -> None:
    events = decide(register(), NO_SCHOOL, today=TODAY)

    assert events == [
        SchoolRegistered(
            urn="118234",
            name="St Mary's Church of England Primary School",
            la_code="886",
            la_name="Kent",
            establishment_type=EstablishmentType.VOLUNTARY_AIDED,
            phase=Phase.PRIMARY,
            religious_character="Church of England",
            diocese="Diocese of Canterbury",
            opened_on=date(1975, 9, 1),
            headteacher="Mrs A Jones",
            status=SchoolStatus.OPEN,
            registered_on=TODAY,
        )
    ]
    assert events[0].maintained is True
    assert events[0].has_foundation_governors is True
    assert events[0].subjects() == ["school:118234"]
    assert events[0].effective_on() == date(1975, 9, 1)


def test_an_academy_is_registered_as_not_maintained_by_the_council() -> None:
    event = registered_school(
        establishment_type=EstablishmentType.ACADEMY_CONVERTER, religious_character=None
    )

    assert event.maintained is False
    assert event.has_foundation_governors is False


def test_the_maintained_flag_follows_the_type_even_if_a_caller_claims_otherwise() -> None:
    event = SchoolRegistered.model_validate(
        {**registered_school().to_data(), "establishment_type": "free_school", "maintained": True}
    )

    assert event.maintained is False


@pytest.mark.parametrize("urn", ["11823", "1182345", "11823A", "", "１１８２３４", " 118234"])
def test_a_urn_that_is_not_exactly_six_digits_is_refused(urn: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(register(urn=urn), NO_SCHOOL, today=TODAY)

    assert refused.value.field == "urn"


def test_a_urn_can_be_registered_only_once() -> None:
    school = given(registered_school())

    with pytest.raises(Conflict) as refused:
        decide(register(name="Another school"), school, today=TODAY)

    assert refused.value.field == "urn"


def test_a_school_needs_a_name_and_a_three_digit_la_code() -> None:
    with pytest.raises(InvalidInput) as no_name:
        decide(register(name="   "), NO_SCHOOL, today=TODAY)
    with pytest.raises(InvalidInput) as bad_la:
        decide(register(la_code="88"), NO_SCHOOL, today=TODAY)

    assert no_name.value.field == "name"
    assert bad_la.value.field == "la_code"


def test_a_school_registered_as_closed_needs_its_closing_date() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(register(status=SchoolStatus.CLOSED), NO_SCHOOL, today=TODAY)

    assert refused.value.field == "closed_on"


def test_an_open_school_has_no_closing_date() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(register(closed_on=date(2012, 8, 31)), NO_SCHOOL, today=TODAY)

    assert refused.value.field == "closed_on"


def test_a_school_cannot_have_opened_in_the_future() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(register(opened_on=date(2014, 9, 1)), NO_SCHOOL, today=TODAY)

    assert refused.value.field == "opened_on"


def test_updating_details_records_the_whole_record_and_names_what_changed() -> None:
    school = given(registered_school())

    events = decide(
        UpdateSchoolDetails(
            urn="118234",
            changed_on=date(2013, 9, 1),
            headteacher="Mr B Singh",
            chair_of_governors="Dr C Patel",
        ),
        school,
        today=TODAY,
    )

    assert events == [
        SchoolDetailsChanged(
            urn="118234",
            name="St Mary's Church of England Primary School",
            la_code="886",
            la_name="Kent",
            establishment_type=EstablishmentType.VOLUNTARY_AIDED,
            phase=Phase.PRIMARY,
            religious_character="Church of England",
            diocese="Diocese of Canterbury",
            opened_on=date(1975, 9, 1),
            headteacher="Mr B Singh",
            chair_of_governors="Dr C Patel",
            changed_fields=["chair_of_governors", "headteacher"],
            changed_on=date(2013, 9, 1),
        )
    ]


def test_a_detail_given_as_null_is_cleared_and_one_left_out_is_kept() -> None:
    school = given(registered_school())

    (event,) = decide(
        UpdateSchoolDetails(urn="118234", changed_on=TODAY, headteacher=None),
        school,
        today=TODAY,
    )

    assert event.headteacher is None
    assert event.diocese == "Diocese of Canterbury"
    assert event.changed_fields == ["headteacher"]


def test_an_update_that_changes_nothing_appends_nothing() -> None:
    school = given(registered_school())

    events = decide(
        UpdateSchoolDetails(urn="118234", changed_on=TODAY, headteacher="  Mrs A   Jones "),
        school,
        today=TODAY,
    )

    assert events == []


def test_a_change_of_type_between_maintained_kinds_is_a_detail_change() -> None:
    school = given(registered_school())

    (event,) = decide(
        UpdateSchoolDetails(
            urn="118234",
            changed_on=TODAY,
            establishment_type=EstablishmentType.VOLUNTARY_CONTROLLED,
        ),
        school,
        today=TODAY,
    )

    assert event.establishment_type == EstablishmentType.VOLUNTARY_CONTROLLED
    assert event.maintained is True


def test_becoming_an_academy_is_not_a_detail_change_because_the_urn_changes() -> None:
    school = given(registered_school())

    with pytest.raises(RuleViolation) as refused:
        decide(
            UpdateSchoolDetails(
                urn="118234",
                changed_on=TODAY,
                establishment_type=EstablishmentType.ACADEMY_CONVERTER,
            ),
            school,
            today=TODAY,
        )

    assert refused.value.field == "establishment_type"


def test_the_name_cannot_be_cleared() -> None:
    school = given(registered_school())

    with pytest.raises(InvalidInput) as refused:
        decide(UpdateSchoolDetails(urn="118234", changed_on=TODAY, name=None), school, today=TODAY)

    assert refused.value.field == "name"


def test_updating_an_unknown_urn_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        decide(
            UpdateSchoolDetails(urn="999999", changed_on=TODAY, headteacher="X"),
            NO_SCHOOL,
            today=TODAY,
        )

    assert refused.value.field == "urn"


def test_a_school_proposed_to_close_records_the_status_change() -> None:
    school = given(registered_school())

    events = decide(
        ChangeSchoolStatus(
            urn="118234",
            status=SchoolStatus.PROPOSED_TO_CLOSE,
            changed_on=date(2013, 10, 1),
            reason="amalgamation with the junior school",
        ),
        school,
        today=TODAY,
    )

    assert events == [
        SchoolStatusChanged(
            urn="118234",
            status=SchoolStatus.PROPOSED_TO_CLOSE,
            previous_status=SchoolStatus.OPEN,
            changed_on=date(2013, 10, 1),
            reason="amalgamation with the junior school",
        )
    ]


def test_closing_a_school_records_school_closed_with_its_date() -> None:
    proposed = SchoolStatusChanged(
        urn="118234",
        status=SchoolStatus.PROPOSED_TO_CLOSE,
        previous_status=SchoolStatus.OPEN,
        changed_on=date(2013, 10, 1),
    )
    school = given(registered_school(), proposed)

    events = decide(
        ChangeSchoolStatus(urn="118234", status=SchoolStatus.CLOSED, changed_on=date(2013, 10, 31)),
        school,
        today=TODAY,
    )

    assert events == [
        SchoolClosed(
            urn="118234",
            previous_status=SchoolStatus.PROPOSED_TO_CLOSE,
            closed_on=date(2013, 10, 31),
        )
    ]
    assert events[0].status == SchoolStatus.CLOSED
    assert events[0].effective_on() == date(2013, 10, 31)


def test_a_closed_school_never_reopens() -> None:
    closed = SchoolClosed(urn="118234", previous_status=SchoolStatus.OPEN, closed_on=date(2013, 8, 31))
    school = given(registered_school(), closed)

    with pytest.raises(RuleViolation) as refused:
        decide(
            ChangeSchoolStatus(urn="118234", status=SchoolStatus.OPEN, changed_on=TODAY),
            school,
            today=TODAY,
        )

    assert refused.value.field == "status"
    assert not school.is_open


def test_an_open_school_cannot_go_back_to_proposed_to_open() -> None:
    school = given(registered_school())

    with pytest.raises(RuleViolation) as refused:
        decide(
            ChangeSchoolStatus(urn="118234", status=SchoolStatus.PROPOSED_TO_OPEN, changed_on=TODAY),
            school,
            today=TODAY,
        )

    assert refused.value.field == "status"


def test_withdrawing_a_closure_proposal_reopens_the_school() -> None:
    proposed = SchoolStatusChanged(
        urn="118234",
        status=SchoolStatus.PROPOSED_TO_CLOSE,
        previous_status=SchoolStatus.OPEN,
        changed_on=date(2013, 10, 1),
    )
    school = given(registered_school(), proposed)

    (event,) = decide(
        ChangeSchoolStatus(urn="118234", status=SchoolStatus.OPEN, changed_on=TODAY),
        school,
        today=TODAY,
    )

    assert isinstance(event, SchoolStatusChanged)
    assert (event.previous_status, event.status) == (
        SchoolStatus.PROPOSED_TO_CLOSE,
        SchoolStatus.OPEN,
    )


def test_asking_for_the_status_a_school_already_has_appends_nothing() -> None:
    school = given(registered_school())

    events = decide(
        ChangeSchoolStatus(urn="118234", status=SchoolStatus.OPEN, changed_on=TODAY),
        school,
        today=TODAY,
    )

    assert events == []


def test_a_status_change_cannot_be_dated_in_the_future() -> None:
    school = given(registered_school())

    with pytest.raises(InvalidInput) as refused:
        decide(
            ChangeSchoolStatus(urn="118234", status=SchoolStatus.CLOSED, changed_on=date(2014, 8, 31)),
            school,
            today=TODAY,
        )

    assert refused.value.field == "changed_on"


def test_a_school_proposed_to_open_may_have_an_opening_date_to_come() -> None:
    (event,) = decide(
        register(status=SchoolStatus.PROPOSED_TO_OPEN, opened_on=date(2014, 9, 1)),
        NO_SCHOOL,
        today=TODAY,
    )

    assert event.status == SchoolStatus.PROPOSED_TO_OPEN
    assert event.opened_on == date(2014, 9, 1)
