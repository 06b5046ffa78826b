"""What the service does on its own when certain of its events are recorded.

* A school categorised: allocate the year's adviser support for the category (the offer in
  force) and schedule its next progress review by the review rule (six-weekly for the frequent
  categories, termly for all). A review already planned for later than the new rule allows is
  cancelled and replaced. What follows from a categorisation, and what does not (one dated in
  an academic year that is over, or before any support offer), is decided by
  ``domain.follow_up.follow_up``.
* A progress review held: schedule the next one.

Each reaction is appended with an idempotency key naming the source event's position, so it
happens exactly once however often the event is delivered (after a crash, on a second
instance). A decision the rules refuse is not swallowed: the subscription retries it and then
parks it in ``schools.dead_letters`` for someone to look at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

import asyncpg

from schools.domain import categorisation, reviews
from schools.domain.categorisation import NOT_CATEGORISED, SchoolCategorised
from schools.domain.follow_up import follow_up
from schools.domain.reviews import (
    CancelProgressReview,
    ProgressReviewHeld,
    ScheduleProgressReview,
    reviews_stream,
)
from schools.domain.support import support_stream
from schools.handlers.support import support_decision
from schools.wiring import Schools, from_state
from shared.eventlog.records import RecordedEvent

POLICY_ACTOR = "schools-policies"


@dataclass(frozen=True)
class Reaction:
    """The source event of a reaction, and what each appended reaction carries because of it."""

    record: RecordedEvent
    name: str
    today: date

    @property
    def idempotency_key(self) -> str:
        return f"schools:policy:{self.name}:{self.record.position}"

    def metadata(self) -> dict[str, Any]:
        return {
            "actor": POLICY_ACTOR,
            "role": "policy",
            "service": "schools",
            "policy": self.name,
            "correlation_id": self.record.metadata.get("correlation_id"),
            "causation_id": f"{self.record.stream_id}@{self.record.stream_version}",
            "causation_position": self.record.position,
        }


def review_id_after(record: RecordedEvent) -> str:
    """The id of a review scheduled because of an event: the same every time it is handled."""
    return f"review-after-{record.position}"


class SchoolsPolicies:
    name = "schools.policies"
    schema = "schools"
    tables: tuple[str, ...] = ()
    event_types = frozenset({SchoolCategorised.event_type, ProgressReviewHeld.event_type})

    def __init__(self, state: Any) -> None:
        # The app's state: the service's root is built from it when an event arrives, so the
        # store exists by then and a test's clock (set after the app is built) is the one used.
        self._state = state

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        schools = from_state(self._state)
        today = schools.today()
        event = schools.log.decode(record)
        match event:
            case SchoolCategorised():
                await allocate_support_for_category(schools, Reaction(record, "allocate-support", today), event)
                await schedule_review_for_category(schools, Reaction(record, "schedule-review", today), event)
            case ProgressReviewHeld():
                await schedule_next_review(schools, Reaction(record, "schedule-next-review", today), event)


async def allocate_support_for_category(
    schools: Schools, reaction: Reaction, event: SchoolCategorised
) -> None:
    decision = await support_decision(
        schools, event.urn, today=reaction.today, categorisation=categorisation.evolve(NOT_CATEGORISED, event)
    )
    if not decision.school.is_open:
        return
    allocation = follow_up(event, support_policy=decision.policy, today=reaction.today).allocate_support
    if allocation is None:
        return
    current = await schools.support(event.urn)
    decided = decision.decide(allocation, current.state)
    await _append(schools, reaction, support_stream(event.urn), current.version, decided)


async def schedule_review_for_category(schools: Schools, reaction: Reaction, event: SchoolCategorised) -> None:
    school = await schools.school(event.urn)
    if not school.state.is_open:
        return
    config = await schools.configuration()
    if not follow_up(event, support_policy=config.state.support_policy(), today=reaction.today).schedule_review:
        return
    current = await schools.reviews(event.urn)
    category = categorisation.evolve(NOT_CATEGORISED, event)
    policy, terms = config.state.review_policy(), config.state.term_calendar()
    decide = partial(
        reviews.decide,
        school=school.state,
        categorisation=category,
        policy=policy,
        terms=terms,
        today=reaction.today,
    )
    due = reviews.next_review_due(
        current.state, categorisation=category, policy=policy, terms=terms, as_of=event.categorised_on
    )
    state, decided = current.state, []
    pending = state.pending()
    if pending is not None:
        if pending.due_on <= due.required_by:
            return  # already planned in time for the new category
        reason = (
            f"replaced: categorised {event.category.value} on {event.categorised_on.isoformat()}, "
            f"so the next review is due by {due.required_by.isoformat()}"
        )
        cancel = CancelProgressReview(
            urn=event.urn, review_id=pending.review_id, cancelled_on=event.categorised_on, reason=reason
        )
        for cancellation in decide(cancel, state):
            state = reviews.evolve(state, cancellation)
            decided.append(cancellation)
    schedule = ScheduleProgressReview(
        urn=event.urn, review_id=review_id_after(reaction.record), scheduled_on=event.categorised_on
    )
    decided.extend(decide(schedule, state))
    await _append(schools, reaction, reviews_stream(event.urn), current.version, decided)


async def schedule_next_review(schools: Schools, reaction: Reaction, event: ProgressReviewHeld) -> None:
    school = await schools.school(event.urn)
    current = await schools.reviews(event.urn)
    if not school.state.is_open or current.state.pending() is not None:
        return
    category = await schools.categorisation(event.urn)
    config = await schools.configuration()
    decided = reviews.decide(
        ScheduleProgressReview(
            urn=event.urn, review_id=review_id_after(reaction.record), scheduled_on=event.held_on
        ),
        current.state,
        school=school.state,
        categorisation=category.state,
        policy=config.state.review_policy(),
        terms=config.state.term_calendar(),
        today=reaction.today,
    )
    await _append(schools, reaction, reviews_stream(event.urn), current.version, decided)


async def _append(schools: Schools, reaction: Reaction, stream_id: str, version: int, events: list) -> None:
    if not events:
        return
    await schools.record(
        stream_id,
        events,
        expected_version=version,
        today=reaction.today,
        metadata=reaction.metadata(),
        idempotency_key=reaction.idempotency_key,
    )
