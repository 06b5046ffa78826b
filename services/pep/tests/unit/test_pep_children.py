"""A looked-after child's care episodes and school places (domain.md section 2; seed 002)."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

import pytest

from pep.domain.child_events import (
    ChildAwaitingSchoolPlace,
    ChildDetailsUpdated,
    ChildEnteredCare,
    ChildLeftCare,
    ChildMovedSchool,
    ChildPlacedAtSchool,
    DesignatedTeacherNotified,
    HeadteacherNotified,
    LeftCareReason,
    LegalStatus,
    NotificationReason,
    PreviouslyLookedAfterChildRegistered,
    PreviouslyLookedAfterRoute,
    SenStatus,
    YearGroup,
)
from pep.domain.children import (
    NO_CHILD,
    CareStatus,
    ChildCommand,
    ChildState,
    EnterCare,
    MoveChildToSchool,
    PlaceChildAtSchool,
    RecordAwaitingSchoolPlace,
    RecordChildLeftCare,
    RegisterPreviouslyLookedAfterChild,
    UpdateChildDetails,
    children_on_roll,
    decide,
    fold,
    school_days_lost_awaiting_place,
)
from pep.domain.terms import SchoolCalendar
from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Event

TODAY = date(2022, 9, 20)
E = TypeVar("E", bound=Event)


def entered_care(child_id: str = "C1", on: date = date(2022, 9, 12)) -> ChildEnteredCare:
    return ChildEnteredCare(
        child_id=child_id,
        name="Alex Smith",
        date_of_birth=date(2012, 5, 1),
        entered_care_on=on,
        legal_status=LegalStatus.INTERIM_CARE_ORDER,
        placing_authority="Medway",
        social_worker="Sam Jones",
        carer="Pat Brown",
        independent_reviewing_officer="Jo Green",
        sen_status=SenStatus.SEN_SUPPORT,
        year_group=YearGroup.YEAR_5,
    )


def placed(
    urn: str = "118001", on: date = date(2021, 9, 2), child_id: str = "C1", **extra: object
) -> ChildPlacedAtSchool:
    fields: dict[str, object] = {
        "child_id": child_id,
        "urn": urn,
        "start_date": on,
        "year_group": YearGroup.YEAR_5,
        "looked_after": True,
    }
    return ChildPlacedAtSchool.model_validate({**fields, **extra})


def given(*events: Event) -> ChildState:
    return fold(list(events))


def when(command: ChildCommand, state: ChildState, term_dates: SchoolCalendar) -> list[Event]:
    return decide(command, state, calendar=term_dates, today=TODAY)


def one(events: list[Event], kind: type[E]) -> E:
    """The single event of a kind among those decided."""
    found = [event for event in events if isinstance(event, kind)]
    assert len(found) == 1, events
    return found[0]


def enter_care_command(**overrides: object) -> EnterCare:
    fields = entered_care().model_dump()
    fields.update(overrides)
    return EnterCare(**fields)


def test_a_child_enters_care_with_the_details_the_virtual_school_keeps(term_dates: SchoolCalendar) -> None:
    assert when(enter_care_command(), NO_CHILD, term_dates) == [entered_care()]
    state = given(entered_care())
    assert state.status is CareStatus.LOOKED_AFTER
    assert state.social_worker == "Sam Jones" and state.independent_reviewing_officer == "Jo Green"
    assert state.looked_after_on(date(2022, 9, 12)) and not state.looked_after_on(date(2022, 9, 11))


def test_a_child_already_looked_after_cannot_enter_care_again(term_dates: SchoolCalendar) -> None:
    with pytest.raises(Conflict) as error:
        when(enter_care_command(), given(entered_care()), term_dates)
    assert error.value.field == "child_id"


def test_entering_care_without_a_social_worker_is_refused_naming_the_field(
    term_dates: SchoolCalendar,
) -> None:
    with pytest.raises(InvalidInput) as error:
        when(enter_care_command(social_worker="  "), NO_CHILD, term_dates)
    assert error.value.field == "social_worker"


def test_placing_a_looked_after_child_notifies_the_headteacher_and_the_designated_teacher(
    term_dates: SchoolCalendar,
) -> None:
    """Seed 002 / DfE 2018: head teachers and designated teachers are informed if they have a child
    on roll who is looked after."""
    events = when(
        PlaceChildAtSchool(child_id="C1", urn="118001", start_date=date(2022, 9, 14)),
        given(entered_care()),
        term_dates,
    )
    assert events == [
        placed(on=date(2022, 9, 14), previous_urn=None),
        HeadteacherNotified(
            child_id="C1", urn="118001", notified_on=TODAY, reason=NotificationReason.PLACED_AT_SCHOOL
        ),
        DesignatedTeacherNotified(
            child_id="C1", urn="118001", notified_on=TODAY, reason=NotificationReason.PLACED_AT_SCHOOL
        ),
    ]


def test_placing_a_previously_looked_after_child_tells_no_one(term_dates: SchoolCalendar) -> None:
    registered = PreviouslyLookedAfterChildRegistered(
        child_id="P1",
        name="Robin Lee",
        date_of_birth=date(2014, 2, 2),
        left_care_on=date(2019, 6, 1),
        route=PreviouslyLookedAfterRoute.ADOPTED,
        previously_looked_after_by="Kent",
        sen_status=SenStatus.NONE,
        year_group=YearGroup.YEAR_3,
        registered_on=date(2022, 9, 1),
    )
    events = when(
        PlaceChildAtSchool(child_id="P1", urn="118001", start_date=date(2022, 9, 5)),
        given(registered),
        term_dates,
    )
    assert [type(e) for e in events] == [ChildPlacedAtSchool]
    assert one(events, ChildPlacedAtSchool).looked_after is False


def test_registering_a_previously_looked_after_child_starts_their_record(term_dates: SchoolCalendar) -> None:
    command = RegisterPreviouslyLookedAfterChild(
        child_id="P1",
        name="Robin Lee",
        date_of_birth=date(2014, 2, 2),
        left_care_on=date(2019, 6, 1),
        route=PreviouslyLookedAfterRoute.SPECIAL_GUARDIANSHIP_ORDER,
        previously_looked_after_by="Kent",
        sen_status=SenStatus.EHC_PLAN,
        year_group=YearGroup.YEAR_3,
        registered_on=date(2022, 9, 1),
    )
    events = when(command, NO_CHILD, term_dates)
    assert events == [PreviouslyLookedAfterChildRegistered(**command.model_dump())]
    assert given(*events).status is CareStatus.PREVIOUSLY_LOOKED_AFTER


def awaiting() -> ChildAwaitingSchoolPlace:
    return ChildAwaitingSchoolPlace(
        child_id="C1", place_needed_from=date(2022, 9, 12), reason="new foster home"
    )


def test_days_lost_awaiting_a_place_are_school_days_from_the_day_the_place_was_needed(
    term_dates: SchoolCalendar,
) -> None:
    """Seed 002 monitors "days lost whilst awaiting school placement". A place needed from Monday
    12 September 2022 and taken up on Monday 26th: 9 school days lost, as the 19th was a bank holiday."""
    state = given(entered_care(), awaiting())
    events = when(
        PlaceChildAtSchool(child_id="C1", urn="118002", start_date=date(2022, 9, 26)), state, term_dates
    )
    assert events[0] == placed(
        urn="118002", on=date(2022, 9, 26), place_needed_from=date(2022, 9, 12), school_days_lost=9
    )
    after = fold(events, state)
    assert after.school_days_lost == 9 and after.awaiting_place_since is None


def test_days_lost_so_far_count_a_wait_still_running(term_dates: SchoolCalendar) -> None:
    state = given(entered_care(), awaiting())
    assert school_days_lost_awaiting_place(state, term_dates, date(2022, 9, 21)) == 6


def test_leaving_a_school_to_await_a_place_ends_the_place_the_day_before(term_dates: SchoolCalendar) -> None:
    state = given(entered_care(), placed())
    events = when(
        RecordAwaitingSchoolPlace(
            child_id="C1", place_needed_from=date(2022, 10, 3), reason="moved out of area"
        ),
        state,
        term_dates,
    )
    assert events == [
        ChildAwaitingSchoolPlace(
            child_id="C1",
            place_needed_from=date(2022, 10, 3),
            reason="moved out of area",
            left_urn="118001",
            left_school_on=date(2022, 10, 2),
        )
    ]
    after = fold(events, state)
    assert after.current_urn is None and after.school_on(date(2022, 10, 2)) == "118001"


def test_a_placement_ending_before_it_starts_is_refused(term_dates: SchoolCalendar) -> None:
    state = given(entered_care(), placed(on=date(2022, 9, 14)))
    with pytest.raises(InvalidInput) as error:
        when(
            RecordAwaitingSchoolPlace(
                child_id="C1",
                place_needed_from=date(2022, 9, 20),
                reason="moved",
                left_school_on=date(2022, 9, 13),
            ),
            state,
            term_dates,
        )
    assert error.value.field == "left_school_on"


def test_a_move_whose_old_place_would_end_before_it_started_is_refused(term_dates: SchoolCalendar) -> None:
    state = given(entered_care(), placed(on=date(2022, 9, 14)))
    with pytest.raises(InvalidInput) as error:
        when(
            MoveChildToSchool(
                child_id="C1", to_urn="118002", start_date=date(2022, 9, 10), reason="closer to carer"
            ),
            state,
            term_dates,
        )
    assert error.value.field == "start_date"


def test_a_move_starting_before_the_child_left_the_old_school_is_refused(term_dates: SchoolCalendar) -> None:
    state = given(entered_care(), placed())
    with pytest.raises(InvalidInput) as error:
        when(
            MoveChildToSchool(
                child_id="C1",
                to_urn="118002",
                start_date=date(2022, 10, 3),
                left_previous_school_on=date(2022, 10, 5),
                reason="closer to carer",
            ),
            state,
            term_dates,
        )
    assert error.value.field == "start_date"


def test_a_looked_after_child_moving_school_is_a_change_of_school_and_the_new_school_is_told(
    term_dates: SchoolCalendar,
) -> None:
    state = given(entered_care(), placed())
    events = when(
        MoveChildToSchool(
            child_id="C1", to_urn="118002", start_date=date(2022, 10, 3), reason="closer to carer"
        ),
        state,
        term_dates,
    )
    assert events == [
        ChildMovedSchool(
            child_id="C1",
            from_urn="118001",
            to_urn="118002",
            left_previous_school_on=date(2022, 10, 2),
            start_date=date(2022, 10, 3),
            reason="closer to carer",
            year_group=YearGroup.YEAR_5,
            looked_after=True,
        ),
        HeadteacherNotified(
            child_id="C1", urn="118002", notified_on=TODAY, reason=NotificationReason.MOVED_SCHOOL
        ),
        DesignatedTeacherNotified(
            child_id="C1", urn="118002", notified_on=TODAY, reason=NotificationReason.MOVED_SCHOOL
        ),
    ]
    after = fold(events, state)
    assert after.school_changes == (date(2022, 10, 3),)
    assert after.current_urn == "118002"


def test_a_new_school_after_waiting_for_a_place_in_care_is_a_change_of_school(
    term_dates: SchoolCalendar,
) -> None:
    state = given(
        entered_care(),
        placed(),
        ChildAwaitingSchoolPlace(
            child_id="C1",
            place_needed_from=date(2022, 10, 3),
            reason="moved",
            left_urn="118001",
            left_school_on=date(2022, 10, 2),
        ),
    )
    events = when(
        PlaceChildAtSchool(child_id="C1", urn="118003", start_date=date(2022, 10, 10)), state, term_dates
    )
    assert events[0] == placed(
        urn="118003",
        on=date(2022, 10, 10),
        place_needed_from=date(2022, 10, 3),
        school_days_lost=5,
        previous_urn="118001",
        change_of_school=True,
    )


def test_the_school_a_child_attended_before_entering_care_is_not_a_change_of_school(
    term_dates: SchoolCalendar,
) -> None:
    state = given(entered_care())
    events = when(
        PlaceChildAtSchool(child_id="C1", urn="118001", start_date=date(2021, 9, 2)), state, term_dates
    )
    assert one(events, ChildPlacedAtSchool).change_of_school is False


def test_placing_a_child_already_on_roll_elsewhere_is_refused(term_dates: SchoolCalendar) -> None:
    with pytest.raises(Conflict) as error:
        when(
            PlaceChildAtSchool(child_id="C1", urn="118002", start_date=date(2022, 10, 3)),
            given(entered_care(), placed()),
            term_dates,
        )
    assert error.value.field == "urn"


def test_a_urn_that_is_not_six_digits_is_refused(term_dates: SchoolCalendar) -> None:
    with pytest.raises(InvalidInput) as error:
        when(
            PlaceChildAtSchool(child_id="C1", urn="11800", start_date=date(2022, 10, 3)),
            given(entered_care()),
            term_dates,
        )
    assert error.value.field == "urn"


def test_a_command_for_an_unknown_child_is_refused(term_dates: SchoolCalendar) -> None:
    with pytest.raises(NotFound) as error:
        when(
            PlaceChildAtSchool(child_id="C9", urn="118001", start_date=date(2022, 10, 3)),
            NO_CHILD,
            term_dates,
        )
    assert error.value.field == "child_id"


def test_leaving_care_by_adoption_makes_the_child_previously_looked_after(term_dates: SchoolCalendar) -> None:
    state = given(entered_care(), placed())
    events = when(
        RecordChildLeftCare(child_id="C1", left_care_on=date(2023, 3, 1), reason=LeftCareReason.ADOPTED),
        state,
        term_dates,
    )
    assert events == [
        ChildLeftCare(
            child_id="C1",
            left_care_on=date(2023, 3, 1),
            reason=LeftCareReason.ADOPTED,
            previously_looked_after=True,
            urn="118001",
        )
    ]
    after = fold(events, state)
    assert after.status is CareStatus.PREVIOUSLY_LOOKED_AFTER
    assert after.looked_after_on(date(2023, 2, 28)) and not after.looked_after_on(date(2023, 3, 1))


def test_returning_home_ends_care_without_making_the_child_previously_looked_after(
    term_dates: SchoolCalendar,
) -> None:
    events = when(
        RecordChildLeftCare(
            child_id="C1", left_care_on=date(2023, 3, 1), reason=LeftCareReason.RETURNED_HOME
        ),
        given(entered_care()),
        term_dates,
    )
    assert fold(events, given(entered_care())).status is CareStatus.LEFT_CARE


def test_leaving_care_before_entering_it_is_refused(term_dates: SchoolCalendar) -> None:
    with pytest.raises(InvalidInput) as error:
        when(
            RecordChildLeftCare(
                child_id="C1", left_care_on=date(2022, 9, 1), reason=LeftCareReason.RETURNED_HOME
            ),
            given(entered_care()),
            term_dates,
        )
    assert error.value.field == "left_care_on"


def test_a_child_who_comes_back_into_care_while_on_roll_is_notified_to_the_school(
    term_dates: SchoolCalendar,
) -> None:
    state = given(
        entered_care(),
        placed(),
        ChildLeftCare(
            child_id="C1",
            left_care_on=date(2023, 3, 1),
            reason=LeftCareReason.RETURNED_HOME,
            previously_looked_after=False,
            urn="118001",
        ),
    )
    events = when(enter_care_command(entered_care_on=date(2023, 6, 5)), state, term_dates)
    assert [type(e) for e in events] == [ChildEnteredCare, HeadteacherNotified, DesignatedTeacherNotified]
    assert one(events, HeadteacherNotified).reason is NotificationReason.ENTERED_CARE_WHILE_ON_ROLL
    assert len(fold(events, state).episodes) == 2


def test_only_changed_details_are_recorded(term_dates: SchoolCalendar) -> None:
    events = when(
        UpdateChildDetails(
            child_id="C1", changed_on=date(2022, 10, 1), social_worker="Sam Jones", carer="Chris Black"
        ),
        given(entered_care()),
        term_dates,
    )
    assert events == [ChildDetailsUpdated(child_id="C1", changed_on=date(2022, 10, 1), carer="Chris Black")]
    assert fold(events, given(entered_care())).carer == "Chris Black"


def test_the_roll_at_a_date_lists_only_children_looked_after_and_on_roll_that_day() -> None:
    on_roll = given(entered_care("C1"), placed(child_id="C1"))
    moved_away = given(
        entered_care("C2"),
        placed(child_id="C2"),
        ChildMovedSchool(
            child_id="C2",
            from_urn="118001",
            to_urn="118002",
            left_previous_school_on=date(2022, 9, 30),
            start_date=date(2022, 10, 3),
            reason="moved",
            year_group=YearGroup.YEAR_5,
            looked_after=True,
        ),
    )
    left_care = given(
        entered_care("C3"),
        placed(child_id="C3"),
        ChildLeftCare(
            child_id="C3",
            left_care_on=date(2022, 9, 30),
            reason=LeftCareReason.RETURNED_HOME,
            previously_looked_after=False,
            urn="118001",
        ),
    )
    children = [on_roll, moved_away, left_care]
    assert children_on_roll(children, "118001", date(2022, 9, 29)) == ("C1", "C2", "C3")
    assert children_on_roll(children, "118001", date(2022, 10, 5)) == ("C1",)
    assert children_on_roll(children, "118002", date(2022, 10, 5)) == ("C2",)
