"""What a request may carry and what it is answered with.

Parameters: the path and query parameter types every route takes, with their limits (a value
outside them is refused with 422 naming it). Bodies: dates and hashes are the exact strings the
hash chain covers, so anyone can recompute an event's hash from what this API returns.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Path, Query
from pydantic import BaseModel, Field

from shared.database import BIGINT_MAX
from shared.errors import InvalidInput
from shared.web.audit import MAX_PAGE
from shared.web.paging import Page, Paging, position_paging

from event_log.queries.export_formats import ExportFormat
from event_log.queries.state_as_of import Cutoff

# -- which events ---------------------------------------------------------------------------

STREAM_ID = re.compile(r"^[A-Za-z0-9_]+-[^\s/]{1,200}$")

ChildId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9._-]{1,64}$", description="the council's identifier of the child")
]
After = Annotated[int, Query(ge=0, description="return events after this global position")]
# Every list here pages by a number that only grows, and its cursor is that number as text.
ByPosition = Annotated[Paging[int], position_paging(counts="log position")]
ByVersion = Annotated[Paging[int], position_paging(counts="stream version")]
EventTypes = Annotated[list[str], Query(alias="type", max_length=50, description="only these event types")]
Categories = Annotated[
    list[str], Query(alias="category", max_length=50, description="only streams of these categories")
]
Subject = Annotated[
    str | None,
    Query(
        max_length=200,
        pattern=r"^[a-z]+:.+$",
        description="only events concerning `child:<id>` or `school:<urn>`",
    ),
]
Upcast = Annotated[
    bool,
    Query(
        description="give each event's data in the current schema of its type (read through upcasters) "
        "instead of as stored; stored data is what the hash covers"
    ),
]
MAX_WAIT_SECONDS = 30.0
Wait = Annotated[
    float,
    Query(
        ge=0,
        le=MAX_WAIT_SECONDS,
        description="when nothing is there yet, hold the request open up "
        "to this many seconds and answer as soon as an event arrives (long polling)",
    ),
]
Format = Annotated[ExportFormat, Query(alias="format", description="ndjson (default) or csv")]
StoredForm = Annotated[
    bool,
    Query(
        description="auditors only: give each event exactly as stored, its personal fields as the sealed "
        "envelopes the hash covers, to check the hash chain with the export alone"
    ),
]


def check_stream_id(stream_id: str) -> str:
    # Checked in the route rather than as a path pattern, so the refusal names the expected form.
    if not STREAM_ID.match(stream_id):
        raise InvalidInput("a stream id is <category>-<id>, e.g. school-100001", field="stream_id")
    return stream_id


# -- replay: the cut-off ----------------------------------------------------------------------


def cutoff(
    position: Annotated[int | None, Query(ge=1, description="fold events up to this log position")] = None,
    as_of: Annotated[
        date | None, Query(description="what was true: fold events that had taken effect by this date")
    ] = None,
    known_on: Annotated[
        date | None,
        Query(description="what was known: fold events recorded by the end of this day (England)"),
    ] = None,
    known_at: Annotated[
        datetime | None, Query(description="what was known: fold events recorded by this instant")
    ] = None,
) -> Cutoff:
    return Cutoff.of(position=position, as_of=as_of, known_on=known_on, known_at=known_at)


CutoffDep = Annotated[Cutoff, Depends(cutoff)]

# -- verification and checkpoints -------------------------------------------------------------

FromPosition = Annotated[
    int, Query(ge=1, le=BIGINT_MAX, description="start here, trusting the stored hash of the event before it")
]
ToPosition = Annotated[int | None, Query(ge=1, le=BIGINT_MAX, description="stop here (default: the head)")]
CheckpointsPage = Annotated[Paging[int], position_paging(counts="checkpoint's log position")]
CheckpointPosition = Annotated[int, Query(ge=1, le=BIGINT_MAX)]
CheckpointHash = Annotated[str, Query(pattern=r"^[0-9a-fA-F]{64}$", description="the checkpoint's hash, hex")]
PublishedAt = Annotated[datetime, Query(description="the checkpoint's published_at, as published")]
KeyId = Annotated[str, Query(max_length=100)]
Signature = Annotated[str, Query(pattern=r"^[0-9a-fA-F]{128}$", description="the signature, hex")]

# -- record reads -----------------------------------------------------------------------------

ReadChildId = Annotated[str | None, Query(max_length=64, description="the child whose record was read")]
ReadBy = Annotated[str | None, Query(max_length=200, description="the reader (token subject)")]
ReadFrom = Annotated[datetime | None, Query(description="on or after this instant")]
ReadBefore = Annotated[datetime | None, Query(description="before this instant")]
ReadsPage = Annotated[Paging[int], position_paging(counts="read's id", max_limit=MAX_PAGE)]
BulkAfter = Annotated[
    int,
    Query(
        ge=0,
        description="Start the bulk reads after this bulk read's id: the `bulk_next_cursor` of the page "
        "before.",
    ),
]

# -- bodies -----------------------------------------------------------------------------------


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
    withheld: list[str] | None = Field(
        default=None,
        description="personal fields this reader has no need of: null in data (the log holds them "
        "sealed; the hash covers the sealed form, so check it through /verification)",
    )
    erased: list[str] | None = Field(
        default=None, description="personal fields erased (their key destroyed): null in data for everyone"
    )


class FeedPage(Page[EventPublic]):
    """Events in log order. The cursor is the log position of the page's last event; a follower
    at the head keeps the position of the last event it processed and asks again after it."""

    head_position: int = Field(description="the last position in the log when this page was read")


class StreamHistory(Page[EventPublic]):
    """A stream's events in version order. The cursor is the stream version of the page's last event."""

    stream_id: str
    category: str
    version: int = Field(description="the stream's current version (also the ETag)")


class RollPeriodPublic(BaseModel):
    urn: str
    from_: str = Field(alias="from")
    to: str | None = Field(description="the last day on roll; null while still on roll")

    model_config = {"populate_by_name": True}


class ChildTimeline(Page[EventPublic]):
    """A child's events in log order. The cursor is the log position of the page's last event."""

    child_id: str
    roll_periods: list[RollPeriodPublic]


class SchoolTimeline(Page[EventPublic]):
    """A school's events in log order. The cursor is the log position of the page's last event."""

    urn: str


class CheckpointPublic(BaseModel):
    position: int = Field(description="the log position the checkpoint vouches for, and every event before it")
    hash: str = Field(description="the hash of the event at that position, hex")
    published_at: str
    key_id: str
    algorithm: str
    signature: str = Field(description="hex")


class Checkpoints(Page[CheckpointPublic]):
    """Published checkpoints, oldest first. The cursor is the log position of the page's last one."""


