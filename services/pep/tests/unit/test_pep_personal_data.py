"""Once a child's personal data is erased, the virtual school shows none of it: their record and
PEPs read without it, exactly as they read back from the log once the child's key is destroyed,
while the dates and statuses the reports count stay as they were."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from pep.domain import children, peps
from pep.domain.catalogue import pep_event_catalogue
from pep.domain.child_events import (
    ChildAwaitingSchoolPlace,
    ChildDetailsCorrected,
    ChildDetailsUpdated,
    ChildEnteredCare,
    ChildPlacedAtSchool,
    LegalStatus,
    SenStatus,
    YearGroup,
)
from pep.domain.pep_events import (
    PepCompleted,
    PepDraftSaved,
    PepInitiated,
    PepOccasion,
    PepQualityAssured,
    PepReturnedForRework,
    PepReviewRecorded,
    PepSubmitted,
    Rag,
)
from pep.domain.personal_data import erased_child, erased_on
from pep.domain.reviews import Attendance, Attendee, AttendeeRole
from pep.domain.terms import term
from shared.events import Event
from shared.privacy.events import LegalHoldPlaced, PersonalDataErased

NAME, CARER, WORKER = "Ottoline Brackenbury-Voss", "Marguerite Quillfeather", "Barnaby Oakenshaw"
VOICE, NEEDS = "I want to stay at Kestrel Primary with Mr Abernethy", "Loves drawing herons; needs phonics"
REWORK, COMMENTS = "Targets do not mention the heron project", "A careful plan for Ottoline"
AUTUMN = term(2022, "autumn")

CHILD_EVENTS: list[Event] = [
    ChildEnteredCare(
        child_id="C1",
        name=NAME,
        date_of_birth=date(2013, 2, 17),
        entered_care_on=date(2022, 9, 12),
        legal_status=LegalStatus.INTERIM_CARE_ORDER,
        placing_authority="Medway",
        social_worker=WORKER,
        carer="Pat Brown",
        independent_reviewing_officer="Jo Green",
        sen_status=SenStatus.SEN_SUPPORT,
        year_group=YearGroup.YEAR_5,
    ),
    ChildPlacedAtSchool(
        child_id="C1", urn="118001", start_date=date(2022, 9, 13), year_group=YearGroup.YEAR_5,
        looked_after=True,
    ),
    ChildDetailsUpdated(child_id="C1", changed_on=date(2022, 10, 3), carer=CARER),
    ChildDetailsCorrected(
        child_id="C1", corrected_on=date(2022, 10, 5), reason="Spelt wrongly on entry", name=NAME + "e"
    ),
    ChildAwaitingSchoolPlace(
        child_id="C1",
        place_needed_from=date(2022, 10, 10),
        reason="Moved to a placement near " + CARER,
        left_urn="118001",
        left_school_on=date(2022, 10, 7),
    ),
]

PEP_EVENTS: list[Event] = [
    PepInitiated(
        child_id="C1", pep_id="P1", term=AUTUMN, urn="118001", occasion=PepOccasion.INITIAL,
        initiated_on=date(2022, 9, 14),
    ),
    PepDraftSaved(child_id="C1", pep_id="P1", term=AUTUMN, urn="118001", saved_on=date(2022, 9, 20),
                  strengths_and_needs=NEEDS),
    PepReviewRecorded(
        child_id="C1", pep_id="P1", term=AUTUMN, urn="118001", meeting_date=date(2022, 9, 21),
        attendance=Attendance(percentage=Decimal("91.5"), period_start=date(2022, 9, 5),
                              period_end=date(2022, 9, 20)),
        persistent_absence=False, child_voice=VOICE,
        attendees=(Attendee(name=WORKER, role=AttendeeRole.SOCIAL_WORKER),),
    ),
    PepSubmitted(child_id="C1", pep_id="P1", term=AUTUMN, urn="118001", occasion=PepOccasion.INITIAL,
                 submitted_on=date(2022, 9, 22)),
    PepReturnedForRework(child_id="C1", pep_id="P1", term=AUTUMN, urn="118001", returned_on=date(2022, 9, 23),
                         reason=REWORK),
    PepSubmitted(child_id="C1", pep_id="P1", term=AUTUMN, urn="118001", occasion=PepOccasion.INITIAL,
                 submitted_on=date(2022, 9, 26)),
    PepQualityAssured(child_id="C1", pep_id="P1", term=AUTUMN, urn="118001", occasion=PepOccasion.INITIAL,
                      quality_assured_on=date(2022, 9, 27), rating=Rag.AMBER, comments=COMMENTS),
    PepCompleted(child_id="C1", pep_id="P1", term=AUTUMN, urn="118001", occasion=PepOccasion.INITIAL,
                 completed_on=date(2022, 9, 26), due_on=date(2022, 10, 3), completed_in_time=True,
                 rating=Rag.AMBER, target_ids=()),
]

PERSONAL = (NAME, CARER, WORKER, VOICE, NEEDS, REWORK, COMMENTS, "2013-02-17", "Jo Green", "Pat Brown")


def as_read_once_erased(events: list[Event]) -> list[Event]:
    """Each event as it reads back from the log once the child's key is destroyed."""
    catalogue = pep_event_catalogue()
    read = []
    for event in events:
        data = event.to_data()
        gone = [name for name in event.personal_fields if data.get(name) is not None]
        data.update(dict.fromkeys(gone))
        read.append(catalogue.decode(event.event_type, event.schema_version, data, gone))
    return read


