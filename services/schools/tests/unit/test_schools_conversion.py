"""Conversion to an academy: a new URN linked to its predecessor (domain.md section 1)."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from schools.domain.conversion import RecordAcademyConversion, decide_conversion
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.register import (
    NO_SCHOOL,
    School,
    SchoolClosed,
    SchoolConvertedToAcademy,
    SchoolRegistered,
    evolve,
)

from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Event

TODAY = date(2013, 11, 15)

PREDECESSOR = SchoolRegistered(
    urn="118840",
    name="Hillview Community College",
    la_code="886",
    la_name="Kent",
    establishment_type=EstablishmentType.FOUNDATION,
    phase=Phase.SECONDARY,
    religious_character=None,
    diocese=None,
    opened_on=date(1968, 9, 1),
    headteacher="Ms D Okafor",
    chair_of_governors="Mr E Brown",
    designated_teacher="Mr F Green",
    status=SchoolStatus.OPEN,
    registered_on=date(2013, 1, 7),
)


def given(*events: Event) -> School:
    return reduce(evolve, events, NO_SCHOOL)


def convert(**overrides: object) -> RecordAcademyConversion:
    values: dict[str, object] = {
        "urn": "118840",
        "academy_urn": "139876",
        "academy_name": "Hillview Academy",
        "academy_type": EstablishmentType.ACADEMY_CONVERTER,
        "trust_name": "Hillview Learning Trust",
        "converted_on": date(2013, 9, 1),
    }
    values.update(overrides)
    return RecordAcademyConversion(**values)


def test_conversion_closes_the_predecessor_and_registers_the_academy_linked_to_it() -> None:
    outcome = decide_conversion(convert(), given(PREDECESSOR), NO_SCHOOL, today=TODAY)

    assert outcome.predecessor_stream == "school-118840"
    assert outcome.predecessor_events == [
        SchoolConvertedToAcademy(
            urn="118840",
            academy_urn="139876",
            academy_name="Hillview Academy",
            academy_type=EstablishmentType.ACADEMY_CONVERTER,
            trust_name="Hillview Learning Trust",
            converted_on=date(2013, 9, 1),
        ),
        SchoolClosed(
            urn="118840",
            previous_status=SchoolStatus.OPEN,
            closed_on=date(2013, 8, 31),
            reason="converted to academy 139876",
            successor_urn="139876",
        ),
    ]
    assert outcome.academy_stream == "school-139876"
    assert outcome.academy_events == [
        SchoolRegistered(
            urn="139876",
            name="Hillview Academy",
            la_code="886",
            la_name="Kent",
            establishment_type=EstablishmentType.ACADEMY_CONVERTER,
            phase=Phase.SECONDARY,
            opened_on=date(2013, 9, 1),
            headteacher="Ms D Okafor",
            designated_teacher="Mr F Green",
            status=SchoolStatus.OPEN,
            predecessor_urn="118840",
            registered_on=TODAY,
        )
    ]


def test_the_academy_is_not_maintained_and_its_events_concern_both_urns() -> None:
    outcome = decide_conversion(convert(), given(PREDECESSOR), NO_SCHOOL, today=TODAY)
    (academy,) = outcome.academy_events
    converted = outcome.predecessor_events[0]

    assert academy.maintained is False
    assert academy.subjects() == ["school:139876", "school:118840"]
    assert converted.subjects() == ["school:118840", "school:139876"]


def test_after_conversion_the_predecessor_is_closed_and_points_at_its_successor() -> None:
    outcome = decide_conversion(convert(), given(PREDECESSOR), NO_SCHOOL, today=TODAY)

    predecessor = given(PREDECESSOR, *outcome.predecessor_events)
    academy = given(*outcome.academy_events)

    assert predecessor.status == SchoolStatus.CLOSED
    assert predecessor.successor_urn == "139876"
    assert academy.predecessor_urn == "118840"
    assert academy.is_open


def test_the_academy_gets_a_new_urn_not_its_predecessors() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide_conversion(convert(academy_urn="118840"), given(PREDECESSOR), NO_SCHOOL, today=TODAY)

    assert refused.value.field == "academy_urn"


def test_the_new_urn_must_be_six_digits() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide_conversion(convert(academy_urn="13987"), given(PREDECESSOR), NO_SCHOOL, today=TODAY)

    assert refused.value.field == "academy_urn"


def test_the_new_urn_must_be_unused() -> None:
    taken = given(PREDECESSOR.model_copy(update={"urn": "139876"}))

    with pytest.raises(Conflict) as refused:
        decide_conversion(convert(), given(PREDECESSOR), taken, today=TODAY)

    assert refused.value.field == "academy_urn"


def test_an_unregistered_school_cannot_convert() -> None:
    with pytest.raises(NotFound) as refused:
        decide_conversion(convert(), NO_SCHOOL, NO_SCHOOL, today=TODAY)

    assert refused.value.field == "urn"


def test_a_closed_school_cannot_convert() -> None:
    closed = SchoolClosed(urn="118840", previous_status=SchoolStatus.OPEN, closed_on=date(2012, 7, 31))

    with pytest.raises(RuleViolation) as refused:
        decide_conversion(convert(), given(PREDECESSOR, closed), NO_SCHOOL, today=TODAY)

    assert refused.value.field == "urn"


def test_a_school_converts_only_into_an_academy_type() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide_conversion(
            convert(academy_type=EstablishmentType.COMMUNITY),
            given(PREDECESSOR),
            NO_SCHOOL,
            today=TODAY,
        )

    assert refused.value.field == "academy_type"


def test_a_conversion_cannot_be_recorded_before_it_happens() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide_conversion(convert(converted_on=date(2014, 4, 1)), given(PREDECESSOR), NO_SCHOOL, today=TODAY)

    assert refused.value.field == "converted_on"
