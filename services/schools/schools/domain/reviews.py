"""Progress reviews: one stream per school, ``reviews-<urn>``.

Every school is reviewed each term; schools requiring improvement and schools in an Ofsted
category have an action plan and a progress review every six weeks (seed 003 section 7
"Implementing our School Improvement Strategy"; domain.md section 1). Which categories are
reviewed six-weekly, and how often, is council policy, held as data with the date it takes
effect. A scheduled review carries the date
it is due, so the list of overdue reviews is a fold of the events and today's date.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import ClassVar

from pydantic import Field

from schools.domain.categorisation import Categorisation, CouncilCategory
from schools.domain.checks import each_text, required_text
from schools.domain.refusals import ReviewStage, SchoolNotOpen
from schools.domain.register import School, registered
from schools.domain.school_events import RecordedFields, SchoolCommand, SchoolEvent
from schools.domain.terms import TermCalendar
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Command, Event


def reviews_stream(urn: str) -> str:
    return f"reviews-{urn}"


class ReviewFrequency(StrEnum):
    SIX_WEEKLY = "six_weekly"
    TERMLY = "termly"


class ReviewOutcome(StrEnum):
    GOOD_PROGRESS = "good_progress"
    REASONABLE_PROGRESS = "reasonable_progress"
    INSUFFICIENT_PROGRESS = "insufficient_progress"  # seed 003: leads to a scoping meeting


# ---------------------------------------------------------------------------------------------
# Policy
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewRule:
    effective_from: date
    frequent_categories: frozenset[CouncilCategory]
    frequent_interval: timedelta
    source: str


@dataclass(frozen=True)
class ReviewPolicy:
    rules: tuple[ReviewRule, ...]

    def rule_on(self, day: date) -> ReviewRule:
        in_force = [r for r in self.rules if r.effective_from <= day]
        if not in_force:
            raise RuleViolation(f"no review policy was in force on {day.isoformat()}", field="scheduled_on")
        return max(in_force, key=lambda r: r.effective_from)


KENT_REVIEWS_2013 = ReviewRule(
    effective_from=date(2013, 9, 1),
    frequent_categories=frozenset({CouncilCategory.REQUIRES_IMPROVEMENT, CouncilCategory.OFSTED_CATEGORY}),
    frequent_interval=timedelta(weeks=6),
    source="Kent's Strategy for School Improvement, November 2013 (seed 003): six weekly reviews",
)

DEFAULT_REVIEW_POLICY = ReviewPolicy(rules=(KENT_REVIEWS_2013,))


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


class ProgressReviewScheduled(SchoolEvent):
    """``required_by`` is the latest date the policy allows; ``due_on`` the date it is planned for
    (never later). A review still not held after ``due_on`` is overdue."""

    event_type: ClassVar[str] = "ProgressReviewScheduled"
    effective_field: ClassVar[str] = "scheduled_on"

    review_id: str
    frequency: ReviewFrequency
    category: CouncilCategory | None
    due_on: date
    required_by: date
    scheduled_on: date


class ProgressReviewHeld(SchoolEvent):
    """A scheduled progress review was held: its outcome, a summary and the actions agreed."""

    event_type: ClassVar[str] = "ProgressReviewHeld"
    effective_field: ClassVar[str] = "held_on"

    review_id: str
    held_on: date
    due_on: date
    outcome: ReviewOutcome
    summary: str
    actions: list[str] = Field(default_factory=list)
    recorded_by: str


class ReviewCancellation(RecordedFields):
    """A scheduled review that will not be held, from when, and why."""

    review_id: str
    cancelled_on: date
    reason: str


class ProgressReviewCancelled(ReviewCancellation, SchoolEvent):
    """A scheduled review will not be held (e.g. replaced after re-categorisation), with the reason."""

    event_type: ClassVar[str] = "ProgressReviewCancelled"
    effective_field: ClassVar[str] = "cancelled_on"


REVIEW_EVENTS: tuple[type[Event], ...] = (
    ProgressReviewScheduled,
    ProgressReviewHeld,
    ProgressReviewCancelled,
)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


class ScheduleProgressReview(Command):
    urn: str
    review_id: str
    scheduled_on: date
    planned_for: date | None = None  # defaults to the latest date the policy allows


class RecordProgressReviewOutcome(Command):
    urn: str
    review_id: str
    held_on: date
    outcome: ReviewOutcome
    summary: str
    actions: list[str] = Field(default_factory=list)
    recorded_by: str


class CancelProgressReview(ReviewCancellation, SchoolCommand):
    """Cancel a scheduled review of the school ``urn``, with the reason."""


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledReview:
    review_id: str
    frequency: ReviewFrequency
    due_on: date
    scheduled_on: date
    held_on: date | None = None
    outcome: ReviewOutcome | None = None
    cancelled_on: date | None = None

    @property
    def open(self) -> bool:
        return self.held_on is None and self.cancelled_on is None


@dataclass(frozen=True)
class ReviewRecord:
    reviews: tuple[ScheduledReview, ...] = ()

    def find(self, review_id: str) -> ScheduledReview | None:
        return next((r for r in self.reviews if r.review_id == review_id), None)

    def pending(self) -> ScheduledReview | None:
        return next((r for r in self.reviews if r.open), None)

    def last_held_on(self) -> date | None:
        held = [r.held_on for r in self.reviews if r.held_on is not None]
        return max(held) if held else None


NO_REVIEWS = ReviewRecord()


def evolve(record: ReviewRecord, event: Event) -> ReviewRecord:
    match event:
        case ProgressReviewScheduled():
            review = ScheduledReview(
                review_id=event.review_id,
                frequency=event.frequency,
                due_on=event.due_on,
                scheduled_on=event.scheduled_on,
            )
            return replace(record, reviews=(*record.reviews, review))
        case ProgressReviewHeld():
            return _update(record, event.review_id, held_on=event.held_on, outcome=event.outcome)
        case ProgressReviewCancelled():
            return _update(record, event.review_id, cancelled_on=event.cancelled_on)
    return record


def _update(record: ReviewRecord, review_id: str, **changes: object) -> ReviewRecord:
    return replace(
        record,
        reviews=tuple(replace(r, **changes) if r.review_id == review_id else r for r in record.reviews),
    )


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def overdue_reviews(record: ReviewRecord, today: date) -> list[ScheduledReview]:
    """Reviews scheduled, not held or cancelled, whose due date has passed."""
    return [r for r in record.reviews if r.open and r.due_on < today]


@dataclass(frozen=True)
class ReviewDue:
    frequency: ReviewFrequency
    required_by: date


def next_review_due(
    record: ReviewRecord,
    *,
    categorisation: Categorisation,
    policy: ReviewPolicy,
    terms: TermCalendar,
    as_of: date,
) -> ReviewDue:
    """When the school's next progress review must be held by.

    Termly for every school: in the term after the last review, or if there has been none, in
    the current term. Six-weekly for the policy's categories: six weeks after the last review or
    after the school entered its category, whichever is later. The earlier date governs.
    """
    last_held = record.last_held_on()
    if last_held is not None:
        term = terms.term_after(terms.term_for(last_held, field="held_on"), field="scheduled_on")
    else:
        term = terms.term_for(as_of, field="scheduled_on")
    due = ReviewDue(ReviewFrequency.TERMLY, term.ends_on)
    current = categorisation.current
    rule = policy.rule_on(as_of)
    if current is not None and current.category in rule.frequent_categories:
        start = max(d for d in (last_held, current.categorised_on) if d is not None)
        six_weekly = start + rule.frequent_interval
        if six_weekly <= due.required_by:
            due = ReviewDue(ReviewFrequency.SIX_WEEKLY, six_weekly)
    return due


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def decide(
    command: ScheduleProgressReview | RecordProgressReviewOutcome | CancelProgressReview,
    record: ReviewRecord,
    *,
    school: School,
    categorisation: Categorisation,
    policy: ReviewPolicy,
    terms: TermCalendar,
    today: date,
) -> list[Event]:
    registered(school, command.urn)
    match command:
        case ScheduleProgressReview():
            return _schedule(command, record, school, categorisation, policy, terms, today)
        case RecordProgressReviewOutcome():
            return _record_outcome(command, record, today)
        case CancelProgressReview():
            return _cancel(command, record, today)
    raise TypeError(f"not a review command: {type(command).__name__}")


def _schedule(
    command: ScheduleProgressReview,
    record: ReviewRecord,
    school: School,
    categorisation: Categorisation,
    policy: ReviewPolicy,
    terms: TermCalendar,
    today: date,
) -> list[Event]:
    if not school.is_open:
        raise SchoolNotOpen("a closed school is not reviewed", field="urn")
    review_id = required_text(command.review_id, "review_id")
    if record.find(review_id) is not None:
        raise Conflict(f"review {review_id} already exists", field="review_id")
    pending = record.pending()
    if pending is not None:
        raise ReviewStage(
            f"review {pending.review_id} is already scheduled for {pending.due_on.isoformat()}",
            field="review_id",
        )
    if command.scheduled_on > today:
        raise InvalidInput("a review cannot be scheduled from a future date", field="scheduled_on")
    due = next_review_due(
        record,
        categorisation=categorisation,
        policy=policy,
        terms=terms,
        as_of=command.scheduled_on,
    )
    planned_for = command.planned_for or due.required_by
    if planned_for > due.required_by:
        raise RuleViolation(
            f"a {due.frequency.value.replace('_', '-')} review must be held by {due.required_by.isoformat()}",
            field="planned_for",
        )
    if planned_for < command.scheduled_on:
        raise InvalidInput("a review is planned for a date after it is scheduled", field="planned_for")
    return [
        ProgressReviewScheduled(
            urn=command.urn,
            review_id=review_id,
            frequency=due.frequency,
            category=categorisation.category,
            due_on=planned_for,
            required_by=due.required_by,
            scheduled_on=command.scheduled_on,
        )
    ]


def _record_outcome(command: RecordProgressReviewOutcome, record: ReviewRecord, today: date) -> list[Event]:
    review = _open_review(record, command.review_id)
    if command.held_on > today:
        raise InvalidInput("a review's outcome is recorded once it has been held", field="held_on")
    if command.held_on < review.scheduled_on:
        raise InvalidInput("a review is held after it was scheduled", field="held_on")
    actions = each_text(command.actions, "actions", "an action cannot be blank")
    return [
        ProgressReviewHeld(
            urn=command.urn,
            review_id=review.review_id,
            held_on=command.held_on,
            due_on=review.due_on,
            outcome=command.outcome,
            summary=required_text(command.summary, "summary"),
            actions=actions,
            recorded_by=required_text(command.recorded_by, "recorded_by"),
        )
    ]


def _cancel(command: CancelProgressReview, record: ReviewRecord, today: date) -> list[Event]:
    review = _open_review(record, command.review_id)
    if command.cancelled_on > today:
        raise InvalidInput("a review is cancelled on or before today", field="cancelled_on")
    return [
        ProgressReviewCancelled(
            urn=command.urn,
            review_id=review.review_id,
            cancelled_on=command.cancelled_on,
            reason=required_text(command.reason, "reason"),
        )
    ]


def _open_review(record: ReviewRecord, review_id: str) -> ScheduledReview:
    review = record.find(review_id)
    if review is None:
        raise NotFound(f"no review {review_id} is scheduled", field="review_id")
    if review.held_on is not None:
        raise ReviewStage(f"review {review_id} was held on {review.held_on.isoformat()}", field="review_id")
    if review.cancelled_on is not None:
        raise ReviewStage(f"review {review_id} was cancelled", field="review_id")
    return review
