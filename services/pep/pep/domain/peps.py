"""A child's PEPs, one stream per child (``pep-<child id>``), each PEP held for a term.

domain.md section 2: PEP status runs not started -> in progress -> submitted -> quality assured
(complete) or returned for rework with a reason. A virtual school officer grades its quality red,
amber or green. Targets are SMART and carried into the next review, where progress is recorded.

Occasions: the *initial* PEP of a care episode, the *termly review* (one per term), and a PEP
held after a *change of school*. A PEP for a term whose PEP is already quality-assured is refused.
Targets set by a PEP come into force when it is completed; the review of the next PEP must record
progress against every target in force and not yet closed.

``decide`` needs the child's state (from the child stream), the council's ``SchoolCalendar`` and
the ``PepTimingPolicies`` (a completed PEP is judged against its due date).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Command, Event

from .children import ChildState
from .pep_events import (
    PepCompleted,
    PepDraftSaved,
    PepEvent,
    PepInitiated,
    PepInitiationOverdue,
    PepOccasion,
    PepOverdue,
    PepQualityAssured,
    PepReturnedForRework,
    PepReviewOverdue,
    PepReviewRecorded,
    PepSubmitted,
    PepTargetsSet,
    Rag,
    UnofficialExclusionFlagged,
    in_place_obligation_key,
    initiation_obligation_key,
    review_obligation_key,
)
from .refusals import CareHistory, PepAlreadyInitiated, PepIncomplete, PepStage
from .reviews import (
    Attainment,
    Attendance,
    Attendee,
    Exclusion,
    FundedSupport,
    check_attainment,
    check_attendance,
    check_attendees,
    check_exclusions,
    check_support,
)
from .targets import (
    CLOSING_STATUSES,
    SmartTarget,
    TargetProgress,
    TargetStatus,
    check_progress,
    check_targets,
)
from .terms import SchoolCalendar, TermRef
from .timing import (
    PepTimingPolicies,
    in_place_due_on_after_change_of_school,
    in_place_due_on_after_entering_care,
    review_due_on,
)

Record = TypeVar("Record")

# --- commands ---------------------------------------------------------------------------------


class PepCommand(Command):
    child_id: str
    pep_id: str


class InitiatePep(PepCommand):
    term: TermRef
    occasion: PepOccasion
    initiated_on: date


class SavePepDraft(PepCommand):
    saved_on: date
    strengths_and_needs: str
    meeting_date: date | None = None


class SetPepTargets(PepCommand):
    set_on: date
    targets: tuple[SmartTarget, ...]


class RecordPepReview(PepCommand):
    meeting_date: date
    attendance: Attendance
    exclusions: tuple[Exclusion, ...] = ()
    attainment: tuple[Attainment, ...] = ()
    target_progress: tuple[TargetProgress, ...] = ()
    child_voice: str
    attendees: tuple[Attendee, ...]
    support_funded: tuple[FundedSupport, ...] = ()


class SubmitPep(PepCommand):
    submitted_on: date


class ReturnPepForRework(PepCommand):
    returned_on: date
    reason: str


class QualityAssurePep(PepCommand):
    quality_assured_on: date
    rating: Rag
    comments: str = ""


# --- state ------------------------------------------------------------------------------------


class PepStatus(StrEnum):
    INITIATED = "initiated"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    RETURNED_FOR_REWORK = "returned_for_rework"
    QUALITY_ASSURED = "quality_assured"


EDITABLE = frozenset({PepStatus.INITIATED, PepStatus.IN_PROGRESS, PepStatus.RETURNED_FOR_REWORK})
IN_PLACE = frozenset({PepStatus.SUBMITTED, PepStatus.QUALITY_ASSURED})


@dataclass(frozen=True)
class PepRecord:
    """One PEP as its events record it. What the log holds sealed with the child's key (the
    strengths and needs, the review's child's voice and attendees, the reason it was returned, the
    quality assurance's comments) is None once the child's personal data is erased."""

    pep_id: str
    term: TermRef
    occasion: PepOccasion
    initiated_on: date
    urn: str | None
    status: PepStatus = PepStatus.INITIATED
    school_changed_on: date | None = None
    strengths_and_needs: str | None = ""
    review: PepReviewRecorded | None = None
    target_ids: tuple[str, ...] = ()
    flagged_exclusions: tuple[Exclusion, ...] = ()
    submitted_on: date | None = None
    returned_reason: str | None = None
    rating: Rag | None = None
    comments: str | None = ""
    quality_assured_on: date | None = None
    completed_on: date | None = None
    due_on: date | None = None
    returned_on: date | None = None
    """The day it was last returned for rework (kept after it is submitted again)."""
    completed_in_time: bool | None = None

    @property
    def in_place_on(self) -> date | None:
        """The day the current version was submitted, while it is submitted or quality-assured."""
        return self.submitted_on if self.status in IN_PLACE else None


@dataclass(frozen=True)
class TargetRecord:
    target: SmartTarget
    pep_id: str
    in_force: bool = False
    closed: bool = False
    progress: tuple[TargetProgress, ...] = ()

    @property
    def latest_status(self) -> TargetStatus | None:
        """The status the latest completed review recorded for it (None before any)."""
        return self.progress[-1].status if self.progress else None


@dataclass(frozen=True)
class PepState:
    child_id: str | None = None
    peps: dict[str, PepRecord] = field(default_factory=dict)
    targets: dict[str, TargetRecord] = field(default_factory=dict)
    overdue_raised: frozenset[str] = frozenset()

    def carried_target_ids(self) -> list[str]:
        """Targets in force from completed PEPs and not yet closed: the next review reports on them."""
        return [
            target_id for target_id, record in self.targets.items() if record.in_force and not record.closed
        ]

    def peps_in_order(self) -> list[PepRecord]:
        return list(self.peps.values())


NO_PEPS = PepState()


# --- decide -----------------------------------------------------------------------------------


def decide(
    command: PepCommand,
    state: PepState,
    *,
    child: ChildState,
    calendar: SchoolCalendar,
    policies: PepTimingPolicies,
) -> list[Event]:
    if not child.is_known:
        raise NotFound(f"no child with id {command.child_id!r}", field="child_id")
    if isinstance(command, InitiatePep):
        return _initiate(command, state, child, calendar)
    record = state.peps.get(command.pep_id)
    if record is None:
        raise NotFound(f"no PEP {command.pep_id!r} for child {command.child_id}", field="pep_id")
    if isinstance(command, SavePepDraft):
        return _save_draft(command, record)
    if isinstance(command, SetPepTargets):
        return _set_targets(command, state, record)
    if isinstance(command, RecordPepReview):
        return _record_review(command, state, record)
    if isinstance(command, SubmitPep):
        return _submit(command, state, record, child)
    if isinstance(command, ReturnPepForRework):
        return _return(command, record)
    if isinstance(command, QualityAssurePep):
        return _quality_assure(command, record, child, calendar, policies)
    raise TypeError(f"not a PEP command: {type(command).__name__}")


def _episode_start(child: ChildState, day: date) -> date | None:
    for episode in child.episodes:
        if episode.covers(day):
            return episode.entered_on
    return None


def _peps_in_episode(state: PepState, entered_on: date) -> list[PepRecord]:
    return [record for record in state.peps.values() if record.initiated_on >= entered_on]


def _initiate(
    command: InitiatePep, state: PepState, child: ChildState, calendar: SchoolCalendar
) -> list[Event]:
    if not command.pep_id.strip():
        raise InvalidInput("a PEP needs an id", field="pep_id")
    if command.pep_id in state.peps:
        raise Conflict(f"PEP {command.pep_id!r} already exists", field="pep_id")
    entered_on = _episode_start(child, command.initiated_on)
    if entered_on is None:
        raise CareHistory(
            f"child {command.child_id} was not looked after on {command.initiated_on}", field="initiated_on"
        )
    if calendar.term_dates(command.term).end < entered_on:
        raise InvalidInput(
            f"{command.term} ended before the child entered care on {entered_on}", field="term"
        )
    in_episode = _peps_in_episode(state, entered_on)
    school_changed_on: date | None = None
    if command.occasion is PepOccasion.INITIAL and any(r.occasion is PepOccasion.INITIAL for r in in_episode):
        raise PepAlreadyInitiated(
            f"the initial PEP of the care episode from {entered_on} exists", field="occasion"
        )
    termly = [r for r in in_episode if r.occasion is not PepOccasion.CHANGE_OF_SCHOOL]
    if command.occasion is not PepOccasion.CHANGE_OF_SCHOOL and any(r.term == command.term for r in termly):
        raise PepAlreadyInitiated(f"a PEP for {command.term} already exists", field="term")
    if command.occasion is PepOccasion.CHANGE_OF_SCHOOL:
        changes = [day for day in child.school_changes if day >= entered_on]
        if not changes:
            raise CareHistory("the child has not changed school while looked after", field="occasion")
        school_changed_on = changes[-1]
        if any(r.school_changed_on == school_changed_on for r in in_episode):
            raise PepAlreadyInitiated(
                f"a PEP for the change of school on {school_changed_on} exists", field="occasion"
            )
    return [
        PepInitiated(
            child_id=command.child_id,
            pep_id=command.pep_id,
            term=command.term,
            urn=child.school_on(command.initiated_on) or child.current_urn,
            occasion=command.occasion,
            initiated_on=command.initiated_on,
            school_changed_on=school_changed_on,
        )
    ]


def _require_editable(record: PepRecord) -> None:
    if record.status is PepStatus.QUALITY_ASSURED:
        raise PepStage(f"PEP {record.pep_id} has been quality-assured and cannot change", field="pep_id")
    if record.status is PepStatus.SUBMITTED:
        raise PepStage(f"PEP {record.pep_id} is submitted and awaiting quality assurance", field="pep_id")


def _the_pep(command: PepCommand, record: PepRecord) -> dict[str, Any]:
    """What every event about an existing PEP names first: the child, the PEP, its term and the
    school it was initiated at (as recorded then, not where the child is now)."""
    return {"child_id": command.child_id, "pep_id": record.pep_id, "term": record.term, "urn": record.urn}


def _not_before_initiation(record: PepRecord, day: date, field_name: str) -> None:
    if day < record.initiated_on:
        raise InvalidInput(f"PEP {record.pep_id} was initiated on {record.initiated_on}", field=field_name)


def _save_draft(command: SavePepDraft, record: PepRecord) -> list[Event]:
    _require_editable(record)
    _not_before_initiation(record, command.saved_on, "saved_on")
    if not command.strengths_and_needs.strip():
        raise InvalidInput("describe the child's strengths and needs", field="strengths_and_needs")
    return [
        PepDraftSaved(
            **_the_pep(command, record),
            saved_on=command.saved_on,
            strengths_and_needs=command.strengths_and_needs,
            meeting_date=command.meeting_date,
        )
    ]


def _set_targets(command: SetPepTargets, state: PepState, record: PepRecord) -> list[Event]:
    _require_editable(record)
    _not_before_initiation(record, command.set_on, "set_on")
    used_elsewhere = {target_id for target_id, t in state.targets.items() if t.pep_id != record.pep_id}
    check_targets(command.targets, command.set_on, used_elsewhere)
    return [
        PepTargetsSet(
            **_the_pep(command, record),
            set_on=command.set_on,
            targets=command.targets,
        )
    ]


def _record_review(command: RecordPepReview, state: PepState, record: PepRecord) -> list[Event]:
    _require_editable(record)
    _not_before_initiation(record, command.meeting_date, "meeting_date")
    check_attendance(command.attendance, command.meeting_date)
    check_exclusions(command.exclusions, command.meeting_date)
    check_attainment(command.attainment)
    check_progress(command.target_progress, state.carried_target_ids())
    if not command.child_voice.strip():
        raise InvalidInput("record the child's voice", field="child_voice")
    check_attendees(command.attendees)
    check_support(command.support_funded, set(state.carried_target_ids()) | set(record.target_ids))
    events: list[Event] = [
        PepReviewRecorded(
            **_the_pep(command, record),
            meeting_date=command.meeting_date,
            attendance=command.attendance,
            persistent_absence=command.attendance.persistently_absent,
            exclusions=command.exclusions,
            attainment=command.attainment,
            target_progress=command.target_progress,
            child_voice=command.child_voice,
            attendees=command.attendees,
            support_funded=command.support_funded,
        )
    ]
    for exclusion in command.exclusions:
        if exclusion.unofficial and exclusion not in record.flagged_exclusions:
            events.append(
                UnofficialExclusionFlagged(
                    **_the_pep(command, record),
                    exclusion=exclusion,
                    reported_on=command.meeting_date,
                )
            )
    return events


def _term_already_assured(state: PepState, record: PepRecord, child: ChildState) -> bool:
    if record.status is PepStatus.QUALITY_ASSURED:
        return True
    if record.occasion is PepOccasion.CHANGE_OF_SCHOOL:
        return False
    entered_on = _episode_start(child, record.initiated_on) or record.initiated_on
    return any(
        other.term == record.term
        and other.occasion is not PepOccasion.CHANGE_OF_SCHOOL
        and other.status is PepStatus.QUALITY_ASSURED
        for other in _peps_in_episode(state, entered_on)
    )


def _submit(command: SubmitPep, state: PepState, record: PepRecord, child: ChildState) -> list[Event]:
    if _term_already_assured(state, record, child):
        raise PepStage(f"the PEP for {record.term} has already been quality-assured", field="term")
    if record.status is PepStatus.SUBMITTED:
        raise PepStage(f"PEP {record.pep_id} is already submitted", field="pep_id")
    if record.review is None:
        raise PepIncomplete("record the PEP review before submitting", field="review")
    if not record.target_ids:
        raise PepIncomplete("set the SMART targets before submitting", field="targets")
    check_progress(record.review.target_progress, state.carried_target_ids())
    if command.submitted_on < record.review.meeting_date:
        raise InvalidInput(f"the PEP meeting was held on {record.review.meeting_date}", field="submitted_on")
    return [
        PepSubmitted(
            **_the_pep(command, record),
            occasion=record.occasion,
            submitted_on=command.submitted_on,
        )
    ]


def _require_submitted(record: PepRecord) -> date:
    if record.status is not PepStatus.SUBMITTED or record.submitted_on is None:
        raise PepStage(
            f"PEP {record.pep_id} is {record.status.value.replace('_', ' ')}, not submitted", field="pep_id"
        )
    return record.submitted_on


def _return(command: ReturnPepForRework, record: PepRecord) -> list[Event]:
    submitted_on = _require_submitted(record)
    if not command.reason.strip():
        raise InvalidInput("say why the PEP needs rework", field="reason")
    if command.returned_on < submitted_on:
        raise InvalidInput(f"the PEP was submitted on {submitted_on}", field="returned_on")
    return [
        PepReturnedForRework(
            **_the_pep(command, record),
            returned_on=command.returned_on,
            reason=command.reason,
        )
    ]


def due_on_for(
    record: PepRecord, child: ChildState, calendar: SchoolCalendar, policies: PepTimingPolicies
) -> date:
    """The due date of the occasion a PEP was held for."""
    if record.occasion is PepOccasion.TERMLY_REVIEW:
        return review_due_on(record.term, policies, calendar)
    if record.occasion is PepOccasion.CHANGE_OF_SCHOOL:
        assert record.school_changed_on is not None
        return in_place_due_on_after_change_of_school(record.school_changed_on, policies, calendar)
    entered_on = _episode_start(child, record.initiated_on) or record.initiated_on
    return in_place_due_on_after_entering_care(entered_on, policies, calendar)


def _quality_assure(
    command: QualityAssurePep,
    record: PepRecord,
    child: ChildState,
    calendar: SchoolCalendar,
    policies: PepTimingPolicies,
) -> list[Event]:
    submitted_on = _require_submitted(record)
    if command.rating is not Rag.GREEN and not command.comments.strip():
        raise InvalidInput(f"a {command.rating.value} rating needs comments", field="comments")
    if command.quality_assured_on < submitted_on:
        raise InvalidInput(f"the PEP was submitted on {submitted_on}", field="quality_assured_on")
    due_on = due_on_for(record, child, calendar, policies)
    return [
        PepQualityAssured(
            **_the_pep(command, record),
            occasion=record.occasion,
            quality_assured_on=command.quality_assured_on,
            rating=command.rating,
            comments=command.comments,
        ),
        PepCompleted(
            **_the_pep(command, record),
            occasion=record.occasion,
            completed_on=submitted_on,
            due_on=due_on,
            completed_in_time=submitted_on <= due_on,
            rating=command.rating,
            target_ids=record.target_ids,
        ),
    ]


# --- evolve -----------------------------------------------------------------------------------


def _updated(item: Record, **changes: Any) -> Record:
    """``dataclasses.replace`` for this fold's frozen records, which check nothing when made: the
    item's fields with ``changes`` over them, copied without calling ``__init__`` again. Folding a
    child's PEPs makes one for every event, and ``replace`` costs several times as much."""
    unknown = changes.keys() - item.__dataclass_fields__.keys()  # type: ignore[attr-defined]
    if unknown:
        raise TypeError(f"{type(item).__name__} has no field {sorted(unknown)}")
    copied = object.__new__(type(item))
    copied.__dict__.update(item.__dict__, **changes)
    return copied


