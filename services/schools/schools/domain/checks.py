"""Checks every part of the domain makes on what it is given, each naming the field at fault."""

from __future__ import annotations

from datetime import date

from shared.errors import InvalidInput


def optional_text(value: object) -> str | None:
    """Text with runs of whitespace collapsed; None when nothing is left."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def required_text(value: object, field: str) -> str:
    text = optional_text(value)
    if text is None:
        raise InvalidInput(f"{field} is required", field=field)
    return text


def each_text(values: list[str], field: str, blank: str) -> list[str]:
    """Each item with runs of whitespace collapsed; a blank item is refused, named by its place
    (``reasons.1``) with the message ``blank``."""
    cleaned = []
    for index, value in enumerate(values):
        text = optional_text(value)
        if text is None:
            raise InvalidInput(blank, field=f"{field}.{index}")
        cleaned.append(text)
    return cleaned


def not_in_future(day: date, today: date, field: str) -> date:
    if day > today:
        raise InvalidInput(f"{day.isoformat()} is in the future (today is {today.isoformat()})", field=field)
    return day