def shows(state: object, value: str) -> bool:
    return value in repr(state) or value in repr(state).replace("datetime.date(2013, 2, 17)", "2013-02-17")


def test_the_child_without_personal_details_is_the_child_as_read_once_their_key_is_destroyed() -> None:
    child = children.fold(CHILD_EVENTS)
    assert child.name == NAME + "e" and child.carer == CARER  # the scenario holds the details

    shown = children.without_personal_details(child)
    assert shown == children.fold(as_read_once_erased(CHILD_EVENTS))
    assert not [value for value in PERSONAL if shows(shown, value)]
    # what the reports count is as it was
    assert shown == replace(
        child, name=None, date_of_birth=None, social_worker=None, carer=None,
        independent_reviewing_officer=None,
    )
    assert shown.awaiting_place_since == date(2022, 10, 10) and shown.placements == child.placements


def test_the_peps_without_personal_details_are_the_peps_as_read_once_the_key_is_destroyed() -> None:
    state = peps.fold(PEP_EVENTS)
    record = state.peps["P1"]
    assert (record.strengths_and_needs, record.comments) == (NEEDS, COMMENTS)

    shown = peps.without_personal_details(state)
    assert shown == peps.fold(as_read_once_erased(PEP_EVENTS))
    assert not [value for value in PERSONAL if shows(shown, value)]
    kept = shown.peps["P1"]
    assert (kept.status, kept.rating, kept.completed_on, kept.returned_on) == (
        record.status, Rag.AMBER, date(2022, 9, 26), date(2022, 9, 23)
    )
    assert kept.review is not None and kept.review.attendance.percentage == Decimal("91.5")


def test_a_returned_pep_shows_no_reason_once_erased() -> None:
    returned = peps.fold(PEP_EVENTS[:5])
    assert returned.peps["P1"].returned_reason == REWORK
    assert peps.without_personal_details(returned).peps["P1"].returned_reason is None


def test_the_day_of_the_erasure_is_read_from_the_childs_data_protection_record() -> None:
    hold = LegalHoldPlaced(subject="child:C1", hold_id="H1", placed_on=date(2026, 1, 5), reason="complaint")
    erasure = PersonalDataErased(
        subject="child:C1", erased_on=date(2026, 3, 2), rule="erasure_request", reason="Article 17 request"
    )
    assert erased_on(erased_on(None, hold), erasure) == date(2026, 3, 2)
    assert erased_on(None, hold) is None
    assert erased_child(erasure) == "C1" and erased_child(hold) is None
    assert erased_child(erasure.model_copy(update={"subject": "school:118001"})) is None
