"""Rectification (UK GDPR Article 16): a detail recorded wrongly about a child is corrected, and the
child then reads as if it had been recorded right from the start. A correction is not a change of
circumstances: an update (``ChildDetailsUpdated``) records a change from a date, a correction
replaces what was wrong, the date of birth first recorded included."""

from __future__ import annotations

from datetime import date

import pytest

from pep.domain.child_events import (
    ChildDetailsCorrected,
    ChildDetailsUpdated,
    ChildEnteredCare,
    ChildLeftCare,
    DetailCorrections,
    LeftCareReason,
    LegalStatus,
    PreviouslyLookedAfterChildRegistered,
    PreviouslyLookedAfterRoute,
    SenStatus,
    YearGroup,
)
from pep.domain.children import (
    NO_CHILD,
    ChildState,
    CorrectChildDetails,
    UpdateChildDetails,
    decide,
    fold,
)
from pep.domain.refusals import CareHistory, ChildStatus
from pep.domain.terms import SchoolCalendar
from shared.errors import InvalidInput
from shared.events import Event

TODAY = date(2022, 11, 7)
REASON = "The birth certificate seen at the PEP meeting shows 10 May 2012, not 1 May."


def entered_care(on: date = date(2022, 9, 12), born: date = date(2012, 5, 1)) -> ChildEnteredCare:
    return ChildEnteredCare(
        child_id="C1",
        name="Alex Smith",
        date_of_birth=born,
        entered_care_on=on,
        legal_status=LegalStatus.INTERIM_CARE_ORDER,
        placing_authority="Medway",
        social_worker="Sam Jones",
        carer="Pat Brown",
        independent_reviewing_officer="Jo Green",
        sen_status=SenStatus.SEN_SUPPORT,
        year_group=YearGroup.YEAR_5,
    )


def left_care(on: date = date(2022, 10, 3)) -> ChildLeftCare:
    return ChildLeftCare(
        child_id="C1", left_care_on=on, reason=LeftCareReason.RETURNED_HOME, previously_looked_after=False
    )


def given(*events: Event) -> ChildState:
    return fold(list(events))


def when(command: CorrectChildDetails | UpdateChildDetails, state: ChildState, term_dates: SchoolCalendar):
    return decide(command, state, calendar=term_dates, today=TODAY)


def correct(reason: str = REASON, **corrections: object) -> CorrectChildDetails:
    return CorrectChildDetails(
        child_id="C1", corrections=DetailCorrections(**corrections), reason=reason, corrected_on=TODAY
    )


def corrected(**corrections: object) -> ChildDetailsCorrected:
    return ChildDetailsCorrected(child_id="C1", corrected_on=TODAY, reason=REASON, **corrections)


def test_a_wrong_date_of_birth_is_corrected_with_the_reason(term_dates: SchoolCalendar) -> None:
    events = when(correct(date_of_birth=date(2012, 5, 10)), given(entered_care()), term_dates)
    assert events == [corrected(date_of_birth=date(2012, 5, 10))]
    assert given(entered_care(), *events).date_of_birth == date(2012, 5, 10)


def test_the_date_of_birth_first_recorded_is_kept_when_the_child_comes_back_into_care_until_corrected(
    term_dates: SchoolCalendar,
) -> None:
    came_back = entered_care(on=date(2022, 10, 17), born=date(2012, 1, 5))
    history = [entered_care(), left_care(), came_back]
    assert given(*history).date_of_birth == date(2012, 5, 1)  # the first recorded stands

    events = when(correct(date_of_birth=date(2012, 1, 5)), given(*history), term_dates)
    assert given(*history, *events).date_of_birth == date(2012, 1, 5)  # a correction replaces it
    # and coming back into care again does not undo the correction
    again = entered_care(on=date(2022, 11, 1), born=date(2012, 5, 1))
    assert given(*history, *events, left_care(date(2022, 10, 24)), again).date_of_birth == date(2012, 1, 5)


