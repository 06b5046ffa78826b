"""The council's categorisation of schools: proposed by an adviser with reasons, approved by a
principal adviser, renewed each review cycle (domain.md section 1; seed 003 section 7)."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from schools.domain.categorisation import (
    NOT_CATEGORISED,
    ApproveCategory,
    Categorisation,
    CategoryProposalRejected,
    CategoryProposed,
    CouncilCategory,
    ProposeCategory,
    RejectCategoryProposal,
    SchoolCategorised,
    decide,
    due_for_recategorisation,
    evolve,
)
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.frameworks import CategoryOfConcern, Framework, InspectionType
from schools.domain.inspections import NO_INSPECTIONS, InspectionHistory, InspectionRecorded
from schools.domain.inspections import evolve as evolve_inspections
from schools.domain.register import NO_SCHOOL, SchoolClosed, SchoolRegistered
from schools.domain.register import evolve as evolve_school
from schools.domain.terms import Term, TermCalendar

from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Event

TODAY = date(2013, 11, 15)

KENT_2013_14 = TermCalendar(
    terms=(
        Term("2013-14 term 1", date(2013, 9, 3), date(2013, 10, 25)),
        Term("2013-14 term 2", date(2013, 11, 4), date(2013, 12, 20)),
        Term("2013-14 term 3", date(2014, 1, 6), date(2014, 2, 14)),
        Term("2013-14 term 4", date(2014, 2, 24), date(2014, 4, 4)),
        Term("2013-14 term 5", date(2014, 4, 22), date(2014, 5, 23)),
        Term("2013-14 term 6", date(2014, 6, 2), date(2014, 7, 23)),
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


def in_special_measures() -> InspectionHistory:
    return evolve_inspections(
        NO_INSPECTIONS,
        InspectionRecorded(
            urn="118234",
            inspection_id="412345",
            inspected_on=date(2013, 10, 2),
            inspection_type=InspectionType.GRADED,
            framework=Framework.SEPTEMBER_2012,
            overall_effectiveness="inadequate",
            category_of_concern=CategoryOfConcern.SPECIAL_MEASURES,
            headline_judgement="inadequate",
            below_good=True,
        ),
    )


def given(*events: Event) -> Categorisation:
    return reduce(evolve, events, NOT_CATEGORISED)


def when(
    command: ProposeCategory | ApproveCategory | RejectCategoryProposal,
    state: Categorisation,
    inspections: InspectionHistory = NO_INSPECTIONS,
    school: object = SCHOOL,
) -> list[Event]:
    return decide(
        command,
        state,
        school=school,  # type: ignore[arg-type]
        inspections=inspections,
        terms=KENT_2013_14,
        today=TODAY,
    )


def propose(**overrides: object) -> ProposeCategory:
    values: dict[str, object] = {
        "urn": "118234",
        "proposal_id": "P1",
        "category": CouncilCategory.AT_RISK,
        "reasons": ["KS2 results down three years running", "below floor in 2013"],
        "proposed_by": "sia.khan",
        "proposed_on": date(2013, 11, 6),
    }
    values.update(overrides)
    return ProposeCategory(**values)


def proposed(**overrides: object) -> CategoryProposed:
    (event,) = when(propose(**overrides), NOT_CATEGORISED)
    assert isinstance(event, CategoryProposed)
    return event


def test_an_adviser_proposes_a_category_with_reasons_for_this_review_cycle() -> None:
    events = when(propose(), NOT_CATEGORISED)

    assert events == [
        CategoryProposed(
            urn="118234",
            proposal_id="P1",
            category=CouncilCategory.AT_RISK,
            reasons=["KS2 results down three years running", "below floor in 2013"],
            proposed_by="sia.khan",
            proposed_on=date(2013, 11, 6),
            review_cycle="2013-14 term 2",
        )
    ]


def test_a_category_without_reasons_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        when(propose(reasons=[]), NOT_CATEGORISED)

    assert refused.value.field == "reasons"


def test_a_blank_reason_is_refused_by_its_position() -> None:
    with pytest.raises(InvalidInput) as refused:
        when(propose(reasons=["falling attendance", "  "]), NOT_CATEGORISED)

    assert refused.value.field == "reasons.1"


def test_a_principal_adviser_approves_and_the_school_is_categorised() -> None:
    state = given(proposed())

    events = when(
        ApproveCategory(
            urn="118234", proposal_id="P1", approved_by="pa.morgan", approved_on=date(2013, 11, 8)
        ),
        state,
    )

    assert events == [
        SchoolCategorised(
            urn="118234",
            proposal_id="P1",
            category=CouncilCategory.AT_RISK,
            previous_category=None,
            reasons=["KS2 results down three years running", "below floor in 2013"],
            proposed_by="sia.khan",
            proposed_on=date(2013, 11, 6),
            approved_by="pa.morgan",
            categorised_on=date(2013, 11, 8),
            review_cycle="2013-14 term 2",
        )
    ]
    assert given(proposed(), *events).category == CouncilCategory.AT_RISK


def test_the_adviser_who_proposed_cannot_approve_their_own_proposal() -> None:
    state = given(proposed())

    with pytest.raises(RuleViolation) as refused:
        when(
            ApproveCategory(urn="118234", proposal_id="P1", approved_by="sia.khan", approved_on=TODAY),
            state,
        )

    assert refused.value.field == "approved_by"


def test_approving_a_proposal_that_is_not_pending_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        when(
            ApproveCategory(urn="118234", proposal_id="P9", approved_by="pa.morgan", approved_on=TODAY),
            given(proposed()),
        )

    assert refused.value.field == "proposal_id"


def test_only_one_proposal_awaits_approval_at_a_time() -> None:
    with pytest.raises(Conflict) as refused:
        when(propose(proposal_id="P2"), given(proposed()))

    assert refused.value.field == "proposal_id"


def test_a_rejected_proposal_leaves_the_category_as_it_was_and_frees_the_school() -> None:
    state = given(proposed())

    events = when(
        RejectCategoryProposal(
            urn="118234",
            proposal_id="P1",
            rejected_by="pa.morgan",
            rejected_on=date(2013, 11, 8),
            reason="2013 results are provisional; revisit after validation",
        ),
        state,
    )

    assert events == [
        CategoryProposalRejected(
            urn="118234",
            proposal_id="P1",
            rejected_by="pa.morgan",
            rejected_on=date(2013, 11, 8),
            reason="2013 results are provisional; revisit after validation",
        )
    ]
    after = given(proposed(), *events)
    assert after.category is None
    assert when(propose(proposal_id="P2"), after)[0].proposal_id == "P2"


def test_a_rejection_needs_a_reason() -> None:
    with pytest.raises(InvalidInput) as refused:
        when(
            RejectCategoryProposal(
                urn="118234",
                proposal_id="P1",
                rejected_by="pa.morgan",
                rejected_on=TODAY,
                reason="",
            ),
            given(proposed()),
        )

    assert refused.value.field == "reason"


def test_a_school_in_special_measures_is_categorised_as_in_an_ofsted_category() -> None:
    with pytest.raises(RuleViolation) as refused:
        when(
            propose(category=CouncilCategory.REQUIRES_IMPROVEMENT),
            NOT_CATEGORISED,
            in_special_measures(),
        )
    events = when(propose(category=CouncilCategory.OFSTED_CATEGORY), NOT_CATEGORISED, in_special_measures())

    assert refused.value.field == "category"
    assert events[0].category == CouncilCategory.OFSTED_CATEGORY


def test_a_school_ofsted_has_not_placed_in_a_category_is_not_categorised_as_one() -> None:
    with pytest.raises(RuleViolation) as refused:
        when(propose(category=CouncilCategory.OFSTED_CATEGORY), NOT_CATEGORISED)

    assert refused.value.field == "category"


def test_an_inspection_arriving_before_approval_is_checked_again() -> None:
    state = given(proposed(category=CouncilCategory.REQUIRES_IMPROVEMENT))

    with pytest.raises(RuleViolation) as refused:
        when(
            ApproveCategory(urn="118234", proposal_id="P1", approved_by="pa.morgan", approved_on=TODAY),
            state,
            in_special_measures(),
        )

    assert refused.value.field == "category"


def test_recategorisation_in_a_later_cycle_records_the_previous_category() -> None:
    first = proposed(category=CouncilCategory.REQUIRES_IMPROVEMENT, proposed_on=date(2013, 9, 20))
    approved = SchoolCategorised(
        urn="118234",
        proposal_id="P1",
        category=CouncilCategory.REQUIRES_IMPROVEMENT,
        reasons=["judged RI October 2012"],
        proposed_by="sia.khan",
        proposed_on=date(2013, 9, 20),
        approved_by="pa.morgan",
        categorised_on=date(2013, 9, 25),
        review_cycle=first.review_cycle,
    )
    state = given(first, approved)
    again = given(first, approved, proposed(proposal_id="P2"))

    (event,) = when(
        ApproveCategory(urn="118234", proposal_id="P2", approved_by="pa.morgan", approved_on=TODAY),
        again,
    )

    assert first.review_cycle == "2013-14 term 1"
    assert due_for_recategorisation(state, KENT_2013_14, TODAY) is True
    assert event.previous_category == CouncilCategory.REQUIRES_IMPROVEMENT
    assert event.review_cycle == "2013-14 term 2"
    assert due_for_recategorisation(evolve(again, event), KENT_2013_14, TODAY) is False


def test_a_school_never_categorised_is_due_for_categorisation() -> None:
    assert due_for_recategorisation(NOT_CATEGORISED, KENT_2013_14, TODAY) is True


def test_a_proposal_made_in_a_holiday_belongs_to_the_next_term() -> None:
    event = proposed(proposed_on=date(2013, 10, 30))

    assert event.review_cycle == "2013-14 term 2"


def test_a_date_beyond_the_councils_term_calendar_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(
            propose(proposed_on=date(2014, 8, 1)),
            NOT_CATEGORISED,
            school=SCHOOL,
            inspections=NO_INSPECTIONS,
            terms=KENT_2013_14,
            today=date(2014, 8, 1),
        )

    assert refused.value.field == "proposed_on"


def test_a_closed_school_is_not_categorised() -> None:
    closed = evolve_school(
        SCHOOL,
        SchoolClosed(urn="118234", previous_status=SchoolStatus.OPEN, closed_on=date(2013, 8, 31)),
    )

    with pytest.raises(RuleViolation) as refused:
        when(propose(), NOT_CATEGORISED, school=closed)

    assert refused.value.field == "urn"


def test_a_proposal_cannot_be_dated_in_the_future() -> None:
    with pytest.raises(InvalidInput) as refused:
        when(propose(proposed_on=date(2013, 11, 20)), NOT_CATEGORISED)

    assert refused.value.field == "proposed_on"


def test_categorising_an_unregistered_school_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        when(propose(), NOT_CATEGORISED, school=NO_SCHOOL)

    assert refused.value.field == "urn"


# ---------------------------------------------------------------------------------------------
# Dated categorisation: a historic category loaded with the dates it was proposed and approved
# ---------------------------------------------------------------------------------------------

OPENED_2010 = evolve_school(
    NO_SCHOOL,
    SchoolRegistered(
        urn="118234",
        name="Oak Tree Primary School",
        la_code="886",
        establishment_type=EstablishmentType.COMMUNITY,
        phase=Phase.PRIMARY,
        status=SchoolStatus.OPEN,
        opened_on=date(2010, 9, 1),
        registered_on=date(2013, 1, 7),
    ),
)


def test_an_approval_dated_before_its_proposal_is_refused() -> None:
    state = given(proposed(proposed_on=date(2013, 11, 6)))

    with pytest.raises(InvalidInput) as refused:
        when(
            ApproveCategory(
                urn="118234", proposal_id="P1", approved_by="pa.morgan", approved_on=date(2013, 11, 5)
            ),
            state,
        )

    assert refused.value.field == "approved_on"


def test_an_approval_cannot_be_dated_in_the_future() -> None:
    state = given(proposed())

    with pytest.raises(InvalidInput) as refused:
        when(
            ApproveCategory(
                urn="118234", proposal_id="P1", approved_by="pa.morgan", approved_on=date(2013, 11, 16)
            ),
            state,
        )

    assert refused.value.field == "approved_on"


def test_a_proposal_dated_before_the_school_opened_is_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        when(propose(proposed_on=date(2010, 8, 31)), NOT_CATEGORISED, school=OPENED_2010)

    assert refused.value.field == "proposed_on"


def test_a_proposal_dated_before_the_current_category_was_approved_is_refused() -> None:
    first = proposed(proposed_on=date(2013, 11, 6))
    approved = when(
        ApproveCategory(urn="118234", proposal_id="P1", approved_by="pa.morgan", approved_on=date(2013, 11, 8)),
        given(first),
    )

    with pytest.raises(InvalidInput) as refused:
        when(propose(proposal_id="P2", proposed_on=date(2013, 11, 7)), given(first, *approved))

    assert refused.value.field == "proposed_on"


def test_a_historic_category_follows_ofsteds_judgement_as_it_was_then() -> None:
    # In special measures from 2 October 2013; in September the school was not in a category.
    events = when(
        propose(category=CouncilCategory.REQUIRES_IMPROVEMENT, proposed_on=date(2013, 9, 20)),
        NOT_CATEGORISED,
        in_special_measures(),
    )
    approved = when(
        ApproveCategory(urn="118234", proposal_id="P1", approved_by="pa.morgan", approved_on=date(2013, 9, 25)),
        given(*events),
        in_special_measures(),
    )

    assert [e.effective_on() for e in (*events, *approved)] == [date(2013, 9, 20), date(2013, 9, 25)]
    with pytest.raises(RuleViolation) as refused:
        when(
            propose(category=CouncilCategory.REQUIRES_IMPROVEMENT, proposal_id="P2"),
            given(*events, *approved),
            in_special_measures(),
        )
    assert refused.value.field == "category"


def test_the_category_as_of_a_date_is_the_one_approved_by_then() -> None:
    """The event log answers "as of" a date by folding the events effective by then."""
    history = [proposed(proposed_on=date(2013, 9, 20))]
    history += when(
        ApproveCategory(urn="118234", proposal_id="P1", approved_by="pa.morgan", approved_on=date(2013, 9, 25)),
        given(*history),
    )

    def as_of(day: date) -> Categorisation:
        return given(*(e for e in history if e.effective_on() <= day))

    assert as_of(date(2013, 9, 19)) == NOT_CATEGORISED
    assert as_of(date(2013, 9, 24)).category is None
    assert as_of(date(2013, 9, 24)).pending is not None
    assert as_of(date(2013, 9, 25)).category == CouncilCategory.AT_RISK
    assert as_of(date(2013, 9, 25)).current.categorised_on == date(2013, 9, 25)  # type: ignore[union-attr]
