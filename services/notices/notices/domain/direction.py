"""A Secretary of State's direction to consider giving a warning notice, stream
``direction-<direction id>``.

The council answers in writing within 10 working days beginning with the day the direction was
given. If it will give the notice, it gives it within five working days from the day of its
response; if it declines and the Secretary of State then directs it to give the notice, within
five working days beginning with the day of that direction. A missed deadline is an event
(domain.md section 4; seed 003, appendix 3, "Power of the Secretary of State to direct the
local authority to consider giving and to give a warning notice").
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from shared.errors import Conflict
from shared.events import Command, Event

from . import dates
from .checks import not_before, not_in_future, require_text
from .deadlines import Deadline, DeadlineKind
from .deadlines import deadlines_due as _fired
from .direction_events import (
    DirectedToGiveWarningNotice,
    DirectedWarningNoticeGiven,
    DirectedWarningNoticeOverdue,
    DirectionResponded,
    DirectionResponseOverdue,
    DirectionToConsiderWarningNoticeReceived,
)
from .rules import RuleBook
from .school_facts import SchoolFacts, require_open_maintained_school
from .working_days import WorkingDayCalendar


def direction_stream(direction_id: str) -> str:
    return f"direction-{direction_id}"


class RecordDirectionToConsiderWarningNotice(Command):
    direction_id: str
    urn: str
    given_on: date
    specified_terms: str


class RespondToDirection(Command):
    direction_id: str
    responded_on: date
    will_give_notice: bool
    reasons: str = ""


class RecordDirectionToGiveWarningNotice(Command):
    direction_id: str
    directed_on: date


class RecordDirectedNoticeGiven(Command):
    """From the policy on ``WarningNoticeGiven`` for a notice drafted against this direction."""

    direction_id: str
    notice_id: str
    given_on: date


DirectionCommand = (
    RecordDirectionToConsiderWarningNotice
    | RespondToDirection
    | RecordDirectionToGiveWarningNotice
    | RecordDirectedNoticeGiven
)


@dataclass(frozen=True)
class Direction:
    direction_id: str | None = None
    urn: str | None = None
    given_on: date | None = None
    specified_terms: str = ""
    response_due_on: date | None = None
    responded_on: date | None = None
    will_give_notice: bool | None = None
    reasons: str = ""
    directed_to_give_on: date | None = None
    notice_due_on: date | None = None
    notice_id: str | None = None
    notice_given_on: date | None = None
    response_overdue_recorded: bool = False
    notice_overdue_recorded: bool = False


NO_DIRECTION = Direction()


def evolve(state: Direction, event: Event) -> Direction:
    match event:
        case DirectionToConsiderWarningNoticeReceived():
            return replace(
                state,
                direction_id=event.direction_id,
                urn=event.urn,
                given_on=event.given_on,
                specified_terms=event.specified_terms,
                response_due_on=event.response_due_on,
            )
        case DirectionResponded():
            return replace(
                state,
                responded_on=event.responded_on,
                will_give_notice=event.will_give_notice,
                reasons=event.reasons,
                notice_due_on=event.notice_due_on,
            )
        case DirectedToGiveWarningNotice():
            return replace(state, directed_to_give_on=event.directed_on, notice_due_on=event.notice_due_on)
        case DirectedWarningNoticeGiven():
            return replace(state, notice_id=event.notice_id, notice_given_on=event.given_on)
        case DirectionResponseOverdue():
            return replace(state, response_overdue_recorded=True)
        case DirectedWarningNoticeOverdue():
            return replace(state, notice_overdue_recorded=True)
        case _:
            return state


def decide(
    command: DirectionCommand,
    state: Direction,
    *,
    school: SchoolFacts,
    today: date,
    rules: RuleBook,
    calendar: WorkingDayCalendar,
) -> list[Event]:
    """``school`` is the facts of the direction's school; ``rules`` gives the regime in force on
    the day the direction was given."""
    match command:
        case RecordDirectionToConsiderWarningNotice():
            if state.direction_id is not None:
                raise Conflict("This direction is already recorded.", field="direction_id")
            require_open_maintained_school(school, command.urn, "be directed to give it a warning notice")
            not_in_future(command.given_on, today, "given_on")
            terms = require_text(
                command.specified_terms, "specified_terms", "the terms the direction specifies"
            )
            regime = rules.in_force_on(command.given_on, field="given_on")
            return [
                DirectionToConsiderWarningNoticeReceived(
                    urn=command.urn,
                    direction_id=command.direction_id,
                    given_on=command.given_on,
                    specified_terms=terms,
                    response_due_on=dates.direction_response_due(command.given_on, regime, calendar),
                )
            ]
    state = _recorded(state)
    assert state.urn is not None and state.given_on is not None
    regime = rules.in_force_on(state.given_on)
    match command:
        case RespondToDirection():
            if state.responded_on is not None:
                raise Conflict(
                    f"The council responded on {state.responded_on.isoformat()}.", field="direction_id"
                )
            not_in_future(command.responded_on, today, "responded_on")
            not_before(command.responded_on, state.given_on, "responded_on", "the direction")
            reasons = command.reasons.strip()
            if not command.will_give_notice:
                reasons = require_text(
                    command.reasons, "reasons", "the council's reasons for not giving the notice"
                )
            assert state.response_due_on is not None
            return [
                DirectionResponded(
                    urn=state.urn,
                    direction_id=command.direction_id,
                    responded_on=command.responded_on,
                    will_give_notice=command.will_give_notice,
                    reasons=reasons,
                    on_time=command.responded_on <= state.response_due_on,
                    notice_due_on=(
                        dates.notice_due_after_agreeing(command.responded_on, regime, calendar)
                        if command.will_give_notice
                        else None
                    ),
                )
            ]
        case RecordDirectionToGiveWarningNotice():
            if state.will_give_notice is not False or state.responded_on is None:
                raise Conflict(
                    "The Secretary of State directs the council to give the notice after it has answered "
                    "that it will not.",
                    field="direction_id",
                )
            if state.directed_to_give_on is not None:
                raise Conflict("The direction to give the notice is already recorded.", field="direction_id")
            not_in_future(command.directed_on, today, "directed_on")
            not_before(command.directed_on, state.responded_on, "directed_on", "the council's response")
            return [
                DirectedToGiveWarningNotice(
                    urn=state.urn,
                    direction_id=command.direction_id,
                    directed_on=command.directed_on,
                    notice_due_on=dates.notice_due_after_direction_to_give(
                        command.directed_on, regime, calendar
                    ),
                )
            ]
        case RecordDirectedNoticeGiven():
            if state.notice_id == command.notice_id:
                return []
            if state.notice_id is not None:
                raise Conflict(
                    f"Notice {state.notice_id} was already given under this direction.", field="notice_id"
                )
            not_before(command.given_on, state.given_on, "given_on", "the direction")
            return [
                DirectedWarningNoticeGiven(
                    urn=state.urn,
                    direction_id=command.direction_id,
                    notice_id=command.notice_id,
                    given_on=command.given_on,
                    on_time=state.notice_due_on is None or command.given_on <= state.notice_due_on,
                )
            ]
    raise TypeError(f"not a direction command: {type(command).__name__}")


def _recorded(state: Direction) -> Direction:
    if state.direction_id is None:
        raise Conflict("There is no such direction.", field="direction_id")
    return state


def pending_deadlines(state: Direction) -> list[Deadline]:
    if state.direction_id is None or state.urn is None:
        return []
    pending: list[Deadline] = []
    due = state.response_due_on
    if due is not None and state.responded_on is None and not state.response_overdue_recorded:
        pending.append(
            Deadline(
                kind=DeadlineKind.DIRECTION_RESPONSE,
                urn=state.urn,
                reference=state.direction_id,
                due_on=due,
                fires_on=dates.first_day_after(due),
                event=DirectionResponseOverdue(urn=state.urn, direction_id=state.direction_id, due_on=due),
                description=f"Response to the Secretary of State's direction {state.direction_id} due",
            )
        )
    notice_due = state.notice_due_on
    if notice_due is not None and state.notice_id is None and not state.notice_overdue_recorded:
        pending.append(
            Deadline(
                kind=DeadlineKind.DIRECTED_NOTICE,
                urn=state.urn,
                reference=state.direction_id,
                due_on=notice_due,
                fires_on=dates.first_day_after(notice_due),
                event=DirectedWarningNoticeOverdue(
                    urn=state.urn, direction_id=state.direction_id, due_on=notice_due
                ),
                description=f"Warning notice under direction {state.direction_id} to be given",
            )
        )
    return pending


def deadlines_due(state: Direction, today: date) -> list[Event]:
    return _fired(pending_deadlines(state), today)
