"""Adviser days allocated from the category and visits against them (domain.md section 1; seed 003
section 7, "Allocations of Support for each Category of School" and "Academies")."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
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
from schools.domain.register import NO_SCHOOL, School, SchoolRegistered
from schools.domain.register import evolve as evolve_school
from schools.domain.support import (
    DEFAULT_SUPPORT_POLICY,
    NO_SUPPORT,
    AdviserVisitLogged,
    AllocateSupport,
    IncreaseSupport,
    LogAdviserVisit,
    SupportAllocated,
    SupportIncreased,
    SupportOffer,
    SupportPolicy,
    SupportRecord,
    decide,
    evolve,
)

from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Event

TODAY = date(2013, 11, 15)


def school(kind: EstablishmentType = EstablishmentType.COMMUNITY) -> School:
    return evolve_school(
        NO_SCHOOL,
        SchoolRegistered(
            urn="118234",
            name="Oak Tree Primary School",
            la_code="886",
            establishment_type=kind,
            phase=Phase.PRIMARY,
            status=SchoolStatus.OPEN,
            registered_on=date(2013, 1, 7),
        ),
    )


def categorised(category: CouncilCategory | None) -> Categorisation:
    if category is None:
        return NOT_CATEGORISED
    return evolve_categorisation(
        NOT_CATEGORISED,
        SchoolCategorised(
            urn="118234",
            proposal_id="P1",
            category=category,
            reasons=["latest inspection and 2013 results"],
            proposed_by="sia.khan",
            proposed_on=date(2013, 9, 20),
            approved_by="pa.morgan",
            categorised_on=date(2013, 9, 25),
            review_cycle="2013-14 term 1",
        ),
    )


def given(*events: Event) -> SupportRecord:
    return reduce(evolve, events, NO_SUPPORT)


def when(
    command: AllocateSupport | IncreaseSupport | LogAdviserVisit,
    record: SupportRecord = NO_SUPPORT,
    *,
    category: CouncilCategory | None = CouncilCategory.REQUIRES_IMPROVEMENT,
    kind: EstablishmentType = EstablishmentType.COMMUNITY,
    policy: SupportPolicy = DEFAULT_SUPPORT_POLICY,
) -> list[Event]:
    return decide(
        command,
        record,
        school=school(kind),
        categorisation=categorised(category),
        policy=policy,
        today=TODAY,
    )


def allocation(
    days: int, category: CouncilCategory = CouncilCategory.REQUIRES_IMPROVEMENT
) -> SupportAllocated:
    return SupportAllocated(
        urn="118234",
        academic_year=2013,
        days=Decimal(days),
        category=category,
        academy=False,
        offer_effective_from=date(2013, 9, 1),
        allocated_on=date(2013, 9, 26),
    )


def visit(visit_id: str, days: str, on: date = date(2013, 10, 10)) -> LogAdviserVisit:
    return LogAdviserVisit(
        urn="118234",
        visit_id=visit_id,
        visited_on=on,
        adviser="sia.khan",
        days=Decimal(days),
        purpose="joint lesson observation",
    )


ALLOCATE = AllocateSupport(urn="118234", academic_year=2013, allocated_on=date(2013, 9, 26))


@pytest.mark.parametrize(
    ("category", "days"),
    [
        (CouncilCategory.OFSTED_CATEGORY, 20),
        (CouncilCategory.AT_RISK, 20),
        (CouncilCategory.REQUIRES_IMPROVEMENT, 12),
        (CouncilCategory.GOOD, 3),
        (CouncilCategory.OUTSTANDING, 3),
    ],
)
def test_kents_offer_allocates_days_by_category(category: CouncilCategory, days: int) -> None:
    (event,) = when(ALLOCATE, category=category)

    assert event == SupportAllocated(
        urn="118234",
        academic_year=2013,
        days=Decimal(days),
        category=category,
        academy=False,
        offer_effective_from=date(2013, 9, 1),
        allocated_on=date(2013, 9, 26),
    )


def test_an_academy_is_offered_two_days_whatever_its_category() -> None:
    (event,) = when(ALLOCATE, category=None, kind=EstablishmentType.ACADEMY_SPONSOR_LED)

    assert event.days == Decimal(2)
    assert event.academy is True


def test_a_maintained_school_is_categorised_before_support_is_allocated() -> None:
    with pytest.raises(RuleViolation) as refused:
        when(ALLOCATE, category=None)

    assert refused.value.field == "category"


def test_another_councils_offer_is_configured_as_data_from_its_effective_date() -> None:
    later = SupportOffer(
        effective_from=date(2015, 9, 1),
        days_by_category={
            CouncilCategory.OFSTED_CATEGORY: Decimal(25),
            CouncilCategory.AT_RISK: Decimal(15),
            CouncilCategory.REQUIRES_IMPROVEMENT: Decimal(10),
            CouncilCategory.GOOD: Decimal(2),
            CouncilCategory.OUTSTANDING: Decimal(1),
        },
        academy_days=Decimal(0),
        source="revised offer",
    )
    policy = SupportPolicy(offers=(*DEFAULT_SUPPORT_POLICY.offers, later))

    this_year = when(ALLOCATE, category=CouncilCategory.AT_RISK, policy=policy)
    in_2015 = decide(
        AllocateSupport(urn="118234", academic_year=2015, allocated_on=date(2015, 9, 10)),
        NO_SUPPORT,
        school=school(),
        categorisation=categorised(CouncilCategory.AT_RISK),
        policy=policy,
        today=date(2015, 9, 10),
    )

    assert this_year[0].days == Decimal(20)
    assert in_2015[0].days == Decimal(15)
    assert in_2015[0].offer_effective_from == date(2015, 9, 1)


def test_a_year_before_any_offer_is_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        decide(
            AllocateSupport(urn="118234", academic_year=2012, allocated_on=date(2012, 9, 20)),
            NO_SUPPORT,
            school=school(),
            categorisation=categorised(CouncilCategory.GOOD),
            policy=DEFAULT_SUPPORT_POLICY,
            today=TODAY,
        )

    assert refused.value.field == "academic_year"


def test_support_is_allocated_for_this_year_or_the_next_only() -> None:
    with pytest.raises(InvalidInput) as refused:
        when(AllocateSupport(urn="118234", academic_year=2015, allocated_on=TODAY))

    assert refused.value.field == "academic_year"


def test_reallocating_after_recategorisation_records_the_previous_allocation() -> None:
    record = given(allocation(12))

    (event,) = when(
        AllocateSupport(urn="118234", academic_year=2013, allocated_on=TODAY),
        record,
        category=CouncilCategory.AT_RISK,
    )

    assert event.days == Decimal(20)
    assert event.previous_days == Decimal(12)
    assert given(allocation(12), event).year(2013).total == Decimal(20)


def test_reallocating_with_the_same_days_appends_nothing() -> None:
    assert when(ALLOCATE, given(allocation(12))) == []


def test_visits_are_logged_against_the_years_allocation() -> None:
    record = given(allocation(12))

    events = when(visit("V1", "1.5"), record)

    assert events == [
        AdviserVisitLogged(
            urn="118234",
            visit_id="V1",
            academic_year=2013,
            visited_on=date(2013, 10, 10),
            adviser="sia.khan",
            days=Decimal("1.5"),
            purpose="joint lesson observation",
        )
    ]
    year = given(allocation(12), *events).year(2013)
    assert (year.total, year.used, year.remaining) == (Decimal(12), Decimal("1.5"), Decimal("10.5"))


def test_a_visit_beyond_the_remaining_days_is_refused() -> None:
    record = given(allocation(3, CouncilCategory.GOOD), *when(visit("V1", "2.5"), given(allocation(3))))

    with pytest.raises(RuleViolation) as refused:
        when(visit("V2", "1"), record)

    assert refused.value.field == "days"


def test_an_increase_for_a_due_inspection_makes_room_for_more_visits() -> None:
    good_school = given(allocation(3, CouncilCategory.GOOD))
    (increase,) = when(
        IncreaseSupport(
            urn="118234",
            academic_year=2013,
            extra_days=Decimal(2),
            reason="inspection due this year",
            increased_by="pa.morgan",
            increased_on=date(2013, 10, 1),
        ),
        good_school,
    )
    record = given(allocation(3, CouncilCategory.GOOD), increase)

    events = when(visit("V1", "5"), record)

    assert increase == SupportIncreased(
        urn="118234",
        academic_year=2013,
        extra_days=Decimal(2),
        reason="inspection due this year",
        increased_by="pa.morgan",
        increased_on=date(2013, 10, 1),
    )
    assert given(allocation(3), increase, *events).year(2013).remaining == Decimal(0)


def test_an_increase_needs_a_reason_and_an_allocation() -> None:
    increase = IncreaseSupport(
        urn="118234",
        academic_year=2013,
        extra_days=Decimal(1),
        reason=" ",
        increased_by="pa.morgan",
        increased_on=TODAY,
    )

    with pytest.raises(InvalidInput) as no_reason:
        when(increase, given(allocation(3)))
    with pytest.raises(RuleViolation) as no_allocation:
        when(increase.model_copy(update={"reason": "concerns"}))

    assert no_reason.value.field == "reason"
    assert no_allocation.value.field == "academic_year"


@pytest.mark.parametrize("days", ["0", "-1", "0.25", "1.3"])
def test_visit_days_are_positive_half_days(days: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        when(visit("V1", days), given(allocation(12)))

    assert refused.value.field == "days"


def test_a_visit_in_a_year_with_no_allocation_is_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        when(visit("V1", "1", on=date(2013, 7, 1)), given(allocation(12)))

    assert refused.value.field == "visited_on"


def test_a_visit_is_logged_once() -> None:
    record = given(allocation(12), *when(visit("V1", "1"), given(allocation(12))))

    with pytest.raises(Conflict) as refused:
        when(visit("V1", "1"), record)

    assert refused.value.field == "visit_id"


def test_a_visit_cannot_be_logged_before_it_happens() -> None:
    with pytest.raises(InvalidInput) as refused:
        when(visit("V1", "1", on=date(2013, 12, 2)), given(allocation(12)))

    assert refused.value.field == "visited_on"


def test_support_for_an_unregistered_school_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        decide(
            ALLOCATE,
            NO_SUPPORT,
            school=NO_SCHOOL,
            categorisation=NOT_CATEGORISED,
            policy=DEFAULT_SUPPORT_POLICY,
            today=TODAY,
        )

    assert refused.value.field == "urn"
