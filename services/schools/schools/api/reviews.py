"""A school's progress reviews: scheduled by the review rule, held with an outcome, or cancelled."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from schools import access
from schools.api.deps import Identifier, LogDep, answered, recorded_types
from schools.api.schemas import ReviewPublic
from schools.domain.reviews import (
    CancelProgressReview,
    ProgressReviewCancelled,
    ProgressReviewHeld,
    ProgressReviewScheduled,
    RecordProgressReviewOutcome,
    ReviewOutcome,
    ReviewRecord,
    ScheduleProgressReview,
)
from schools.handlers.log import SchoolsLog
from schools.handlers.reviews import decide_review
from shared.security.principal import Principal
from shared.text import Narrative, Note
from shared.urn import UrnPath
from shared.web.commands import Outcome
from shared.web.context import ContextDep

router = APIRouter(prefix="/schools/{urn}/reviews", tags=["reviews"])


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    planned_for: date | None = Field(
        default=None,
        description="when the review is planned; the latest date the review rule allows if not given",
    )


class ReviewOutcomeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    held_on: date
    outcome: ReviewOutcome
    summary: Narrative
    actions: list[Note] = Field(default_factory=list, max_length=50)


class CancellationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Note


@router.post("", response_model=ReviewPublic, status_code=201, summary="Schedule the next progress review")
async def schedule_review(
    urn: UrnPath,
    body: ReviewCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_REVIEW)],
    ctx: ContextDep,
    log: LogDep,
) -> ReviewPublic:
    command = ScheduleProgressReview(
        urn=urn,
        review_id=f"review-{uuid.uuid4().hex[:12]}",
        scheduled_on=ctx.today,
        planned_for=body.planned_for,
    )
    outcome = await decide_review(log, ctx, command)
    answered(response, outcome, created=True)
    scheduled = next(e for e in map(log.decode, outcome.recorded) if isinstance(e, ProgressReviewScheduled))
    return _review(urn, scheduled.review_id, outcome, log)


@router.post("/{review_id}/outcome", response_model=ReviewPublic, summary="Record a review's outcome")
async def record_outcome(
    urn: UrnPath,
    review_id: Identifier,
    body: ReviewOutcomeCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_REVIEW)],
    ctx: ContextDep,
    log: LogDep,
) -> ReviewPublic:
    command = RecordProgressReviewOutcome(
        urn=urn, review_id=review_id, recorded_by=principal.subject, **body.model_dump()
    )
    outcome = await decide_review(log, ctx, command)
    answered(response, outcome)
    return _review(urn, review_id, outcome, log)


@router.post("/{review_id}/cancellation", response_model=ReviewPublic, summary="Cancel a scheduled review")
async def cancel_review(
    urn: UrnPath,
    review_id: Identifier,
    body: CancellationCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_REVIEW)],
    ctx: ContextDep,
    log: LogDep,
) -> ReviewPublic:
    command = CancelProgressReview(urn=urn, review_id=review_id, cancelled_on=ctx.today, reason=body.reason)
    outcome = await decide_review(log, ctx, command)
    answered(response, outcome)
    return _review(urn, review_id, outcome, log)


def _review(urn: str, review_id: str, outcome: Outcome[ReviewRecord], log: SchoolsLog) -> ReviewPublic:
    review = outcome.state.find(review_id)
    assert review is not None
    answer = ReviewPublic.of(urn, review, outcome.version, recorded_types(outcome))
    for event in map(log.decode, outcome.recorded):
        match event:
            case ProgressReviewScheduled():
                answer.category = event.category.value if event.category else None
                answer.required_by = event.required_by
            case ProgressReviewHeld():
                answer.summary, answer.actions = event.summary, list(event.actions)
            case ProgressReviewCancelled():
                answer.cancel_reason = event.reason
    return answer
