"""The Secretary of State's direction to consider giving a warning notice.

domain.md section 4; seed 003, appendix 3, "Power of the Secretary of State to direct the local
authority to consider giving and to give a warning notice".
"""

from datetime import date

import pytest
from notices.domain.direction import (
    NO_DIRECTION,
    RecordDirectedNoticeGiven,
    RecordDirectionToConsiderWarningNotice,
    RecordDirectionToGiveWarningNotice,
    RespondToDirection,
    deadlines_due,
    decide,
    evolve,
)
from notices.domain.direction_events import (
    DirectedToGiveWarningNotice,
    DirectedWarningNoticeGiven,
    DirectedWarningNoticeOverdue,
    DirectionResponded,
    DirectionResponseOverdue,
    DirectionToConsiderWarningNoticeReceived,
)
from notices.domain.rules import DEFAULT_RULE_BOOK
from notices.domain.school_facts import SchoolFacts

from shared import calendar
from shared.errors import Conflict, InvalidInput, RuleViolation

URN = "118001"
HARBOUR = SchoolFacts(urn=URN, name="Harbour Primary School", establishment_type="Community school")
TODAY = date(2024, 6, 28)
RECEIVED = DirectionToConsiderWarningNoticeReceived(
    urn=URN,
    direction_id="D1",
    given_on=date(2022, 9, 9),
    specified_terms="Give a warning notice on the ground of low standards by reference to comparable schools.",
    response_due_on=date(2022, 9, 23),
)


def given(*events):
    state = NO_DIRECTION
    for event in events:
        state = evolve(state, event)
    return state


def when(command, state, school=HARBOUR, today=TODAY):
    return decide(command, state, school=school, today=today, rules=DEFAULT_RULE_BOOK, calendar=calendar)


def test_a_direction_given_before_the_state_funeral_is_answered_by_23_september_2022():
    """10 working days beginning with Friday 9 September 2022; Monday 19 September is a bank holiday."""
    events = when(
        RecordDirectionToConsiderWarningNotice(
            direction_id="D1", urn=URN, given_on=date(2022, 9, 9), specified_terms=RECEIVED.specified_terms
        ),
        NO_DIRECTION,
    )
    assert events == [RECEIVED]


def test_a_direction_about_an_academy_is_refused():
    academy = SchoolFacts(urn=URN, name="Oakfield Academy", establishment_type="Academy converter")
    with pytest.raises(RuleViolation) as refused:
        when(
            RecordDirectionToConsiderWarningNotice(
                direction_id="D1", urn=URN, given_on=date(2022, 9, 9), specified_terms="x"
            ),
            NO_DIRECTION,
            school=academy,
        )
    assert refused.value.field == "urn"


def test_no_response_by_the_last_day_is_an_overdue_event_the_next_day_once():
    state = given(RECEIVED)
    assert deadlines_due(state, date(2022, 9, 23)) == []
    overdue = DirectionResponseOverdue(urn=URN, direction_id="D1", due_on=date(2022, 9, 23))
    assert deadlines_due(state, date(2022, 9, 24)) == [overdue]
    assert overdue.effective_on() == date(2022, 9, 24)
    assert deadlines_due(evolve(state, overdue), date(2022, 10, 30)) == []


def test_agreeing_to_give_the_notice_sets_the_fifth_working_day_following_as_its_due_date():
    """Responded Friday 16 September 2022: 20, 21, 22, 23, 26 September (19th a bank holiday)."""
    events = when(
        RespondToDirection(direction_id="D1", responded_on=date(2022, 9, 16), will_give_notice=True),
        given(RECEIVED),
    )
    assert events == [
        DirectionResponded(
            urn=URN,
            direction_id="D1",
            responded_on=date(2022, 9, 16),
            will_give_notice=True,
            reasons="",
            on_time=True,
            notice_due_on=date(2022, 9, 26),
        )
    ]


