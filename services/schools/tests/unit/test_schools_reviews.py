"""Progress reviews: six-weekly for schools requiring improvement or in an Ofsted category, termly
for all; outcomes recorded; overdue ones listed (domain.md section 1; seed 003 section 7)."""

from __future__ import annotations

from datetime import date, timedelta
from functools import reduce

import pytest
from schools.domain.categorisation import (
    NOT_CATEGORISED,
    Categorisation,
    CouncilCategory,
    SchoolCategorised,
)
from schools.domain.categorisation import evolve as evolve_categorisation
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.register import NO_SCHOOL, SchoolClosed, SchoolRegistered
from schools.domain.register import evolve as evolve_school
from schools.domain.reviews import (
    DEFAULT_REVIEW_POLICY,
    NO_REVIEWS,
    CancelProgressReview,
    ProgressReviewCancelled,
    ProgressReviewHeld,
    ProgressReviewScheduled,
    RecordProgressReviewOutcome,
    ReviewFrequency,
    ReviewOutcome,
    ReviewPolicy,
    ReviewRecord,
    ReviewRule,
    ScheduleProgressReview,
    decide,
    evolve,
    next_review_due,
    overdue_reviews,
)
from schools.domain.terms import Term, TermCalendar

from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Event

TODAY = date(2013, 11, 15)

TERMS = TermCalendar(
    terms=(
        Term("2013-14 autumn", date(2013, 9, 3), date(2013, 12, 20)),
        Term("2013-14 spring", date(2014, 1, 6), date(2014, 4, 4)),
        Term("2013-14 summer", date(2014, 4, 22), date(2014, 7, 23)),
    )
)

SCHOOL = evolve_school(
    NO_SCHOOL,
    SchoolRegistered(
        urn="118234",
        name="Oak Tree Primary School",
        la_code="886",
        establishment_type=EstablishmentType.COMMUNITY,
        phase=Phase.PRIMARY,
        status=SchoolStatus.OPEN,
        registered_on=date(2013, 1, 7),
    ),
)


def categorised(category: CouncilCategory, on: date = date(2013, 10, 1)) -> Categorisation:
    return evolve_categorisation(
        NOT_CATEGORISED,
        SchoolCategorised(
            urn="118234",
            proposal_id="P1",
            category=category,
            reasons=["latest inspection"],
            proposed_by="sia.khan",
            proposed_on=on,
            approved_by="pa.morgan",
            categorised_on=on,
            review_cycle="2013-14 autumn",
        ),
    )


def given(*events: Event) -> ReviewRecord:
    return reduce(evolve, events, NO_REVIEWS)


def when(
    command: ScheduleProgressReview | RecordProgressReviewOutcome | CancelProgressReview,
    record: ReviewRecord = NO_REVIEWS,
    categorisation: Categorisation = NOT_CATEGORISED,
    policy: ReviewPolicy = DEFAULT_REVIEW_POLICY,
    school: object = SCHOOL,
) -> list[Event]:
    return decide(
        command,
        record,
        school=school,  # type: ignore[arg-type]
        categorisation=categorisation,
        policy=policy,
        terms=TERMS,
        today=TODAY,
    )


def schedule(review_id: str = "R1", **overrides: object) -> ScheduleProgressReview:
    values: dict[str, object] = {
        "urn": "118234",
        "review_id": review_id,
        "scheduled_on": date(2013, 10, 2),
    }
    values.update(overrides)
    return ScheduleProgressReview(**values)


def scheduled(due_on: date, review_id: str = "R1", on: date = date(2013, 10, 2)) -> ProgressReviewScheduled:
    return ProgressReviewScheduled(
        urn="118234",
        review_id=review_id,
        frequency=ReviewFrequency.SIX_WEEKLY,
        category=CouncilCategory.REQUIRES_IMPROVEMENT,
        due_on=due_on,
        required_by=due_on,
        scheduled_on=on,
    )


def held(review_id: str, on: date, due_on: date) -> ProgressReviewHeld:
    return ProgressReviewHeld(
        urn="118234",
        review_id=review_id,
        held_on=on,
        due_on=due_on,
        outcome=ReviewOutcome.REASONABLE_PROGRESS,
        summary="Action plan on track for reading; maths still behind",
        recorded_by="sia.khan",
    )


