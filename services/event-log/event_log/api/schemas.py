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
from pydantic import BaseModel, ConfigDict, Field

from shared.database import BIGINT_MAX
from shared.errors import InvalidInput
from shared.text import Note, Title
from shared.web.audit import MAX_PAGE
from shared.web.paging import Keyset, Page, Paging, keyset_paging, position_paging

from event_log.domain.protection import ErasureRule
from event_log.domain.retention import MAX_YEARS, CountedFrom, RecordKind
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
BridgesPage = Annotated[Paging[int], position_paging(counts="bridge's id")]
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


class BridgedHashPublic(BaseModel):
    position: int = Field(description="a position a checkpoint was published at before the rewrite")
    old_hash: str = Field(description="the hash that checkpoint signed, hex")
    new_hash: str = Field(description="the log's hash at that position since the rewrite, hex")


class BridgePublic(BaseModel):
    id: int
    rewritten_at: str = Field(description="when the log was rewritten")
    reason: str = Field(description="why, and what changed")
    actor: str = Field(description="who ran the rewrite, for the record")
    head_position: int = Field(description="the log's last position at the rewrite (no position changed)")
    old_head_hash: str = Field(description="the log's hash at the head before the rewrite, hex")
    new_head_hash: str = Field(description="the log's hash at the head after the rewrite, hex")
    checkpoints: list[BridgedHashPublic] = Field(
        description="every checkpoint published before the rewrite (old and new hash are the same before "
        "the first event it changed)"
    )
    key_id: str
    algorithm: str
    signature: str = Field(description="hex, over canonical JSON of the fields but id (docs/event-log.md)")
    genuine: bool = Field(description="whether the signature verifies with a key this log trusts")


class Bridges(Page[BridgePublic]):
    """The log's signed bridges, oldest first. The cursor is the id of the page's last one."""


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


# -- the data protection officer's records ------------------------------------------------------

HoldId = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$", description="the legal hold's id, as placed")
]
DueOn = Annotated[
    date | None, Query(description="the day to ask about (default: today): children due on or before it")
]
DueForErasurePage = Annotated[Paging[tuple | None], keyset_paging(Keyset(date, str))]


class Body(BaseModel):
    """Request bodies refuse fields they do not know, so a misspelt field is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class RetentionRuleBody(Body):
    record: RecordKind = Field(description="the kind of record the rule is for")
    keep_for_years: int = Field(ge=1, le=MAX_YEARS, description="how long it is kept, in whole years")
    counted_from: CountedFrom = Field(description="the day the years are counted from")
    source: Title = Field(description="the law, guidance or council decision the rule comes from")


class RetentionScheduleBody(Body):
    effective_from: date = Field(description="the day this version comes into force")
    rules: list[RetentionRuleBody] = Field(
        min_length=1, max_length=len(RecordKind), description="one rule for each kind of record"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "effective_from": "2027-04-01",
                    "rules": [
                        {
                            "record": "looked_after_child",
                            "keep_for_years": 75,
                            "counted_from": "date_of_birth",
                            "source": "Care Planning, Placement and Case Review (England) Regulations "
                            "2010, reg. 50",
                        },
                        {
                            "record": "previously_looked_after_child",
                            "keep_for_years": 25,
                            "counted_from": "date_of_birth",
                            "source": "Council retention schedule 2027, section 4.2 (education records)",
                        },
                    ],
                }
            ]
        }
    }


class RetentionRulePublic(BaseModel):
    record: RecordKind
    keep_for_years: int
    counted_from: CountedFrom
    source: str


class RetentionSchedulePublic(BaseModel):
    effective_from: date | None = Field(
        description="the day the version comes into force; null for the default, in force before the "
        "council's first version"
    )
    rules: list[RetentionRulePublic]


class RetentionSchedulesPublic(BaseModel):
    """The council's retention schedule: the default, every version the council has set, and the
    one in force today."""

    version: int = Field(
        description="the schedule's version (also the ETag): send it as If-Match to set a version"
    )
    default: RetentionSchedulePublic
    versions: list[RetentionSchedulePublic] = Field(
        description="the council's versions, by the day each comes into force"
    )
    in_force_today: RetentionSchedulePublic


class DueForErasurePublic(BaseModel):
    child_id: str
    rule: RecordKind = Field(description="the retention rule the child's records are kept under")
    keep_for_years: int
    counted_from: CountedFrom
    due_on: date = Field(description="the day the records fell (or fall) due for erasure")
    under_legal_hold: bool = Field(description="a legal hold stops the erasure until it is lifted")
    legal_holds: list[str] = Field(description="the holds in force, by id")


class DueForErasure(Page[DueForErasurePublic]):
    """The children whose records are due for erasure on a day, by due date then child; children
    already erased are not listed. ``due`` and ``under_legal_hold`` count the whole list."""

    on: date
    schedule_effective_from: date | None = Field(
        description="the version of the schedule in force that day (null: the default)"
    )
    due: int = Field(description="children due, those under a legal hold included")
    under_legal_hold: int = Field(description="of those, the children a legal hold stops being erased")


class ReasonBody(Body):
    reason: Note = Field(
        description="why; recorded in the log for ever, so name no one and give no personal detail"
    )


class LegalHoldBody(ReasonBody):
    model_config = {
        "json_schema_extra": {
            "examples": [{"reason": "Claim 2026-0142 against the council: keep every record"}]
        }
    }


class LegalHoldLiftBody(ReasonBody):
    model_config = {
        "json_schema_extra": {"examples": [{"reason": "Claim 2026-0142 settled on 3 March 2027"}]}
    }


class ErasureBody(ReasonBody):
    rule: ErasureRule = Field(
        description="the retention rule that has fallen due, or erasure_request (UK GDPR Article 17)"
    )

    model_config = {
        "json_schema_extra": {
            "examples": [
                {"rule": "looked_after_child", "reason": "Retention period ended; reviewed on the due list"},
                {
                    "rule": "erasure_request",
                    "reason": "Request DPO-2026-031: consent withdrawn, no other ground",
                },
            ]
        }
    }


class LegalHoldPublic(BaseModel):
    hold_id: str
    in_force: bool
    placed_on: date
    placed_by: str
    reason: str
    lifted_on: date | None
    lifted_by: str | None
    lift_reason: str | None


class ErasurePublic(BaseModel):
    erased_on: date
    erased_by: str
    rule: str = Field(description="the retention rule that fell due, or erasure_request")
    reason: str
    key_destroyed_at: datetime | None = Field(
        description="when the child's key was destroyed; null for a moment after the erasure is recorded "
        "(the daily retention review destroys it if that step was interrupted)"
    )


class DataProtectionRecordPublic(BaseModel):
    """A child's data protection record: their legal holds and, once erased, the erasure."""

    child_id: str
    stream_id: str
    version: int = Field(description="the record's version (also the ETag)")
    under_legal_hold: bool
    legal_holds: list[LegalHoldPublic] = Field(description="in the order placed")
    erasure: ErasurePublic | None


