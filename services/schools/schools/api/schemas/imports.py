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


class NationalImportPublic(BaseModel):
    """What an import of the whole national extract did: the council's own schools (its register)
    and every other school (known schools), counted apart. ``rejected`` lists the first 1,000
    rows that could not be imported; ``rejected_count`` counts them all."""

    council_la_code: str
    as_of: date
    rows_read: int
    registered: int
    details_changed: int
    status_changed: int
    known_recorded: int
    known_changed: int
    unchanged: int
    rejected_count: int
    rejected: list[RejectedRowPublic]
    events_appended: int


class LinksImportPublic(BaseModel):
    """What an import of the register's links file did. ``links_recorded`` counts the
    ``SchoolLinked`` events, one for each school a link joins; ``rejected`` lists the first
    1,000 rows that could not be imported, ``rejected_count`` counts them all."""

    as_of: date
    rows_read: int
    links_recorded: int
    unchanged: int
    rejected_count: int
    rejected: list[RejectedRowPublic]
    events_appended: int
