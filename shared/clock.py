"""Time, passed in rather than read inside domain code, so tests can fix it."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

COUNCIL_TIMEZONE = ZoneInfo("Europe/London")


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(timezone.utc)

    def today(self) -> date:
        """Today in England: a deadline falls due at midnight London time, not UTC."""
        return self.now().astimezone(COUNCIL_TIMEZONE).date()


class FixedClock(SystemClock):
    """A clock that says what it is told: for tests, and for replaying a scenario."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a clock's time must be timezone-aware")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a clock's time must be timezone-aware")
        self._at = at