def test_a_school_requiring_improvement_is_reviewed_six_weeks_after_it_was_categorised() -> None:
    events = when(schedule(), categorisation=categorised(CouncilCategory.REQUIRES_IMPROVEMENT))

    assert events == [
        ProgressReviewScheduled(
            urn="118234",
            review_id="R1",
            frequency=ReviewFrequency.SIX_WEEKLY,
            category=CouncilCategory.REQUIRES_IMPROVEMENT,
            due_on=date(2013, 11, 12),
            required_by=date(2013, 11, 12),
            scheduled_on=date(2013, 10, 2),
        )
    ]


def test_a_school_in_an_ofsted_category_is_reviewed_six_weeks_after_its_last_review() -> None:
    record = given(scheduled(date(2013, 10, 20)), held("R1", date(2013, 10, 18), date(2013, 10, 20)))

    (event,) = when(
        schedule("R2", scheduled_on=date(2013, 10, 18)),
        record,
        categorised(CouncilCategory.OFSTED_CATEGORY),
    )

    assert event.frequency == ReviewFrequency.SIX_WEEKLY
    assert event.required_by == date(2013, 10, 18) + timedelta(weeks=6)


def test_a_good_school_is_reviewed_by_the_end_of_the_term() -> None:
    (event,) = when(schedule(), categorisation=categorised(CouncilCategory.GOOD))

    assert event.frequency == ReviewFrequency.TERMLY
    assert event.due_on == date(2013, 12, 20)


def test_after_a_termly_review_the_next_is_due_by_the_end_of_the_next_term() -> None:
    record = given(scheduled(date(2013, 12, 20)), held("R1", date(2013, 11, 4), date(2013, 12, 20)))

    due = next_review_due(
        record,
        categorisation=categorised(CouncilCategory.OUTSTANDING),
        policy=DEFAULT_REVIEW_POLICY,
        terms=TERMS,
        as_of=date(2013, 11, 5),
    )

    assert (due.frequency, due.required_by) == (ReviewFrequency.TERMLY, date(2014, 4, 4))


def test_the_termly_deadline_governs_when_it_comes_before_six_weeks() -> None:
    ri_late_in_term = categorised(CouncilCategory.REQUIRES_IMPROVEMENT, on=date(2013, 12, 2))

    due = next_review_due(
        NO_REVIEWS,
        categorisation=ri_late_in_term,
        policy=DEFAULT_REVIEW_POLICY,
        terms=TERMS,
        as_of=date(2013, 12, 2),
    )

    assert (due.frequency, due.required_by) == (ReviewFrequency.TERMLY, date(2013, 12, 20))


def test_which_categories_are_reviewed_six_weekly_is_policy() -> None:
    at_risk_too = ReviewPolicy(
        rules=(
            ReviewRule(
                effective_from=date(2013, 9, 1),
                frequent_categories=frozenset(
                    {
                        CouncilCategory.REQUIRES_IMPROVEMENT,
                        CouncilCategory.OFSTED_CATEGORY,
                        CouncilCategory.AT_RISK,
                    }
                ),
                frequent_interval=timedelta(weeks=4),
                source="a council that watches schools at risk closely",
            ),
        )
    )
    at_risk = categorised(CouncilCategory.AT_RISK)

    (default,) = when(schedule(), categorisation=at_risk)
    (configured,) = when(schedule(), categorisation=at_risk, policy=at_risk_too)

    assert default.frequency == ReviewFrequency.TERMLY
    assert configured.required_by == date(2013, 10, 29)


def test_a_review_may_be_planned_earlier_but_not_later_than_required() -> None:
    ri = categorised(CouncilCategory.REQUIRES_IMPROVEMENT)

    (early,) = when(schedule(planned_for=date(2013, 11, 1)), categorisation=ri)
    with pytest.raises(RuleViolation) as refused:
        when(schedule(planned_for=date(2013, 11, 20)), categorisation=ri)

    assert early.due_on == date(2013, 11, 1)
    assert early.required_by == date(2013, 11, 12)
    assert refused.value.field == "planned_for"


def test_one_review_is_pending_at_a_time() -> None:
    with pytest.raises(Conflict) as refused:
        when(schedule("R2"), given(scheduled(date(2013, 11, 12))))

    assert refused.value.field == "review_id"


