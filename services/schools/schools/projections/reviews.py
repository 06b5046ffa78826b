"""Progress reviews per school: scheduled, held or cancelled. Overdue reviews are the open ones
whose due date has passed, asked as of the day of the question.

Each row is the review as the school's review record folds it (``domain.reviews.evolve``): how
often, when due, scheduled, held (and the outcome) or cancelled. What the fold does not keep - the
category and latest date at scheduling, the summary, actions and who recorded them, the reason for
a cancellation - is copied from the event that states it.
"""

from __future__ import annotations

from typing import Any

import asyncpg

from schools.domain.reviews import (
    REVIEW_EVENTS,
    ProgressReviewCancelled,
    ProgressReviewHeld,
    ProgressReviewScheduled,
    ReviewRecord,
    ScheduledReview,
)
from schools.projections.folds import school_folds
from shared.eventlog.records import RecordedEvent
from shared.events import Event, EventCatalogue

REVIEWS = "schools.progress_reviews"


class ProgressReviews:
    name = "schools.reviews"
    schema = "schools"
    tables = ("progress_reviews",)
    event_types = frozenset(cls.event_type for cls in REVIEW_EVENTS)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._folds = school_folds(catalogue)

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        step = await self._folds.step(conn, record)
        after: ReviewRecord = step.after
        event = step.event
        review = after.find(event.review_id)  # type: ignore[attr-defined]
        if review is None:
            return
        columns = _folded(review) | _stated(event)
        if step.before.find(review.review_id) is None:
            row = {"urn": event.urn, "review_id": review.review_id} | columns  # type: ignore[attr-defined]
            await conn.execute(
                f"INSERT INTO {REVIEWS} ({', '.join(row)}) "
                f"VALUES ({', '.join(f'${i}' for i in range(1, len(row) + 1))})",
                *row.values(),
            )
            return
        await conn.execute(
            f"UPDATE {REVIEWS} SET "
            + ", ".join(f"{name} = ${i}" for i, name in enumerate(columns, start=3))
            + " WHERE urn = $1 AND review_id = $2",
            event.urn,  # type: ignore[attr-defined]
            review.review_id,
            *columns.values(),
        )


def _folded(review: ScheduledReview) -> dict[str, Any]:
    """The columns the fold works out."""
    return {
        "frequency": review.frequency.value,
        "due_on": review.due_on,
        "scheduled_on": review.scheduled_on,
        "held_on": review.held_on,
        "outcome": review.outcome.value if review.outcome else None,
        "cancelled_on": review.cancelled_on,
    }


def _stated(event: Event) -> dict[str, Any]:
    """The columns copied from the event that states them."""
    match event:
        case ProgressReviewScheduled():
            return {
                "category": event.category.value if event.category else None,
                "required_by": event.required_by,
            }
        case ProgressReviewHeld():
            return {
                "summary": event.summary,
                "actions": list(event.actions),
                "recorded_by": event.recorded_by,
            }
        case ProgressReviewCancelled():
            return {"cancel_reason": event.reason}
    return {}
