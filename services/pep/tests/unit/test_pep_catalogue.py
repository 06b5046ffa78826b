"""The public contract: every event type the service writes is in its catalogue and reads back
unchanged from its stored form."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pep.domain.catalogue import PUBLIC_EVENTS, pep_event_catalogue, pep_reading_catalogue
from pep.domain.pep_events import PepCompleted, PepOccasion, PepReviewRecorded, Rag
from pep.domain.reviews import Attendance, Attendee, AttendeeRole, Exclusion, ExclusionKind
from pep.domain.streams import child_stream, pep_stream, school_concern_stream
from pep.domain.targets import TargetProgress, TargetStatus
from pep.domain.terms import term


def test_the_events_other_services_rely_on_are_published() -> None:
    """issue: child entered care, placed at school, moved, left care, PEP completed /
    quality-assured, targets set, review recorded."""
    catalogue = pep_event_catalogue()
    for event_type in (
        "ChildEnteredCare",
        "ChildPlacedAtSchool",
        "ChildMovedSchool",
        "ChildLeftCare",
        "PepCompleted",
        "PepQualityAssured",
        "PepTargetsSet",
        "PepReviewRecorded",
    ):
        assert catalogue.knows(event_type), event_type
    assert len({cls.event_type for cls in PUBLIC_EVENTS}) == len(PUBLIC_EVENTS)


def test_a_review_reads_back_from_its_stored_form_unchanged() -> None:
    review = PepReviewRecorded(
        child_id="C1",
        pep_id="P2",
        term=term(2022, "spring"),
        urn="118001",
        meeting_date=date(2023, 1, 16),
        attendance=Attendance(
            percentage=Decimal("88.5"), period_start=date(2022, 9, 5), period_end=date(2023, 1, 13)
        ),
        persistent_absence=True,
        exclusions=(
            Exclusion(
                kind=ExclusionKind.FIXED_TERM,
                first_day=date(2022, 12, 1),
                school_days=Decimal("1.5"),
                reason="sent home",
                unofficial=True,
            ),
        ),
        target_progress=(TargetProgress(target_id="T1", status=TargetStatus.ON_TRACK, evidence="8y 9m"),),
        child_voice="OK",
        attendees=(Attendee(name="Sam Jones", role=AttendeeRole.SOCIAL_WORKER),),
    )
    stored = review.to_data()
    assert stored["attendance"]["percentage"] == "88.5"
    assert stored["term"] == {"academic_year": 2022, "season": "spring"}
    assert pep_event_catalogue().decode("PepReviewRecorded", 1, stored) == review


def test_a_completed_pep_names_the_child_and_the_school_and_takes_effect_when_in_place() -> None:
    completed = PepCompleted(
        child_id="C1",
        pep_id="P1",
        term=term(2022, "autumn"),
        urn="118001",
        occasion=PepOccasion.INITIAL,
        completed_on=date(2022, 10, 5),
        due_on=date(2022, 10, 11),
        completed_in_time=True,
        rating=Rag.GREEN,
        target_ids=("T1",),
    )
    assert completed.subjects() == ["child:C1", "school:118001"]
    assert completed.effective_on() == date(2022, 10, 5)
    assert pep_event_catalogue().decode("PepCompleted", 1, completed.to_data()) == completed


def test_the_reading_catalogue_also_knows_the_school_events_the_service_reacts_to() -> None:
    catalogue = pep_reading_catalogue()
    assert all(catalogue.knows(t) for t in ("InspectionRecorded", "SchoolCategorised", "WarningNoticeGiven"))


def test_stream_names_have_a_category_without_a_hyphen() -> None:
    assert child_stream("C-1") == "child-C-1"
    assert pep_stream("C-1") == "pep-C-1"
    assert school_concern_stream("991") == "schoolconcern-991"
