"""When was a child on each school's roll? Derived from the pep service's school-place events.

A child's timeline includes a school's events only for the time the child was on that school's
roll, so this is the one place that reads the pep service's placement events (names and fields
from ``pep/domain/child_events.py``):

* ``ChildPlacedAtSchool`` (``urn``, ``start_date``) - on roll from the start date;
* ``ChildMovedSchool`` (``from_urn``, ``left_previous_school_on``, ``to_urn``, ``start_date``) - off
  the old roll after the last day there, on the new one from the start date;
* ``ChildAwaitingSchoolPlace`` (``left_urn``, ``left_school_on``) - off roll after that last day;
* ``ChildLeftCare`` (``urn``, ``left_care_on``, ``previously_looked_after``) - leaving care does
  not take a child off a roll, but the council stops following the child's schooling then,
  unless the child is now previously looked after (the virtual school still follows them and
  goes on recording their school moves); so the period known to the council ends the day before
  ``left_care_on`` (the first day out of care).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from shared.eventlog.records import RecordedEvent

PLACED = "ChildPlacedAtSchool"
MOVED = "ChildMovedSchool"
AWAITING_PLACE = "ChildAwaitingSchoolPlace"
LEFT_CARE = "ChildLeftCare"
PLACEMENT_EVENT_TYPES = (PLACED, MOVED, AWAITING_PLACE, LEFT_CARE)


@dataclass(frozen=True)
class RollPeriod:
    urn: str
    start: date
    end: date | None = None  # the last day on roll; None while still on roll

    def to_json(self) -> dict[str, Any]:
        return {
            "urn": self.urn,
            "from": self.start.isoformat(),
            "to": self.end.isoformat() if self.end else None,
        }


Upcast = Callable[[str, int, dict[str, Any]], tuple[int, dict[str, Any]]]


def roll_periods(events: Iterable[RecordedEvent], upcast: Upcast | None = None) -> list[RollPeriod]:
    """The roll periods of one child, from that child's placement events in log order."""
    periods: list[RollPeriod] = []

    def close(last_day: date) -> None:
        if periods and periods[-1].end is None:
            periods[-1] = replace(periods[-1], end=max(last_day, periods[-1].start))

    for event in events:
        data = event.data
        if upcast is not None:
            _, data = upcast(event.event_type, event.schema_version, data)
        if event.event_type == PLACED:
            start = date.fromisoformat(data["start_date"])
            close(start - timedelta(days=1))
            periods.append(RollPeriod(str(data["urn"]), start))
        elif event.event_type == MOVED:
            close(date.fromisoformat(data["left_previous_school_on"]))
            periods.append(RollPeriod(str(data["to_urn"]), date.fromisoformat(data["start_date"])))
        elif event.event_type == AWAITING_PLACE and data.get("left_school_on"):
            close(date.fromisoformat(data["left_school_on"]))
        elif event.event_type == LEFT_CARE and not data.get("previously_looked_after"):
            close(date.fromisoformat(data["left_care_on"]) - timedelta(days=1))
    return periods
