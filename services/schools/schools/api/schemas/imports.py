"""What an import of the national register reports."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class RejectedRowPublic(BaseModel):
    line: int
    urn: str | None
    reasons: list[str]


class ImportPublic(BaseModel):
    la_code: str
    as_of: date
    rows_read: int
    registered: int
    details_changed: int
    status_changed: int
    unchanged: int
    rejected: list[RejectedRowPublic]
    other_la_rows: int
    events_appended: int
