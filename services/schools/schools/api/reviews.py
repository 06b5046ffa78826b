"""A school's progress reviews: scheduled by the review rule, held with an outcome, or cancelled."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from schools import access
from schools.api.answers import answer, nothing_new, recorded_types
from schools.api.schemas.paths import Identifier
from schools.api.schemas.reviews import CancellationCreate, ReviewCreate, ReviewOutcomeCreate, ReviewPublic
from schools.domain.reviews import (
    CancelProgressReview,
    ProgressReviewCancelled,
    ProgressReviewHeld,
    ProgressReviewScheduled,
    RecordProgressReviewOutcome,
    ScheduleProgressReview,
)
from schools.handlers.reviews import decide_review
from schools.wiring import Schools, SchoolsDep
from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.context import CommandContext, ContextDep

router = APIRouter(prefix="/schools/{urn}/reviews", tags=["reviews"])


@router.post(
    "",
    response_model=ReviewPublic,
    status_code=201,
    responses=nothing_new(ReviewPublic),
    summary="Schedule the next progress review",
)
async def schedule_review(
    urn: UrnPath,
    body: ReviewCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_REVIEW)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> ReviewPublic:
    command = ScheduleProgressReview(
        urn=urn,
        review_id=f"review-{uuid.uuid4().hex[:12]}",
        scheduled_on=ctx.today,
        planned_for=body.planned_for,
    )
    return await _reviewed(schools, ctx, response, command, created=True)


@router.post("/{review_id}/outcome", response_model=ReviewPublic, summary="Record a review's outcome")
async def record_outcome(
    urn: UrnPath,
    review_id: Identifier,
    body: ReviewOutcomeCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_REVIEW)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> ReviewPublic:
    command = RecordProgressReviewOutcome(
        urn=urn, review_id=review_id, recorded_by=principal.subject, **body.model_dump()
    )
    return await _reviewed(schools, ctx, response, command)


@router.post("/{review_id}/cancellation", response_model=ReviewPublic, summary="Cancel a scheduled review")
async def cancel_review(
    urn: UrnPath,
    review_id: Identifier,
    body: CancellationCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.RECORD_REVIEW)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> ReviewPublic:
    command = CancelProgressReview(urn=urn, review_id=review_id, cancelled_on=ctx.today, reason=body.reason)
    return await _reviewed(schools, ctx, response, command)


async def _reviewed(
    schools: Schools,
    ctx: CommandContext,
    response: Response,
    command: ScheduleProgressReview | RecordProgressReviewOutcome | CancelProgressReview,
    *,
    created: bool = False,
) -> ReviewPublic:
    """Decide, and answer with the review as it now stands and what this request recorded of it."""
    outcome = await decide_review(schools, ctx, command)
    answer(response, outcome, created=created)
    recorded = [schools.log.decode(r) for r in outcome.recorded]
    review_id = command.review_id
    if isinstance(command, ScheduleProgressReview):
        # A retried request (same Idempotency-Key) answers with the review first scheduled.
        review_id = next(e for e in recorded if isinstance(e, ProgressReviewScheduled)).review_id
    review = outcome.state.find(review_id)
    assert review is not None
    public = ReviewPublic.of(command.urn, review, outcome.version, recorded_types(outcome))
    for event in recorded:
        match event:
            case ProgressReviewScheduled():
                public.category = event.category.value if event.category else None
                public.required_by = event.required_by
            case ProgressReviewHeld():
                public.summary, public.actions = event.summary, list(event.actions)
            case ProgressReviewCancelled():
                public.cancel_reason = event.reason
    return public
