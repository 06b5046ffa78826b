"""The pep service's events, as this service reads them.

The pep service owns children, school places and PEPs (streams ``child-<id>`` and ``pep-<id>``);
the facts PP+ depends on - is the child looked after, on roll at this school on this date, with a
current PEP ("no PEP, no premium"), are these targets the child's, what did the next review say
about them - arrive only as its events. This module is the one place that knows their shape, so
it is the one place to align when the pep service's contract changes.

The models read tolerantly: only the fields used here are declared, and the rest of each event
(names, carers, attendance, the child's voice, ...) is ignored, so the pep service can add to its
events without breaking this one - and this service holds no more of a child's record than it needs.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from shared.events import Event, EventCatalogue, child_subject, school_subject

PepRating = Literal["red", "amber", "green"]
TargetStatus = Literal["achieved", "on_track", "behind", "not_achieved"]


class _ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class _PepServiceEvent(Event):
    model_config = ConfigDict(frozen=True, extra="ignore")

    child_id: str

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id)]


# --- the child's stream: care episodes and school places ------------------------------------


class ChildEnteredCare(_PepServiceEvent):
    event_type: ClassVar[str] = "ChildEnteredCare"
    entered_care_on: date

    def effective_on(self) -> date:
        return self.entered_care_on


class ChildLeftCare(_PepServiceEvent):
    """The care episode ended: the child is not looked after from ``left_care_on``."""

    event_type: ClassVar[str] = "ChildLeftCare"
    left_care_on: date

    def effective_on(self) -> date:
        return self.left_care_on


class ChildPlacedAtSchool(_PepServiceEvent):
    """The child joined ``urn``'s roll on ``start_date``, having had no current school."""

    event_type: ClassVar[str] = "ChildPlacedAtSchool"
    urn: str
    start_date: date

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id), school_subject(self.urn)]

    def effective_on(self) -> date:
        return self.start_date


class ChildMovedSchool(_PepServiceEvent):
    """The child left ``from_urn`` (last day on roll ``left_previous_school_on``) and joined ``to_urn``."""

    event_type: ClassVar[str] = "ChildMovedSchool"
    from_urn: str
    to_urn: str
    left_previous_school_on: date
    start_date: date

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id), school_subject(self.from_urn), school_subject(self.to_urn)]

    def effective_on(self) -> date:
        return self.start_date


class ChildAwaitingSchoolPlace(_PepServiceEvent):
    """The child has no school place; if they were on roll at ``left_urn``, their last day there
    was ``left_school_on``."""

    event_type: ClassVar[str] = "ChildAwaitingSchoolPlace"
    place_needed_from: date
    left_urn: str | None = None
    left_school_on: date | None = None

    def effective_on(self) -> date:
        return self.place_needed_from


# --- the child's PEP stream -----------------------------------------------------------------


class SmartTarget(_ReadModel):
    target_id: str
    subject_or_area: str
    target: str

    @property
    def description(self) -> str:
        return f"{self.subject_or_area}: {self.target}"


class PepTargetsSet(_PepServiceEvent):
    """The SMART targets a PEP sets, replacing any set earlier in the same PEP."""

    event_type: ClassVar[str] = "PepTargetsSet"
    pep_id: str
    set_on: date
    targets: tuple[SmartTarget, ...]

    def effective_on(self) -> date:
        return self.set_on


class TargetProgress(_ReadModel):
    target_id: str
    status: TargetStatus


class PepReviewRecorded(_PepServiceEvent):
    """The PEP meeting's record, with progress on the targets carried from earlier PEPs.

    A later review in the same PEP replaces it; the one standing when the PEP is completed is final.
    """

    event_type: ClassVar[str] = "PepReviewRecorded"
    pep_id: str
    meeting_date: date
    target_progress: tuple[TargetProgress, ...] = ()

    def effective_on(self) -> date:
        return self.meeting_date


class PepQualityAssured(_PepServiceEvent):
    event_type: ClassVar[str] = "PepQualityAssured"
    pep_id: str
    quality_assured_on: date
    rating: PepRating

    def effective_on(self) -> date:
        return self.quality_assured_on


class PepCompleted(_PepServiceEvent):
    """The PEP is in place from ``completed_on``; its targets are in force and its review is final."""

    event_type: ClassVar[str] = "PepCompleted"
    pep_id: str
    completed_on: date
    rating: PepRating | None = None
    target_ids: tuple[str, ...] = ()

    def effective_on(self) -> date:
        return self.completed_on


class PepOverdue(_PepServiceEvent):
    """No PEP was in place by its due date (after entering care or a change of school)."""

    event_type: ClassVar[str] = "PepOverdue"
    due_on: date

    def effective_on(self) -> date:
        return self.due_on + timedelta(days=1)


class PepReviewOverdue(_PepServiceEvent):
    """The term's PEP review was not in place by its due date."""

    event_type: ClassVar[str] = "PepReviewOverdue"
    due_on: date

    def effective_on(self) -> date:
        return self.due_on + timedelta(days=1)


PEP_EVENT_TYPES: tuple[type[Event], ...] = (
    ChildEnteredCare,
    ChildLeftCare,
    ChildPlacedAtSchool,
    ChildMovedSchool,
    ChildAwaitingSchoolPlace,
    PepTargetsSet,
    PepReviewRecorded,
    PepQualityAssured,
    PepCompleted,
    PepOverdue,
    PepReviewOverdue,
)

PEP_EVENTS_READ = EventCatalogue("pep", PEP_EVENT_TYPES)
"""The pep service's events this service consumes (to be included in the service's reading catalogue)."""
