"""Reading the log a page at a time: the feed, a stream, a child's or a school's timeline.

Every read is a keyset page (``WHERE key > $after ORDER BY key LIMIT n``), so the thousandth
page costs what the first one did, and an export of the whole log never holds more than a page.
The feed, the timelines and the exports order by global position; a stream by its version.

Personal fields are opened (one query for the keys of a page) only for a reader who is given
them; for anyone else the page stays as stored and its envelopes are withheld as it is shown.
An export writes rows as PostgreSQL holds them, and parses only the rows holding sealed fields.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from shared.database import BIGINT_MAX
from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.privacy.sealing import is_sealed, reveal

from event_log.queries.events import PersonalFields, children_in, shown
from event_log.queries.roll_periods import RollPeriod

# The same columns, with data and metadata left as the JSON text PostgreSQL holds: an export
# writes them out as they are instead of parsing and re-serialising a million documents.
EXPORT_COLUMNS = (
    "position, stream_id, stream_version, event_type, schema_version, data::text AS data, "
    "metadata::text AS metadata, effective_date, recorded_at, subjects, prev_hash, hash"
)


@dataclass(frozen=True)
class Selection:
    """Which events to read. At most one of ``stream_id``, ``child_id`` (with the child's roll
    periods) and ``subject`` narrows it; types and categories filter further."""

    event_types: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subject: str | None = None
    stream_id: str | None = None
    child_id: str | None = None
    roll_periods: tuple[RollPeriod, ...] = ()

    @property
    def key(self) -> str:
        return "stream_version" if self.stream_id is not None else "position"

    def conditions(self, args: list[Any]) -> list[str]:
        def arg(value: Any) -> str:
            args.append(value)
            return f"${len(args)}"

        sql: list[str] = []
        if self.event_types:
            sql.append(f"event_type = ANY({arg(list(self.event_types))}::text[])")
        if self.categories:
            sql.append(f"split_part(stream_id, '-', 1) = ANY({arg(list(self.categories))}::text[])")
        if self.subject is not None:
            sql.append(f"subjects @> ARRAY[{arg(self.subject)}::text]")
        if self.stream_id is not None:
            sql.append(f"stream_id = {arg(self.stream_id)}")
        if self.child_id is not None:
            sql.append(self._timeline_condition(arg))
        return sql

    def _timeline_condition(self, arg) -> str:
        """The child's own events, and the events of each school the child was on roll at, dated
        within that time on roll, that concern no child (another child's events are theirs)."""
        child = f"child:{self.child_id}"
        schools = [f"school:{p.urn}" for p in self.roll_periods]
        any_subject = arg([child, *schools])
        own = f"{arg(child)}::text = ANY(subjects)"
        if not self.roll_periods:
            return f"(subjects && {any_subject}::text[] AND {own})"
        urns = arg(schools)
        starts = arg([p.start for p in self.roll_periods])
        ends = arg([p.end for p in self.roll_periods])
        on_roll = (
            f"EXISTS (SELECT 1 FROM unnest({urns}::text[], {starts}::date[], {ends}::date[]) "
            "AS r(subject, starts, ends) WHERE r.subject = ANY(subjects) "
            "AND effective_date >= r.starts AND (r.ends IS NULL OR effective_date <= r.ends))"
        )
        no_child = "NOT EXISTS (SELECT 1 FROM unnest(subjects) AS s(subject) WHERE s.subject LIKE 'child:%')"
        return f"(subjects && {any_subject}::text[] AND ({own} OR ({on_roll} AND {no_child})))"


# The API takes any ``after`` (a position, or a stream version) from 0 up. Positions are bigints
# and versions integers; the page compares as bigint, and a number past the largest bigint would
# not fit the query's parameter (a server error). Nothing comes after the largest bigint either,
# so it reads as that: an empty page.


def _selected(selection: Selection, after: int, up_to: int | None, args: list[Any]) -> str:
    """The WHERE condition of the events a selection reads after ``after`` (its key) and up to
    the position ``up_to``; its arguments are appended to ``args``."""
    args += [min(after, BIGINT_MAX), up_to]
    first = len(args) - 1
    conditions = [
        f"{selection.key} > ${first}::bigint",
        f"(${first + 1}::bigint IS NULL OR position <= ${first + 1})",
        *selection.conditions(args),
    ]
    return " AND ".join(conditions)


def _page_sql(
    columns: str, selection: Selection, after: int, limit: int, up_to: int | None
) -> tuple[str, list]:
    args: list[Any] = [limit]
    where = _selected(selection, after, up_to, args)
    return f"SELECT {columns} FROM eventlog.events WHERE {where} ORDER BY {selection.key} LIMIT $1", args


async def read_page(
    pool: asyncpg.Pool,
    selection: Selection,
    *,
    after: int = 0,
    limit: int = 100,
    up_to: int | None = None,
    personal: PersonalFields = PersonalFields.OPENED,
) -> list[RecordedEvent]:
    """A page of the selected events: revealed, unless they are to be shown with their personal
    fields withheld or as stored, when no key is needed."""
    sql, args = _page_sql(EVENT_COLUMNS, selection, after, limit, up_to)
    records = [record_from_row(r) for r in await pool.fetch(sql, *args)]
    return await reveal(pool, records) if personal.needs_keys else records


@dataclass(frozen=True)
class EventsRead:
    """What an answer of events holds, for the record of who read what: how many events, the
    first and last of their positions (none when there are none) and the children they concern."""

    events: int
    first_position: int | None
    last_position: int | None
    child_ids: tuple[str, ...]

    @classmethod
    def of(cls, events: Sequence[RecordedEvent]) -> EventsRead:
        positions = [e.position for e in events]
        return cls(
            events=len(events),
            first_position=min(positions, default=None),
            last_position=max(positions, default=None),
            child_ids=tuple(children_in(events)),
        )


async def events_read(
    pool: asyncpg.Pool, selection: Selection, *, up_to: int | None, after: int = 0
) -> EventsRead:
    """What an export of the selection after ``after`` and up to ``up_to`` holds, before it is
    written: the log up to ``up_to`` never changes, so this is what the export will carry."""
    args: list[Any] = []
    where = _selected(selection, after, up_to, args)
    row = await pool.fetchrow(
        f"WITH selected AS MATERIALIZED (SELECT position, subjects FROM eventlog.events WHERE {where}) "
        "SELECT (SELECT count(*) FROM selected) AS events, "
        "(SELECT min(position) FROM selected) AS first_position, "
        "(SELECT max(position) FROM selected) AS last_position, "
        "ARRAY(SELECT DISTINCT substr(s.subject, 7) FROM selected, unnest(subjects) AS s(subject) "
        "WHERE s.subject LIKE 'child:%' ORDER BY 1) AS child_ids",
        *args,
    )
    return EventsRead(
        events=row["events"],
        first_position=row["first_position"],
        last_position=row["last_position"],
        child_ids=tuple(row["child_ids"]),
    )


async def export_pages(
    pool: asyncpg.Pool,
    selection: Selection,
    *,
    up_to: int,
    after: int = 0,
    personal: PersonalFields,
    page_size: int = 2000,
) -> AsyncIterator[Sequence[Mapping[str, Any]]]:
    """Every selected event up to ``up_to``, a page of rows at a time, personal fields in the form
    ``personal``. Each page is its own short query, so a slow reader holds no transaction open
    and no snapshot back."""
    while True:
        sql, args = _page_sql(EXPORT_COLUMNS, selection, after, page_size, up_to)
        rows = await pool.fetch(sql, *args)
        if not rows:
            return
        yield rows if personal is PersonalFields.STORED else await _presented(pool, rows, personal)
        if len(rows) < page_size:
            return
        after = rows[-1][selection.key]


# A row whose data has a key "sealed" holds it in its text exactly so (a quote inside a text
# value would be escaped); a row without it holds no envelope and is written as it came.
MAY_BE_SEALED = '"sealed"'


async def _presented(
    pool: asyncpg.Pool, rows: Sequence[asyncpg.Record], personal: PersonalFields
) -> list[Mapping[str, Any]]:
    """The export rows with their personal fields opened or withheld as a page shows them
    (``event_log.queries.events.shown``): data as JSON text, and the fields ``withheld`` or
    ``erased`` named beside it."""
    sealed: dict[int, RecordedEvent] = {}
    for index, row in enumerate(rows):
        if MAY_BE_SEALED in row["data"]:
            data = json.loads(row["data"])
            if any(is_sealed(value) for value in data.values()):
                sealed[index] = _record(row, data)
    if not sealed:
        return rows
    records = list(sealed.values())
    if personal.needs_keys:
        records = await reveal(pool, records)
    presented: list[Mapping[str, Any]] = list(rows)
    for index, record in zip(sealed, records, strict=True):
        body = shown(record, personal)
        presented[index] = {
            **dict(rows[index]),
            "data": json.dumps(body["data"], ensure_ascii=False),
            "withheld": body.get("withheld"),
            "erased": body.get("erased"),
        }
    return presented


def _record(row: asyncpg.Record, data: dict[str, Any]) -> RecordedEvent:
    return RecordedEvent(
        position=row["position"],
        stream_id=row["stream_id"],
        stream_version=row["stream_version"],
        event_type=row["event_type"],
        schema_version=row["schema_version"],
        data=data,
        metadata=json.loads(row["metadata"]),
        effective_date=row["effective_date"],
        recorded_at=row["recorded_at"],
        subjects=row["subjects"],
        prev_hash=row["prev_hash"],
        hash=row["hash"],
    )


async def head_position(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events"))


async def children_concerned(
    pool: asyncpg.Pool, selection: Selection, *, up_to: int | None = None
) -> list[str]:
    """The children whose events a selection returns: each is recorded as read by a person."""
    return list((await events_read(pool, selection, up_to=up_to)).child_ids)
