"""What follows on its own when a school is categorised, for a categorisation in the current
academic year and for a historic one being loaded (dated in a year that is over)."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from functools import reduce

from schools.domain import reviews, support
from schools.domain.categorisation import NOT_CATEGORISED, CouncilCategory, SchoolCategorised
from schools.domain.categorisation import evolve as evolve_categorisation
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.follow_up import NOTHING_FOLLOWS, follow_up
from schools.domain.register import NO_SCHOOL, SchoolRegistered
from schools.domain.register import evolve as evolve_school
from schools.domain.reviews import ProgressReviewScheduled, ReviewFrequency, ScheduleProgressReview
from schools.domain.support import DEFAULT_SUPPORT_POLICY, AllocateSupport, SupportAllocated, SupportPolicy
from schools.domain.terms import TermCalendar, typical_terms

from shared.events import Event

TODAY = date(2026, 11, 2)  # in 2026-27
TERMS = TermCalendar(terms=tuple(t for year in range(2011, 2027) for t in typical_terms(year)))
SCHOOL = evolve_school(
    NO_SCHOOL,
    SchoolRegistered(
        urn="118234",
        name="Oak Tree Primary School",
        la_code="886",
        establishment_type=EstablishmentType.COMMUNITY,
        phase=Phase.PRIMARY,
        status=SchoolStatus.OPEN,
        registered_on=date(1974, 9, 1),
    ),
)


def categorised(
    on: date, category: CouncilCategory = CouncilCategory.REQUIRES_IMPROVEMENT
) -> SchoolCategorised:
    return SchoolCategorised(
        urn="118234",
        proposal_id=f"P-{on.isoformat()}",
        category=category,
        reasons=["latest inspection and results"],
        proposed_by="sia.khan",
        proposed_on=on,
        approved_by="pa.morgan",
        categorised_on=on,
        review_cycle="recorded",
    )


def when_categorised(
    event: SchoolCategorised,
    *,
    given_support: tuple[Event, ...] = (),
    policy: SupportPolicy = DEFAULT_SUPPORT_POLICY,
    today: date = TODAY,
) -> list[Event]:
    """The events the reactions to ``event`` record, given the school's support stream so far
    (the review stream is empty): the rule in ``follow_up`` decided through each aggregate."""
    follow = follow_up(event, support_policy=policy, today=today)
    category = evolve_categorisation(NOT_CATEGORISED, event)
    then: list[Event] = []
    if follow.allocate_support is not None:
        record = reduce(support.evolve, given_support, support.NO_SUPPORT)
        then += support.decide(
            follow.allocate_support,
            record,
            school=SCHOOL,
            categorisation=category,
            policy=policy,
            today=today,
        )
    if follow.schedule_review:
        then += reviews.decide(
            ScheduleProgressReview(urn=event.urn, review_id="R1", scheduled_on=event.categorised_on),
            reviews.NO_REVIEWS,
            school=SCHOOL,
            categorisation=category,
            policy=reviews.DEFAULT_REVIEW_POLICY,
            terms=TERMS,
            today=today,
        )
    return then


def test_a_categorisation_in_the_current_academic_year_allocates_its_support_and_schedules_a_review() -> None:
    on = date(2026, 10, 1)

    then = when_categorised(categorised(on))

    assert follow_up(
        categorised(on), support_policy=DEFAULT_SUPPORT_POLICY, today=TODAY
    ).allocate_support == (AllocateSupport(urn="118234", academic_year=2026, allocated_on=on))
    assert then == [
        SupportAllocated(
            urn="118234",
            academic_year=2026,
            days=Decimal(12),
            category=CouncilCategory.REQUIRES_IMPROVEMENT,
            academy=False,
            offer_effective_from=date(2013, 9, 1),
            allocated_on=on,
        ),
        ProgressReviewScheduled(
            urn="118234",
            review_id="R1",
            frequency=ReviewFrequency.TERMLY,  # the end of term 1 comes before six weeks
            category=CouncilCategory.REQUIRES_IMPROVEMENT,
            due_on=date(2026, 10, 23),
            required_by=date(2026, 10, 23),
            scheduled_on=on,
        ),
    ]


def test_the_first_day_of_the_academic_year_is_in_the_current_year() -> None:
    on = date(2026, 9, 1)

    follow = follow_up(categorised(on), support_policy=DEFAULT_SUPPORT_POLICY, today=on)

    assert follow.allocate_support is not None and follow.allocate_support.academic_year == 2026
    assert follow.schedule_review


def test_a_categorisation_in_an_academic_year_that_is_over_sets_nothing_going() -> None:
    for on in (date(2016, 10, 21), date(2019, 10, 21), date(2026, 8, 31)):
        assert (
            follow_up(categorised(on), support_policy=DEFAULT_SUPPORT_POLICY, today=TODAY) == NOTHING_FOLLOWS
        )
        assert when_categorised(categorised(on)) == []


def test_a_categorisation_before_the_first_support_offer_is_not_refused_and_allocates_nothing() -> None:
    on = date(2012, 10, 15)  # the first offer is in force from September 2013

    assert when_categorised(categorised(on)) == []
    in_its_own_year = follow_up(
        categorised(on), support_policy=DEFAULT_SUPPORT_POLICY, today=date(2012, 11, 1)
    )
    assert in_its_own_year.allocate_support is None and in_its_own_year.schedule_review


def test_in_the_current_year_with_no_offer_yet_in_force_no_support_is_allocated() -> None:
    later_offer = SupportPolicy(
        offers=(dataclasses.replace(DEFAULT_SUPPORT_POLICY.offers[0], effective_from=date(2027, 9, 1)),)
    )
    on = date(2026, 10, 1)

    follow = follow_up(categorised(on), support_policy=later_offer, today=TODAY)

    assert follow.allocate_support is None and follow.schedule_review
    assert [type(e) for e in when_categorised(categorised(on), policy=later_offer)] == [
        ProgressReviewScheduled
    ]


def test_a_year_already_allocated_the_same_days_records_nothing_new() -> None:
    on = date(2026, 10, 1)
    already = SupportAllocated(
        urn="118234",
        academic_year=2026,
        days=Decimal(12),
        category=CouncilCategory.REQUIRES_IMPROVEMENT,
        academy=False,
        offer_effective_from=date(2013, 9, 1),
        allocated_on=date(2026, 9, 1),
    )

    then = when_categorised(categorised(on), given_support=(already,))

    assert [type(e) for e in then] == [ProgressReviewScheduled]