def _with_pep(state: PepState, record: PepRecord) -> PepState:
    return _updated(state, peps={**state.peps, record.pep_id: record})


def evolve(state: PepState, event: Event) -> PepState:
    if isinstance(event, PepInitiated):
        record = PepRecord(
            pep_id=event.pep_id,
            term=event.term,
            occasion=event.occasion,
            initiated_on=event.initiated_on,
            urn=event.urn,
            school_changed_on=event.school_changed_on,
        )
        return _updated(_with_pep(state, record), child_id=event.child_id)
    if isinstance(event, PepInitiationOverdue | PepOverdue | PepReviewOverdue):
        return _updated(state, overdue_raised=state.overdue_raised | {overdue_key(event)})
    if not isinstance(event, PepEvent):
        raise TypeError(f"not a PEP event: {type(event).__name__}")
    record = state.peps[event.pep_id]
    if isinstance(event, PepDraftSaved):
        return _with_pep(
            state,
            _updated(record, status=PepStatus.IN_PROGRESS, strengths_and_needs=event.strengths_and_needs),
        )
    if isinstance(event, PepTargetsSet):
        targets = {k: v for k, v in state.targets.items() if v.pep_id != event.pep_id}
        targets.update({t.target_id: TargetRecord(target=t, pep_id=event.pep_id) for t in event.targets})
        updated = _updated(
            record, status=PepStatus.IN_PROGRESS, target_ids=tuple(t.target_id for t in event.targets)
        )
        return _updated(_with_pep(state, updated), targets=targets)
    if isinstance(event, PepReviewRecorded):
        return _with_pep(state, _updated(record, status=PepStatus.IN_PROGRESS, review=event))
    if isinstance(event, UnofficialExclusionFlagged):
        return _with_pep(
            state, _updated(record, flagged_exclusions=record.flagged_exclusions + (event.exclusion,))
        )
    if isinstance(event, PepSubmitted):
        return _with_pep(
            state,
            _updated(
                record, status=PepStatus.SUBMITTED, submitted_on=event.submitted_on, returned_reason=None
            ),
        )
    if isinstance(event, PepReturnedForRework):
        return _with_pep(
            state,
            _updated(
                record,
                status=PepStatus.RETURNED_FOR_REWORK,
                returned_on=event.returned_on,
                returned_reason=event.reason,
            ),
        )
    if isinstance(event, PepQualityAssured):
        return _with_pep(
            state,
            _updated(
                record,
                status=PepStatus.QUALITY_ASSURED,
                rating=event.rating,
                comments=event.comments,
                quality_assured_on=event.quality_assured_on,
            ),
        )
    if isinstance(event, PepCompleted):
        targets = dict(state.targets)
        if record.review is not None:
            for progress in record.review.target_progress:
                carried = targets[progress.target_id]
                targets[progress.target_id] = _updated(
                    carried,
                    progress=carried.progress + (progress,),
                    closed=progress.status in CLOSING_STATUSES,
                )
        for target_id in record.target_ids:
            targets[target_id] = _updated(targets[target_id], in_force=True)
        updated = _updated(
            record,
            completed_on=event.completed_on,
            due_on=event.due_on,
            completed_in_time=event.completed_in_time,
        )
        return _updated(_with_pep(state, updated), targets=targets)
    raise TypeError(f"not a PEP event: {type(event).__name__}")


def overdue_key(event: PepInitiationOverdue | PepOverdue | PepReviewOverdue) -> str:
    if isinstance(event, PepInitiationOverdue):
        return initiation_obligation_key(event.entered_care_on)
    if isinstance(event, PepOverdue):
        return in_place_obligation_key(event.due_after, event.clock_started_on)
    return review_obligation_key(event.term)


def fold(events: list[Event], state: PepState = NO_PEPS) -> PepState:
    for event in events:
        state = evolve(state, event)
    return state


def without_personal_details(state: PepState) -> PepState:
    """The child's PEPs as the virtual school shows them once the child's personal data is erased:
    what the log holds sealed blank; dates, statuses, ratings, attendance, exclusions and targets
    as they were, for the reports. (Once the key is destroyed the fold gives this by itself; this
    holds from the moment the erasure is recorded.)"""
    return replace(state, peps={pep_id: _without_personal_details(r) for pep_id, r in state.peps.items()})


def _without_personal_details(record: PepRecord) -> PepRecord:
    review = record.review
    return replace(
        record,
        strengths_and_needs=None,
        returned_reason=None,
        comments=None,
        review=review.model_copy(update=dict.fromkeys(review.personal_fields)) if review else None,
    )