def test_a_late_response_is_recorded_as_late_and_stops_the_overdue_deadline():
    events = when(
        RespondToDirection(
            direction_id="D1",
            responded_on=date(2022, 9, 26),
            will_give_notice=False,
            reasons="Improving already.",
        ),
        given(RECEIVED),
    )
    assert events[0].on_time is False
    assert deadlines_due(given(RECEIVED, *events), date(2022, 12, 1)) == []


def test_declining_needs_reasons():
    with pytest.raises(InvalidInput) as refused:
        when(
            RespondToDirection(direction_id="D1", responded_on=date(2022, 9, 16), will_give_notice=False),
            given(RECEIVED),
        )
    assert refused.value.field == "reasons"


def test_a_direction_is_answered_once():
    answered = DirectionResponded(
        urn=URN,
        direction_id="D1",
        responded_on=date(2022, 9, 16),
        will_give_notice=True,
        reasons="",
        on_time=True,
        notice_due_on=date(2022, 9, 26),
    )
    with pytest.raises(Conflict):
        when(
            RespondToDirection(direction_id="D1", responded_on=date(2022, 9, 20), will_give_notice=True),
            given(RECEIVED, answered),
        )


DECLINED = DirectionResponded(
    urn=URN,
    direction_id="D1",
    responded_on=date(2022, 9, 16),
    will_give_notice=False,
    reasons="The school's own plan is working.",
    on_time=True,
    notice_due_on=None,
)


def test_directed_to_give_the_notice_after_declining_the_council_has_five_working_days_beginning_that_day():
    """Directed on Friday 16 September 2022, the day the council declined: 16, 20, 21, 22 and
    23 September (Monday 19th a bank holiday)."""
    events = when(
        RecordDirectionToGiveWarningNotice(direction_id="D1", directed_on=date(2022, 9, 16)),
        given(RECEIVED, DECLINED),
    )
    assert events == [
        DirectedToGiveWarningNotice(
            urn=URN, direction_id="D1", directed_on=date(2022, 9, 16), notice_due_on=date(2022, 9, 23)
        )
    ]


def test_a_direction_to_give_the_notice_before_the_council_declined_is_refused():
    with pytest.raises(Conflict):
        when(
            RecordDirectionToGiveWarningNotice(direction_id="D1", directed_on=date(2022, 9, 16)),
            given(RECEIVED),
        )


def test_the_notice_given_in_time_stops_the_giving_deadline():
    directed = DirectedToGiveWarningNotice(
        urn=URN, direction_id="D1", directed_on=date(2022, 9, 16), notice_due_on=date(2022, 9, 23)
    )
    state = given(RECEIVED, DECLINED, directed)
    events = when(
        RecordDirectedNoticeGiven(direction_id="D1", notice_id="WN7", given_on=date(2022, 9, 22)), state
    )
    assert events == [
        DirectedWarningNoticeGiven(
            urn=URN, direction_id="D1", notice_id="WN7", given_on=date(2022, 9, 22), on_time=True
        )
    ]
    assert deadlines_due(given(RECEIVED, DECLINED, directed, *events), date(2022, 10, 1)) == []
    assert (
        when(
            RecordDirectedNoticeGiven(direction_id="D1", notice_id="WN7", given_on=date(2022, 9, 22)),
            given(RECEIVED, DECLINED, directed, *events),
        )
        == []
    )


def test_a_notice_not_given_in_time_is_an_overdue_event():
    directed = DirectedToGiveWarningNotice(
        urn=URN, direction_id="D1", directed_on=date(2022, 9, 16), notice_due_on=date(2022, 9, 23)
    )
    state = given(RECEIVED, DECLINED, directed)
    assert deadlines_due(state, date(2022, 9, 26)) == [
        DirectedWarningNoticeOverdue(urn=URN, direction_id="D1", due_on=date(2022, 9, 23))
    ]
    late = when(
        RecordDirectedNoticeGiven(direction_id="D1", notice_id="WN7", given_on=date(2022, 9, 27)), state
    )
    assert late[0].on_time is False