class RecordReadPublic(BaseModel):
    id: int
    read_at: str
    actor: str
    role: str
    service: str
    child_id: str | None
    route: str
    request_id: str | None


class BulkReadPublic(BaseModel):
    id: int
    read_at: str
    actor: str
    role: str
    service: str
    route: str
    request_id: str | None
    first_position: int | None = Field(description="the first log position the answer held; null if none")
    last_position: int | None = Field(description="the last log position the answer held; null if none")
    events: int = Field(description="how many events the answer held")
    child_ids: list[str] = Field(description="every child the answer's events concern")


class RecordReads(Page[RecordReadPublic]):
    """Reads of children's records by people (``items``), oldest first, and bulk reads of the event
    log by anyone (``bulk_reads``), oldest first: a page of each. ``next_cursor`` is the id of the
    last record read (pass it as ``after``); ``bulk_next_cursor`` the id of the last bulk read (pass
    it as ``bulk_after``); ``next`` moves both on, and is null once both lists are done."""

    bulk_reads: list[BulkReadPublic] = Field(
        description="answers of the event log holding events (feed pages, followed streams, exports, "
        "streams, timelines), for the same child, reader and time as items: with a child, those whose "
        "events included the child"
    )
    bulk_next_cursor: str | None = Field(
        description="Pass back as `bulk_after` to read the next bulk reads. Null on their last page."
    )