def test_recording_the_outcome_of_a_review() -> None:
    record = given(scheduled(date(2013, 11, 12)))

    events = when(
        RecordProgressReviewOutcome(
            urn="118234",
            review_id="R1",
            held_on=date(2013, 11, 11),
            outcome=ReviewOutcome.INSUFFICIENT_PROGRESS,
            summary="Governors not holding leaders to account",
            actions=["scoping meeting with head and chair", "governance review"],
            recorded_by="sia.khan",
        ),
        record,
    )

    assert events == [
        ProgressReviewHeld(
            urn="118234",
            review_id="R1",
            held_on=date(2013, 11, 11),
            due_on=date(2013, 11, 12),
            outcome=ReviewOutcome.INSUFFICIENT_PROGRESS,
            summary="Governors not holding leaders to account",
            actions=["scoping meeting with head and chair", "governance review"],
            recorded_by="sia.khan",
        )
    ]


def test_an_outcome_needs_a_summary_and_a_date_not_in_the_future() -> None:
    record = given(scheduled(date(2013, 11, 12)))
    outcome = RecordProgressReviewOutcome(
        urn="118234",
        review_id="R1",
        held_on=date(2013, 11, 11),
        outcome=ReviewOutcome.GOOD_PROGRESS,
        summary="",
        recorded_by="sia.khan",
    )

    with pytest.raises(InvalidInput) as no_summary:
        when(outcome, record)
    with pytest.raises(InvalidInput) as future:
        when(outcome.model_copy(update={"summary": "ok", "held_on": date(2013, 11, 18)}), record)

    assert no_summary.value.field == "summary"
    assert future.value.field == "held_on"


def test_a_review_is_held_once() -> None:
    record = given(scheduled(date(2013, 11, 12)), held("R1", date(2013, 11, 11), date(2013, 11, 12)))

    with pytest.raises(Conflict) as refused:
        when(
            RecordProgressReviewOutcome(
                urn="118234",
                review_id="R1",
                held_on=date(2013, 11, 12),
                outcome=ReviewOutcome.GOOD_PROGRESS,
                summary="again",
                recorded_by="sia.khan",
            ),
            record,
        )

    assert refused.value.field == "review_id"


def test_the_outcome_of_an_unknown_review_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        when(
            RecordProgressReviewOutcome(
                urn="118234",
                review_id="R9",
                held_on=date(2013, 11, 11),
                outcome=ReviewOutcome.GOOD_PROGRESS,
                summary="ok",
                recorded_by="sia.khan",
            )
        )

    assert refused.value.field == "review_id"


def test_a_scheduled_review_not_held_by_its_due_date_is_overdue() -> None:
    record = given(scheduled(date(2013, 11, 12)))

    assert [r.review_id for r in overdue_reviews(record, TODAY)] == ["R1"]
    assert overdue_reviews(record, date(2013, 11, 12)) == []


def test_held_and_cancelled_reviews_are_not_overdue() -> None:
    cancelled = ProgressReviewCancelled(
        urn="118234", review_id="R2", cancelled_on=date(2013, 11, 1), reason="school now good"
    )
    record = given(
        scheduled(date(2013, 10, 10)),
        held("R1", date(2013, 10, 9), date(2013, 10, 10)),
        scheduled(date(2013, 11, 12), review_id="R2", on=date(2013, 10, 9)),
        cancelled,
    )

    assert overdue_reviews(record, TODAY) == []


def test_cancelling_a_review_needs_a_reason() -> None:
    record = given(scheduled(date(2013, 11, 12)))

    with pytest.raises(InvalidInput) as refused:
        when(
            CancelProgressReview(urn="118234", review_id="R1", cancelled_on=TODAY, reason="  "),
            record,
        )
    events = when(
        CancelProgressReview(urn="118234", review_id="R1", cancelled_on=TODAY, reason="recategorised good"),
        record,
    )

    assert refused.value.field == "reason"
    assert events == [
        ProgressReviewCancelled(urn="118234", review_id="R1", cancelled_on=TODAY, reason="recategorised good")
    ]


def test_a_closed_school_is_not_reviewed() -> None:
    closed = evolve_school(
        SCHOOL,
        SchoolClosed(urn="118234", previous_status=SchoolStatus.OPEN, closed_on=date(2013, 8, 31)),
    )

    with pytest.raises(RuleViolation) as refused:
        when(schedule(), school=closed)

    assert refused.value.field == "urn"
