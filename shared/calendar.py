"""Working days in England.

A *working day* (Education and Inspections Act 2006, s60) is any day except a Saturday, a Sunday,
Christmas Day, Good Friday or a bank holiday in England. School holidays count as working days.
Bank holidays come from the maintained ``holidays`` package, so substitute days and one-off
holidays (19 September 2022, 8 May 2023) are right without a hand-kept list.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _england_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_bank_holiday(day: date) -> bool:
    """Christmas Day, Good Friday and England's bank holidays (including substitute days)."""
    return day in _england_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day following ``start`` (``start`` itself is never counted).

    ``add_working_days(given, 15)`` is "the 15th working day following the day the notice is
    given". ``count`` must be at least 1.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