class LegalHoldPlacedPublic(DataProtectionRecordPublic):
    hold_id: str = Field(description="the hold just placed (on a retried request, the one the first placed)")


# -- subject access ---------------------------------------------------------------------------


class RecordedBy(BaseModel):
    actor: str | None = Field(description="who recorded it (the token's subject), or the service itself")
    role: str | None
    service: str | None = Field(description="the service it was recorded through")


class SubjectAccessEvent(BaseModel):
    position: int = Field(description="the event's place in the whole log")
    stream_id: str
    stream_version: int
    type: str
    schema_version: int
    effective_date: str = Field(description="when the fact took effect")
    recorded_at: str = Field(description="when the council recorded it")
    recorded_by: RecordedBy
    subjects: list[str] = Field(description="the child and the schools the event concerns")
    data: dict[str, Any] = Field(description="the event as recorded, personal fields opened")
    erased: list[str] = Field(description="personal fields erased (the child's key destroyed): null in data")
    other_children_withheld: int = Field(
        description="other children the event also concerns, whose identifiers are withheld"
    )


class SubjectAccessRecord(BaseModel):
    """One record a service holds about the child, folded from the log as /children/{child_id}/state
    folds it."""

    stream_id: str
    category: str
    service: str | None = None
    version: int | None = None
    last_position: int | None = None
    events_folded: int | None = None
    state: Any = Field(description="the record now, as the owning service folds it")
    replayable: bool
    reason: str | None = Field(default=None, description="why the record could not be folded, if not")
    erased: list[str] = Field(
        description="personal fields erased from the events this record is folded from: empty in the state"
    )


class SubjectAccessBulkRead(BaseModel):
    """A read of many events at once (a feed page, an export) whose answer included the child's."""

    id: int
    read_at: str
    actor: str
    role: str
    service: str
    route: str
    request_id: str | None
    first_position: int | None
    last_position: int | None
    events: int = Field(description="events returned, about this child and others")


class ProducedBy(BaseModel):
    actor: str
    role: str


class SubjectAccessNotifications(BaseModel):
    items: list[dict[str, Any]] = Field(description="notifications sent about the child")
    summary: str


class DataProtectionRecord(BaseModel):
    legal_holds: list[SubjectAccessEvent] = Field(description="legal holds placed and lifted")
    erasures: list[SubjectAccessEvent] = Field(description="erasures of the child's personal data")
    key_destroyed_at: str | None = Field(
        description="when the child's key was destroyed, after which their personal fields read as erased"
    )


class SubjectAccessReport(BaseModel):
    """Everything held about a child, for a subject access request (UK GDPR Article 15)."""

    child_id: str
    produced_at: str
    produced_by: ProducedBy
    log_position: int = Field(description="the report covers the log up to this position")
    records: list[SubjectAccessRecord]
    events: list[SubjectAccessEvent] = Field(
        description="every event about the child, in log order: the whole history, never paged"
    )
    record_reads: list[RecordReadPublic] = Field(description="each read of the child's record by a person")
    bulk_reads: list[SubjectAccessBulkRead]
    notifications: SubjectAccessNotifications
    data_protection: DataProtectionRecord
