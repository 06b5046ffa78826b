"""Deadlines: dates computed when a fact is recorded, which fire as events when they pass.

Each aggregate lists its pending deadlines (``pending_deadlines(state)``); a deadline carries the
event to append when it fires. ``deadlines_due`` keeps those whose day has come. Once the event
is folded into the state the deadline is no longer pending, so a scheduler that folds the stream
and appends what is due (with the stream's expected version) appends each deadline exactly once,
however late it runs and however often it restarts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from shared.errors import InvalidInput
from shared.events import Event

from .dates import working_days_ahead
from .working_days import WorkingDayCalendar


class DeadlineKind(StrEnum):
    COMPLIANCE_PERIOD_END = "compliance_period_end"
    REPRESENTATION_WINDOW_END = "representation_window_end"
    ELIGIBILITY_DATE = "eligibility_date"
    DIRECTION_RESPONSE = "direction_response"
    DIRECTED_NOTICE = "directed_notice"
    POWERS_LAPSE = "powers_lapse"
    CONSULTATION_CLOSE = "consultation_close"


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    urn: str
    reference: str
    """The notice, direction or consultation id; the URN for a school's powers."""
    due_on: date
    """The day officers work to: the last day of a period, or the day something takes effect."""
    fires_on: date
    """The first day the deadline has passed and its event is appended."""
    event: Event
    description: str


def deadlines_due(pending: Iterable[Deadline], today: date) -> list[Event]:
    """The events of the deadlines that have fired by ``today``, oldest first."""
    fired = sorted((d for d in pending if d.fires_on <= today), key=lambda d: (d.fires_on, d.kind.value))
    return [d.event for d in fired]


def upcoming_deadlines(
    pending: Iterable[Deadline], today: date, working_days: int, calendar: WorkingDayCalendar
) -> list[Deadline]:
    """Deadlines due from ``today`` up to the ``working_days``-th working day after it, soonest
    first (``working_days`` of 0 means today only)."""
    if working_days < 0:
        raise InvalidInput("The number of working days ahead cannot be negative.", field="working_days")
    horizon = working_days_ahead(today, working_days, calendar)
    upcoming = [d for d in pending if today <= d.due_on <= horizon]
    return sorted(upcoming, key=lambda d: (d.due_on, d.urn, d.kind.value, d.reference))
