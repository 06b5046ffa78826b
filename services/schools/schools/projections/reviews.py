"""Progress reviews per school: scheduled, held or cancelled. Overdue reviews are the open ones
whose due date has passed, asked as of the day of the question."""

from __future__ import annotations

import asyncpg

from schools.domain.reviews import (
    REVIEW_EVENTS,
    ProgressReviewCancelled,
    ProgressReviewHeld,
    ProgressReviewScheduled,
)
from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue

REVIEWS = "schools.progress_reviews"


class ProgressReviews:
    name = "schools.reviews"
    schema = "schools"
    tables = ("progress_reviews",)
    event_types = frozenset(cls.event_type for cls in REVIEW_EVENTS)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        event = self._catalogue.decode(record.event_type, record.schema_version, record.data)
        match event:
            case ProgressReviewScheduled():
                await conn.execute(
                    f"INSERT INTO {REVIEWS} (urn, review_id, frequency, category, due_on, required_by, "
                    "scheduled_on) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                    event.urn,
                    event.review_id,
                    event.frequency.value,
                    event.category.value if event.category else None,
                    event.due_on,
                    event.required_by,
                    event.scheduled_on,
                )
            case ProgressReviewHeld():
                await conn.execute(
                    f"UPDATE {REVIEWS} SET held_on = $3, outcome = $4, summary = $5, actions = $6, "
                    "recorded_by = $7 WHERE urn = $1 AND review_id = $2",
                    event.urn,
                    event.review_id,
                    event.held_on,
                    event.outcome.value,
                    event.summary,
                    list(event.actions),
                    event.recorded_by,
                )
            case ProgressReviewCancelled():
                await conn.execute(
                    f"UPDATE {REVIEWS} SET cancelled_on = $3, cancel_reason = $4 "
                    "WHERE urn = $1 AND review_id = $2",
                    event.urn,
                    event.review_id,
                    event.cancelled_on,
                    event.reason,
                )
