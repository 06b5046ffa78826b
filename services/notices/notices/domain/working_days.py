"""How periods in the Act are counted, on a working-day calendar passed in by the caller.

The calendar is anything with ``is_working_day(day)`` and ``add_working_days(start, n)`` (the
n-th working day following ``start``); ``shared.calendar`` is the one used in production and in
the tests. The Act and the guidance use two phrasings, counted differently:

* "the 15th working day following that day" / "within 15 working days of receipt": the day
  itself is not counted - ``add_working_days(day, 15)``;
* "within 10 working days beginning with the day on which the direction was given": the day
  itself is the first of the ten when it is a working day.
"""

from __future__ import annotations

import calendar as gregorian
from datetime import date
from typing import Protocol


class WorkingDayCalendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...

    def add_working_days(self, start: date, count: int) -> date: ...


def working_day_following(calendar: WorkingDayCalendar, day: date, count: int) -> date:
    """The ``count``-th working day following ``day`` (``day`` itself never counts)."""
    return calendar.add_working_days(day, count)


def last_of_working_days_beginning_with(calendar: WorkingDayCalendar, day: date, count: int) -> date:
    """The last day of a period of ``count`` working days beginning with ``day``.

    ``day`` counts as the first of them when it is a working day; otherwise the period starts on
    the next working day.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    if calendar.is_working_day(day):
        return day if count == 1 else calendar.add_working_days(day, count - 1)
    return calendar.add_working_days(day, count)


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, or that month's last day when it is shorter
    (31 December + 2 months is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = gregorian.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))
