"""Progress reviews: scheduling one by the review policy, recording its outcome, cancelling it."""

from __future__ import annotations

from schools.domain import reviews
from schools.domain.reviews import (
    NO_REVIEWS,
    CancelProgressReview,
    RecordProgressReviewOutcome,
    ReviewRecord,
    ScheduleProgressReview,
    reviews_stream,
)
from schools.wiring import Schools
from shared.web.commands import Outcome
from shared.web.context import CommandContext

OPERATIONS = {
    ScheduleProgressReview: "schedule-progress-review",
    RecordProgressReviewOutcome: "record-progress-review",
    CancelProgressReview: "cancel-progress-review",
}


async def decide_review(
    schools: Schools,
    ctx: CommandContext,
    command: ScheduleProgressReview | RecordProgressReviewOutcome | CancelProgressReview,
) -> Outcome[ReviewRecord]:
    school = await schools.school(command.urn)
    category = await schools.categorisation(command.urn)
    config = await schools.configuration()
    policy, terms = config.state.review_policy(), config.state.term_calendar()
    return await schools.log.execute(
        ctx,
        reviews_stream(command.urn),
        initial=NO_REVIEWS,
        evolve=reviews.evolve,
        decide=lambda record: reviews.decide(
            command,
            record,
            school=school.state,
            categorisation=category.state,
            policy=policy,
            terms=terms,
            today=ctx.today,
        ),
        operation=f"{OPERATIONS[type(command)]}:{command.urn}",
    )
