"""Input checks shared by the aggregates; each names the field at fault."""

from __future__ import annotations

from datetime import date

from shared.errors import InvalidInput


def require_text(value: str | None, field: str, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(f"Give {what}.", field=field)
    return text


def not_in_future(day: date, today: date, field: str) -> None:
    """A fact is recorded on or after the day it happened."""
    if day > today:
        raise InvalidInput(
            f"{day.isoformat()} is after today ({today.isoformat()}): record it once it has happened.",
            field=field,
        )


def not_before(day: date, earlier: date, field: str, what: str) -> None:
    if day < earlier:
        raise InvalidInput(f"{day.isoformat()} is before {what} ({earlier.isoformat()}).", field=field)
