"""Events of a child's PEP stream (``pep-<child id>``), part of the service's public contract.

``urn`` on each event is the school the child was on roll at when it happened (``None`` while
awaiting a place), so a designated teacher's list and the compliance report by school fold from
the events alone. The pupil-premium service reads ``PepTargetsSet``, ``PepReviewRecorded`` (the
last one before ``PepCompleted`` is the PEP's final review) and ``PepCompleted``.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import ClassVar

from shared.events import Event, child_subject, school_subject

from .reviews import Attainment, Attendance, Attendee, Exclusion, FundedSupport
from .targets import SmartTarget, TargetProgress
from .terms import TermRef


class PepOccasion(StrEnum):
    INITIAL = "initial"  # the first PEP of a care episode
    TERMLY_REVIEW = "termly_review"
    CHANGE_OF_SCHOOL = "change_of_school"


class Rag(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class DueAfter(StrEnum):
    ENTERING_CARE = "entering_care"
    CHANGE_OF_SCHOOL = "change_of_school"


class _ChildPepEvent(Event):
    child_id: str
    urn: str | None = None

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id)] + ([school_subject(self.urn)] if self.urn else [])


class PepEvent(_ChildPepEvent):
    """An event about one of the child's PEPs."""

    pep_id: str
    term: TermRef


class PepInitiated(PepEvent):
    """A PEP was started for a term (the initial PEP of a care episode, a termly review, or the
    PEP after a change of school); ``urn`` is the school the child was on roll at that day."""

    event_type: ClassVar[str] = "PepInitiated"

    occasion: PepOccasion
    initiated_on: date
    school_changed_on: date | None = None  # for a change-of-school PEP: first day at the new school

    def effective_on(self) -> date:
        return self.initiated_on


class PepDraftSaved(PepEvent):
    """The education part of the PEP was drafted or reworked."""

    event_type: ClassVar[str] = "PepDraftSaved"
    personal_fields: ClassVar[tuple[str, ...]] = ("strengths_and_needs",)

    saved_on: date
    strengths_and_needs: str
    meeting_date: date | None = None

    def effective_on(self) -> date:
        return self.saved_on


class PepTargetsSet(PepEvent):
    """The SMART targets this PEP sets, replacing any set earlier in the same PEP."""

    event_type: ClassVar[str] = "PepTargetsSet"

    set_on: date
    targets: tuple[SmartTarget, ...]

    def effective_on(self) -> date:
        return self.set_on


class PepReviewRecorded(PepEvent):
    """The PEP meeting's record; a later one in the same PEP replaces it."""

    event_type: ClassVar[str] = "PepReviewRecorded"
    personal_fields: ClassVar[tuple[str, ...]] = ("child_voice", "attendees")

    meeting_date: date
    attendance: Attendance
    persistent_absence: bool
    exclusions: tuple[Exclusion, ...] = ()
    attainment: tuple[Attainment, ...] = ()
    target_progress: tuple[TargetProgress, ...] = ()
    child_voice: str
    attendees: tuple[Attendee, ...]
    support_funded: tuple[FundedSupport, ...] = ()

    def effective_on(self) -> date:
        return self.meeting_date


class UnofficialExclusionFlagged(PepEvent):
    """A PEP review found an exclusion the school did not record formally (seed 002: none wanted)."""

    event_type: ClassVar[str] = "UnofficialExclusionFlagged"

    exclusion: Exclusion
    reported_on: date

    def effective_on(self) -> date:
        return self.exclusion.first_day


class PepSubmitted(PepEvent):
    """The PEP was submitted to the virtual school for quality assurance: it is in place from
    ``submitted_on`` unless it is returned for rework."""

    event_type: ClassVar[str] = "PepSubmitted"

    occasion: PepOccasion
    submitted_on: date

    def effective_on(self) -> date:
        return self.submitted_on


class PepReturnedForRework(PepEvent):
    """A virtual school officer sent the PEP back with a reason; it is no longer in place."""

    event_type: ClassVar[str] = "PepReturnedForRework"
    personal_fields: ClassVar[tuple[str, ...]] = ("reason",)

    returned_on: date
    reason: str

    def effective_on(self) -> date:
        return self.returned_on


class PepQualityAssured(PepEvent):
    """A virtual school officer graded the PEP red, amber or green; ``PepCompleted`` follows."""

    event_type: ClassVar[str] = "PepQualityAssured"
    personal_fields: ClassVar[tuple[str, ...]] = ("comments",)

    occasion: PepOccasion
    quality_assured_on: date
    rating: Rag
    comments: str

    def effective_on(self) -> date:
        return self.quality_assured_on


class PepCompleted(PepEvent):
    """The PEP is complete: quality-assured, in place since ``completed_on`` (the day the accepted
    version was submitted), judged against the due date of the occasion it was held for."""

    event_type: ClassVar[str] = "PepCompleted"

    occasion: PepOccasion
    completed_on: date
    due_on: date
    completed_in_time: bool
    rating: Rag
    target_ids: tuple[str, ...]

    def effective_on(self) -> date:
        return self.completed_on


def initiation_obligation_key(entered_care_on: date) -> str:
    return f"initiation:{entered_care_on.isoformat()}"


def in_place_obligation_key(due_after: DueAfter, clock_started_on: date) -> str:
    return f"in_place:{due_after.value}:{clock_started_on.isoformat()}"


def review_obligation_key(term: TermRef) -> str:
    return f"review:{term.key}"


class _OverdueEvent(_ChildPepEvent):
    due_on: date
    noticed_on: date

    def effective_on(self) -> date:
        """Overdue from the day after the due date."""
        return self.due_on + timedelta(days=1)


class PepInitiationOverdue(_OverdueEvent):
    """No PEP was initiated by the due date after the child entered care."""

    event_type: ClassVar[str] = "PepInitiationOverdue"

    entered_care_on: date

    def obligation_key(self) -> str:
        return initiation_obligation_key(self.entered_care_on)


class PepOverdue(_OverdueEvent):
    """No PEP was in place by the due date after entering care or a change of school."""

    event_type: ClassVar[str] = "PepOverdue"

    due_after: DueAfter
    clock_started_on: date

    def obligation_key(self) -> str:
        return in_place_obligation_key(self.due_after, self.clock_started_on)


class PepReviewOverdue(_OverdueEvent):
    """The term's PEP review was not in place by the term's due date."""

    event_type: ClassVar[str] = "PepReviewOverdue"

    term: TermRef

    def obligation_key(self) -> str:
        return review_obligation_key(self.term)


PEP_EVENTS: tuple[type[Event], ...] = (
    PepInitiated,
    PepDraftSaved,
    PepTargetsSet,
    PepReviewRecorded,
    UnofficialExclusionFlagged,
    PepSubmitted,
    PepReturnedForRework,
    PepQualityAssured,
    PepCompleted,
    PepInitiationOverdue,
    PepOverdue,
    PepReviewOverdue,
)
