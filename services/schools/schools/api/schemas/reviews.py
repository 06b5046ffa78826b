"""Progress reviews: scheduling one, recording its outcome, cancelling it, and the answer."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from schools.domain.reviews import ReviewOutcome, ScheduledReview
from shared.text import Narrative, Note


class ReviewCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"planned_for": "2026-11-20"}, {}]},
    )

    planned_for: date | None = Field(
        default=None,
        description="when the review is planned; the latest date the review rule allows if not given",
    )


class ReviewOutcomeCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "held_on": "2026-10-21",
                    "outcome": "reasonable_progress",
                    "summary": (
                        "Leaders have put a new phonics programme in place and attendance is up to "
                        "94.8%. Writing in key stage 2 is still weak: too few pupils write at length "
                        "across the curriculum."
                    ),
                    "actions": [
                        (
                            "English lead to visit a good school's Year 5 and 6 writing lessons before "
                            "half term."
                        ),
                        "Adviser to review a sample of Year 6 books at the next visit.",
                    ],
                },
            ]
        },
    )

    held_on: date
    outcome: ReviewOutcome
    summary: Narrative
    actions: list[Note] = Field(default_factory=list, max_length=50)


class CancellationCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reason": (
                        "The school became an academy on 1 September 2026; the council no longer reviews "
                        "its progress."
                    ),
                },
            ]
        },
    )

    reason: Note


class ReviewPublic(BaseModel):
    urn: str
    review_id: str
    frequency: str
    category: str | None = None
    due_on: date
    required_by: date | None = None
    scheduled_on: date
    held_on: date | None = None
    outcome: str | None = None
    summary: str | None = None
    actions: list[str] = []
    cancelled_on: date | None = None
    cancel_reason: str | None = None
    version: int | None = None
    recorded: list[str] = []

    @classmethod
    def of(cls, urn: str, review: ScheduledReview, version: int, recorded: list[str]) -> ReviewPublic:
        return cls(
            urn=urn,
            review_id=review.review_id,
            frequency=review.frequency.value,
            due_on=review.due_on,
            scheduled_on=review.scheduled_on,
            held_on=review.held_on,
            outcome=review.outcome.value if review.outcome else None,
            cancelled_on=review.cancelled_on,
            version=version,
            recorded=recorded,
        )
