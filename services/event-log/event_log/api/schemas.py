"""Response bodies. Dates and hashes are the exact strings the hash chain covers, so anyone can
recompute an event's hash from what this API returns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class EventPublic(BaseModel):
    position: int = Field(description="the event's place in the whole log")
    stream_id: str
    stream_version: int
    type: str
    schema_version: int
    stored_schema_version: int | None = Field(
        default=None, description="when the data was upcast: the schema version it was stored under"
    )
    data: dict[str, Any]
    metadata: dict[str, Any] = Field(description="who recorded it, through which service and request")
    effective_date: str = Field(description="when the fact took effect (what was true)")
    recorded_at: str = Field(description="when the log recorded it (what was known)")
    subjects: list[str]
    hash: str
    prev_hash: str


class FeedPage(BaseModel):
    events: list[EventPublic]
    next_after: int = Field(description="pass as `after` to read the next page")
    head_position: int = Field(description="the last position in the log when this page was read")


class StreamHistory(BaseModel):
    stream_id: str
    category: str
    version: int = Field(description="the stream's current version (also the ETag)")
    events: list[EventPublic]
    next_after_version: int


class RollPeriodPublic(BaseModel):
    urn: str
    from_: str = Field(alias="from")
    to: str | None = Field(description="the last day on roll; null while still on roll")

    model_config = {"populate_by_name": True}


class ChildTimeline(BaseModel):
    child_id: str
    roll_periods: list[RollPeriodPublic]
    events: list[EventPublic]
    next_after: int


class SchoolTimeline(BaseModel):
    urn: str
    events: list[EventPublic]
    next_after: int