def test_each_detail_recorded_on_entry_into_care_can_be_corrected(term_dates: SchoolCalendar) -> None:
    right = {
        "name": "Alexandra Smith",
        "legal_status": LegalStatus.FULL_CARE_ORDER,
        "social_worker": "Samira Jones",
        "carer": "Pat and Chris Brown",
        "independent_reviewing_officer": "Joanne Green",
        "sen_status": SenStatus.EHC_PLAN,
        "year_group": YearGroup.YEAR_6,
    }
    events = when(correct(**right), given(entered_care()), term_dates)
    assert events == [corrected(**right)]
    child = given(entered_care(), *events)
    assert {name: getattr(child, name) for name in right} == right
    # the legal status is the current care episode's, as if recorded so on entry
    assert child.current_episode is not None
    assert child.current_episode.legal_status is LegalStatus.FULL_CARE_ORDER
    assert child.episodes[0].entered_on == date(2022, 9, 12)


def test_a_correction_is_not_a_change_of_circumstances(term_dates: SchoolCalendar) -> None:
    update = UpdateChildDetails(child_id="C1", changed_on=date(2022, 10, 1), carer="Dee White")
    [changed] = when(update, given(entered_care()), term_dates)
    [put_right] = when(correct(carer="Dee White"), given(entered_care()), term_dates)
    assert isinstance(changed, ChildDetailsUpdated) and changed.effective_on() == date(2022, 10, 1)
    assert isinstance(put_right, ChildDetailsCorrected) and put_right.reason == REASON
    # The officer's reason is about the child: it is sealed with their key like the details.
    assert {"name", "date_of_birth", "carer", "reason"} <= set(ChildDetailsCorrected.personal_fields)


def test_a_previously_looked_after_child_registered_with_a_wrong_name_is_corrected(
    term_dates: SchoolCalendar,
) -> None:
    registered = PreviouslyLookedAfterChildRegistered(
        child_id="C1",
        name="Maya Colins",
        date_of_birth=date(2018, 6, 30),
        left_care_on=date(2021, 2, 11),
        route=PreviouslyLookedAfterRoute.ADOPTED,
        previously_looked_after_by="Medway Council",
        sen_status=SenStatus.NONE,
        year_group=YearGroup.YEAR_3,
        registered_on=date(2022, 9, 15),
    )
    events = when(correct(name="Maya Collins"), given(registered), term_dates)
    assert given(registered, *events).name == "Maya Collins"


def test_a_child_the_virtual_school_has_no_record_of_has_nothing_to_correct(
    term_dates: SchoolCalendar,
) -> None:
    with pytest.raises(ChildStatus) as refused:
        when(correct(name="Alex Smith"), NO_CHILD, term_dates)
    assert (refused.value.status, refused.value.field) == (409, "child_id")


@pytest.mark.parametrize(
    ("reason", "corrections", "field"),
    [
        (REASON, {}, "corrections"),
        ("   ", {"carer": "Dee White"}, "reason"),
        (REASON, {"name": "  "}, "corrections.name"),
        (REASON, {"carer": "Pat Brown"}, "corrections.carer"),  # what is recorded already
        (REASON, {"sen_status": SenStatus.SEN_SUPPORT}, "corrections.sen_status"),
        (REASON, {"date_of_birth": date(2022, 9, 13)}, "corrections.date_of_birth"),  # after entering care
        (REASON, {"date_of_birth": date(2022, 11, 8)}, "corrections.date_of_birth"),  # after today
    ],
)
def test_a_correction_that_corrects_nothing_or_is_impossible_is_refused_naming_the_field(
    term_dates: SchoolCalendar, reason: str, corrections: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        when(correct(reason, **corrections), given(entered_care()), term_dates)
    assert refused.value.field == field


def test_only_a_looked_after_child_has_a_legal_status_to_correct(term_dates: SchoolCalendar) -> None:
    no_longer_in_care = given(entered_care(), left_care())
    with pytest.raises(CareHistory) as refused:
        when(correct(legal_status=LegalStatus.FULL_CARE_ORDER), no_longer_in_care, term_dates)
    assert refused.value.field == "corrections.legal_status"


def test_a_correction_whose_personal_fields_were_erased_leaves_the_child_as_it_was() -> None:
    """Read back after the child's key is destroyed, the correction's details are None: they
    change nothing (every detail of the child reads as erased then too)."""
    erased = ChildDetailsCorrected.model_construct(
        child_id="C1", corrected_on=TODAY, reason=None, name=None, date_of_birth=None,
        sen_status=SenStatus.EHC_PLAN,
    )
    child = given(entered_care(), erased)
    assert (child.name, child.date_of_birth) == ("Alex Smith", date(2012, 5, 1))
    assert child.sen_status is SenStatus.EHC_PLAN
