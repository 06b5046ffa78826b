"""The virtual school is alerted about each of its children at a school that gives cause for concern
(domain.md section 2; seed 002: "inclusion of VHT in notifications of Medway inspections and early
outcomes to ensure rapid action where required")."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pep.domain import children
from pep.domain.child_events import (
    ChildEnteredCare,
    ChildLeftCare,
    ChildMovedSchool,
    ChildPlacedAtSchool,
    LeftCareReason,
    LegalStatus,
    SenStatus,
    YearGroup,
)
from pep.domain.foreign_events import ConcernKind, SchoolConcern, foreign_event_catalogue, school_concern_from
from pep.domain.school_concerns import (
    NO_ALERTS,
    AcknowledgeSchoolConcernAlert,
    AlertAction,
    RaiseSchoolConcernAlerts,
    RecordSchoolConcernAlertActioned,
    SchoolConcernAlertAcknowledged,
    SchoolConcernAlertActioned,
    SchoolConcernAlertRaised,
    decide,
    fold,
    react_to_school_event,
)
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Event

INSPECTED = date(2023, 3, 8)
SCHOOLS = foreign_event_catalogue()


def looked_after(child_id: str, urn: str, joined: date, *more: Event) -> children.ChildState:
    return children.fold(
        [
            ChildEnteredCare(
                child_id=child_id,
                name=f"Child {child_id}",
                date_of_birth=date(2012, 1, 1),
                entered_care_on=date(2022, 1, 10),
                legal_status=LegalStatus.FULL_CARE_ORDER,
                placing_authority="Medway",
                social_worker="Sam Jones",
                carer="Pat Brown",
                independent_reviewing_officer="Jo Green",
                sen_status=SenStatus.NONE,
                year_group=YearGroup.YEAR_6,
            ),
            ChildPlacedAtSchool(
                child_id=child_id, urn=urn, start_date=joined, year_group=YearGroup.YEAR_6, looked_after=True
            ),
            *more,
        ]
    )


def the_council_children() -> list[children.ChildState]:
    return [
        looked_after("C1", "118001", date(2021, 9, 2)),
        looked_after("C2", "118001", date(2022, 11, 7)),
        looked_after(
            "C3",
            "118001",
            date(2021, 9, 2),
            ChildMovedSchool(
                child_id="C3",
                from_urn="118001",
                to_urn="118002",
                left_previous_school_on=date(2023, 2, 10),
                start_date=date(2023, 2, 20),
                reason="moved",
                year_group=YearGroup.YEAR_6,
                looked_after=True,
            ),
        ),
        looked_after("C4", "118002", date(2021, 9, 2)),
        looked_after("C5", "118001", date(2023, 3, 20)),
        looked_after(
            "C6",
            "118001",
            date(2021, 9, 2),
            ChildLeftCare(
                child_id="C6",
                left_care_on=date(2023, 1, 5),
                reason=LeftCareReason.ADOPTED,
                previously_looked_after=True,
                urn="118001",
            ),
        ),
    ]


def inspection(**overrides: object) -> Event:
    """Stored as the schools service writes it, with fields this service does not read."""
    data: dict[str, object] = {
        "urn": "118001",
        "inspection_id": "INS-1",
        "inspected_on": "2023-03-08",
        "inspection_type": "graded",
        "framework": "ofsted_september_2012",
        "overall_effectiveness": "requires_improvement",
        "judgements": {"quality_of_education": "requires_improvement"},
        "safeguarding": "effective",
        "category_of_concern": None,
        "headline_judgement": "requires_improvement",
        "below_good": True,
    }
    data.update(overrides)
    return SCHOOLS.decode("InspectionRecorded", 1, data)


def test_an_inspection_judged_below_good_alerts_about_exactly_the_children_on_roll_that_day() -> None:
    event = inspection()
    roll = children.children_on_roll(the_council_children(), "118001", INSPECTED)
    assert roll == ("C1", "C2")
    command = react_to_school_event(event, "evt-991", roll, raised_on=date(2023, 3, 9))
    assert command is not None
    events = decide(command, NO_ALERTS)
    concern: dict[str, Any] = {
        "urn": "118001",
        "concern": ConcernKind.INSPECTION_BELOW_GOOD,
        "concern_on": INSPECTED,
        "detail": "Ofsted judged the school below good (requires improvement)",
        "source_event_type": "InspectionRecorded",
        "source_event_id": "evt-991",
        "children_on_roll": ("C1", "C2"),
        "raised_on": date(2023, 3, 9),
    }
    assert events == [
        SchoolConcernAlertRaised(alert_id="evt-991:C1", child_id="C1", **concern),
        SchoolConcernAlertRaised(alert_id="evt-991:C2", child_id="C2", **concern),
    ]
    assert events[0].subjects() == ["child:C1", "school:118001"]


def test_an_inspection_judged_good_raises_no_concern() -> None:
    good = inspection(overall_effectiveness="good", headline_judgement="good", below_good=False)
    assert react_to_school_event(good, "evt-1", ("C1",), raised_on=date(2023, 3, 9)) is None


def test_a_category_of_concern_is_named_in_the_alert() -> None:
    concern = school_concern_from(inspection(category_of_concern="special_measures"), "evt-2")
    assert concern is not None
    assert concern.kind is ConcernKind.OFSTED_CATEGORY_OF_CONCERN
    assert concern.detail == "Ofsted placed the school in special measures"


def test_being_categorised_as_a_concern_by_the_council_raises_a_concern() -> None:
    event = SCHOOLS.decode(
        "SchoolCategorised",
        1,
        {
            "urn": "118001",
            "proposal_id": "P-4",
            "category": "requires_improvement",
            "previous_category": "good",
            "categorised_on": "2023-01-16",
            "reasons": ["KS2 results fell"],
            "review_cycle": "spring 2022/23",
        },
    )
    concern = school_concern_from(event, "evt-3")
    assert concern == SchoolConcern(
        urn="118001",
        kind=ConcernKind.COUNCIL_CATEGORY_OF_CONCERN,
        concern_on=date(2023, 1, 16),
        detail="the council categorised the school as requires improvement",
        source_event_type="SchoolCategorised",
        source_event_id="evt-3",
    )


def test_the_same_category_confirmed_at_the_next_review_is_not_news() -> None:
    event = SCHOOLS.decode(
        "SchoolCategorised",
        1,
        {
            "urn": "118001",
            "category": "requires_improvement",
            "previous_category": "requires_improvement",
            "categorised_on": "2023-03-06",
        },
    )
    assert school_concern_from(event, "evt-4") is None


def test_a_school_coming_out_of_an_ofsted_category_into_requires_improvement_is_not_news() -> None:
    event = SCHOOLS.decode(
        "SchoolCategorised",
        1,
        {
            "urn": "118001",
            "category": "requires_improvement",
            "previous_category": "ofsted_category",
            "categorised_on": "2023-03-06",
        },
    )
    assert school_concern_from(event, "evt-8") is None


def test_a_good_category_raises_no_concern() -> None:
    event = SCHOOLS.decode(
        "SchoolCategorised",
        1,
        {
            "urn": "118001",
            "category": "good",
            "previous_category": "requires_improvement",
            "categorised_on": "2023-03-06",
        },
    )
    assert school_concern_from(event, "evt-5") is None


def test_a_warning_notice_raises_a_concern_on_the_day_it_was_given() -> None:
    event = SCHOOLS.decode(
        "WarningNoticeGiven",
        1,
        {"urn": 118001, "notice_id": "N-1", "school_name": "Hilltop Primary", "given_on": "2023-02-01"},
    )
    concern = school_concern_from(event, "evt-6")
    assert concern is not None
    assert (concern.kind, concern.urn, concern.concern_on) == (
        ConcernKind.WARNING_NOTICE,
        "118001",
        date(2023, 2, 1),
    )


def test_a_concern_at_a_school_with_no_looked_after_children_raises_nothing() -> None:
    assert react_to_school_event(inspection(), "evt-7", (), raised_on=date(2023, 3, 9)) is None


def test_a_redelivered_school_event_raises_no_second_alerts() -> None:
    command = react_to_school_event(inspection(), "evt-991", ("C1", "C2"), raised_on=date(2023, 3, 9))
    assert command is not None
    state = fold(decide(command, NO_ALERTS))
    assert decide(command, state) == []


def raised() -> list[Event]:
    command = react_to_school_event(inspection(), "evt-991", ("C1", "C2"), raised_on=date(2023, 3, 9))
    assert isinstance(command, RaiseSchoolConcernAlerts)
    return decide(command, NO_ALERTS)


def test_an_alert_is_acknowledged_and_then_actioned() -> None:
    state = fold(raised())
    acknowledged = decide(
        AcknowledgeSchoolConcernAlert(alert_id="evt-991:C2", acknowledged_on=date(2023, 3, 9)), state
    )
    assert acknowledged == [
        SchoolConcernAlertAcknowledged(
            alert_id="evt-991:C2", child_id="C2", urn="118001", acknowledged_on=date(2023, 3, 9)
        )
    ]
    state = fold(acknowledged, state)
    actioned = decide(
        RecordSchoolConcernAlertActioned(
            alert_id="evt-991:C2",
            actioned_on=date(2023, 3, 14),
            action=AlertAction.PEP_MEETING_BROUGHT_FORWARD,
            notes="PEP meeting moved to 20 March with the designated teacher",
        ),
        state,
    )
    assert actioned == [
        SchoolConcernAlertActioned(
            alert_id="evt-991:C2",
            child_id="C2",
            urn="118001",
            actioned_on=date(2023, 3, 14),
            action=AlertAction.PEP_MEETING_BROUGHT_FORWARD,
            notes="PEP meeting moved to 20 March with the designated teacher",
        )
    ]


def test_an_alert_cannot_be_acknowledged_twice() -> None:
    state = fold(raised())
    state = fold(
        decide(AcknowledgeSchoolConcernAlert(alert_id="evt-991:C1", acknowledged_on=date(2023, 3, 9)), state),
        state,
    )
    with pytest.raises(Conflict) as error:
        decide(AcknowledgeSchoolConcernAlert(alert_id="evt-991:C1", acknowledged_on=date(2023, 3, 10)), state)
    assert error.value.field == "alert_id"


def test_actioning_an_alert_without_notes_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        decide(
            RecordSchoolConcernAlertActioned(
                alert_id="evt-991:C1",
                actioned_on=date(2023, 3, 14),
                action=AlertAction.NO_CHANGE_NEEDED,
                notes="",
            ),
            fold(raised()),
        )
    assert error.value.field == "notes"


def test_an_unknown_alert_is_refused() -> None:
    with pytest.raises(NotFound) as error:
        decide(
            AcknowledgeSchoolConcernAlert(alert_id="evt-991:C9", acknowledged_on=date(2023, 3, 9)),
            fold(raised()),
        )
    assert error.value.field == "alert_id"
