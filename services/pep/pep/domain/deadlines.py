"""The statutory PEP obligations of a child, and the overdue events a deadline scheduler appends.

For each care episode (domain.md section 2, timings per ``timing``):

* the PEP is *initiated* by the initiation due date - met by any PEP initiated in the episode;
* a PEP is *in place* by the due date after entering care - met by a PEP initiated in the
  episode that is submitted (and not returned), from the day it was submitted;
* again after each *change of school* - met by a PEP initiated on or after the first day at the
  new school that is in place;
* every *term* that starts while the child is looked after has a review due by the term's review
  date - met by that term's PEP being in place.

An obligation applies only while the child is still looked after on its due date. The scheduler
calls ``overdue_events`` daily (or on catching up): each obligation unmet after its due date gives
one overdue event, never twice, because the PEP stream remembers the ones raised.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.events import Event

from .children import ChildState
from .pep_events import (
    DueAfter,
    PepInitiationOverdue,
    PepOverdue,
    PepReviewOverdue,
    in_place_obligation_key,
    initiation_obligation_key,
    review_obligation_key,
)
from .peps import PepRecord, PepState
from .terms import SchoolCalendar, TermRef
from .timing import (
    PepTimingPolicies,
    in_place_due_on_after_change_of_school,
    in_place_due_on_after_entering_care,
    initiation_due_on,
    review_due_on,
)


class ObligationKind(StrEnum):
    INITIATION = "initiation"
    IN_PLACE_AFTER_ENTERING_CARE = "in_place_after_entering_care"
    IN_PLACE_AFTER_CHANGE_OF_SCHOOL = "in_place_after_change_of_school"
    TERMLY_REVIEW = "termly_review"


class ObligationStatus(StrEnum):
    NOT_YET_DUE = "not_yet_due"
    MET_IN_TIME = "met_in_time"
    MET_LATE = "met_late"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class PepObligation:
    key: str
    kind: ObligationKind
    child_id: str
    clock_started_on: date  # entering care, first day at the new school, or the term's first day
    due_on: date
    term: TermRef | None  # the term reviewed, or the term the due date is reported in
    urn: str | None  # the school the child is on roll at on the due date
    met_on: date | None
    entered_care_on: date

    def status_on(self, today: date) -> ObligationStatus:
        if self.met_on is not None:
            return ObligationStatus.MET_IN_TIME if self.met_on <= self.due_on else ObligationStatus.MET_LATE
        return ObligationStatus.OVERDUE if today > self.due_on else ObligationStatus.NOT_YET_DUE


def _earliest(days: list[date | None]) -> date | None:
    known = [day for day in days if day is not None]
    return min(known) if known else None


def _applies(left_on: date | None, due_on: date) -> bool:
    return left_on is None or due_on < left_on


def _obligation(
    child: ChildState,
    calendar: SchoolCalendar,
    entered_on: date,
    key: str,
    kind: ObligationKind,
    started: date,
    due_on: date,
    met_on: date | None,
    ref: TermRef | None,
) -> PepObligation:
    return PepObligation(
        key=key,
        kind=kind,
        child_id=child.child_id or "",
        clock_started_on=started,
        due_on=due_on,
        term=ref if ref is not None else calendar.term_for_reporting(due_on),
        urn=child.school_on(due_on),
        met_on=met_on,
        entered_care_on=entered_on,
    )


def pep_obligations(
    child: ChildState, peps: PepState, policies: PepTimingPolicies, calendar: SchoolCalendar
) -> list[PepObligation]:
    if child.child_id is None:
        return []
    obligations: list[PepObligation] = []
    for episode in child.episodes:
        entered_on, left_on = episode.entered_on, episode.left_on
        in_episode: list[PepRecord] = [
            record
            for record in peps.peps.values()
            if record.initiated_on >= entered_on and (left_on is None or record.initiated_on < left_on)
        ]
        candidates: list[tuple[str, ObligationKind, date, date, date | None, TermRef | None]] = [
            (
                initiation_obligation_key(entered_on),
                ObligationKind.INITIATION,
                entered_on,
                initiation_due_on(entered_on, policies, calendar),
                _earliest([record.initiated_on for record in in_episode]),
                None,
            ),
            (
                in_place_obligation_key(DueAfter.ENTERING_CARE, entered_on),
                ObligationKind.IN_PLACE_AFTER_ENTERING_CARE,
                entered_on,
                in_place_due_on_after_entering_care(entered_on, policies, calendar),
                _earliest([record.in_place_on for record in in_episode]),
                None,
            ),
        ]
        for changed_on in child.school_changes:
            if changed_on < entered_on or (left_on is not None and changed_on >= left_on):
                continue
            candidates.append(
                (
                    in_place_obligation_key(DueAfter.CHANGE_OF_SCHOOL, changed_on),
                    ObligationKind.IN_PLACE_AFTER_CHANGE_OF_SCHOOL,
                    changed_on,
                    in_place_due_on_after_change_of_school(changed_on, policies, calendar),
                    _earliest([r.in_place_on for r in in_episode if r.initiated_on >= changed_on]),
                    None,
                )
            )
        in_place_by_term: dict[tuple[int, int], list[date | None]] = {}
        for r in in_episode:
            in_place_by_term.setdefault(r.term.order, []).append(r.in_place_on)
        for ref in calendar.terms():
            starts = calendar.term_dates(ref).start
            if starts <= entered_on or (left_on is not None and starts >= left_on):
                continue
            candidates.append(
                (
                    review_obligation_key(ref),
                    ObligationKind.TERMLY_REVIEW,
                    starts,
                    review_due_on(ref, policies, calendar),
                    _earliest(in_place_by_term.get(ref.order, [])),
                    ref,
                )
            )
        obligations += [
            _obligation(child, calendar, entered_on, key, kind, started, due_on, met_on, ref)
            for key, kind, started, due_on, met_on, ref in candidates
            if _applies(left_on, due_on)
        ]
    return obligations


def overdue_events(
    child: ChildState,
    peps: PepState,
    policies: PepTimingPolicies,
    calendar: SchoolCalendar,
    today: date,
) -> list[Event]:
    """The overdue events to append today: obligations past due and unmet, not raised before."""
    events: list[Event] = []
    for item in pep_obligations(child, peps, policies, calendar):
        if item.status_on(today) is not ObligationStatus.OVERDUE or item.key in peps.overdue_raised:
            continue
        if item.kind is ObligationKind.INITIATION:
            events.append(
                PepInitiationOverdue(
                    child_id=item.child_id,
                    urn=item.urn,
                    entered_care_on=item.clock_started_on,
                    due_on=item.due_on,
                    noticed_on=today,
                )
            )
        elif item.kind is ObligationKind.TERMLY_REVIEW:
            assert item.term is not None
            events.append(
                PepReviewOverdue(
                    child_id=item.child_id, urn=item.urn, term=item.term, due_on=item.due_on, noticed_on=today
                )
            )
        else:
            events.append(
                PepOverdue(
                    child_id=item.child_id,
                    urn=item.urn,
                    due_after=DueAfter.ENTERING_CARE
                    if item.kind is ObligationKind.IN_PLACE_AFTER_ENTERING_CARE
                    else DueAfter.CHANGE_OF_SCHOOL,
                    clock_started_on=item.clock_started_on,
                    due_on=item.due_on,
                    noticed_on=today,
                )
            )
    return events
