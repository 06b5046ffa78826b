"""The working-day calendar the Act's periods are counted on, passed in by the caller.

The calendar is anything with ``is_working_day(day)`` and ``add_working_days(start, n)`` (the
n-th working day following ``start``); ``shared.calendar`` (England's bank holidays) is the one
used in production and in the tests. How periods are counted on it is ``dates``.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol


class WorkingDayCalendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...

    def add_working_days(self, start: date, count: int) -> date: ...
