"""Reading the log a page at a time: the feed, a stream, a child's or a school's timeline.

Every read is a keyset page (``WHERE key > $after ORDER BY key LIMIT n``), so the thousandth
page costs what the first one did, and an export of the whole log never holds more than a page.
The feed, the timelines and the exports order by global position; a stream by its version.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from shared.database import BIGINT_MAX
from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.privacy.sealing import reveal

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


def _page_sql(
    columns: str, selection: Selection, after: int, limit: int, up_to: int | None
) -> tuple[str, list]:
    args: list[Any] = [min(after, BIGINT_MAX), limit, up_to]
    conditions = [
        f"{selection.key} > $1::bigint",
        "($3::bigint IS NULL OR position <= $3)",
        *selection.conditions(args),
    ]
    sql = (
        f"SELECT {columns} FROM eventlog.events WHERE {' AND '.join(conditions)} "
        f"ORDER BY {selection.key} LIMIT $2"
    )
    return sql, args


async def read_page(
    pool: asyncpg.Pool, selection: Selection, *, after: int = 0, limit: int = 100, up_to: int | None = None
) -> list[RecordedEvent]:
    sql, args = _page_sql(EVENT_COLUMNS, selection, after, limit, up_to)
    return await reveal(pool, [record_from_row(r) for r in await pool.fetch(sql, *args)])


async def export_pages(
    pool: asyncpg.Pool, selection: Selection, *, up_to: int, after: int = 0, page_size: int = 2000
) -> AsyncIterator[Sequence[asyncpg.Record]]:
    """Every selected event up to ``up_to``, a page of raw rows at a time. Each page is its own
    short query, so a slow reader holds no transaction open and no snapshot back."""
    while True:
        sql, args = _page_sql(EXPORT_COLUMNS, selection, after, page_size, up_to)
        rows = await pool.fetch(sql, *args)
        if not rows:
            return
        yield rows
        if len(rows) < page_size:
            return
        after = rows[-1][selection.key]


async def head_position(pool: asyncpg.Pool) -> int:
    return int(await pool.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events"))


async def children_concerned(
    pool: asyncpg.Pool, selection: Selection, *, up_to: int | None = None
) -> list[str]:
    """The children whose events a selection returns: each is recorded as read by a person."""
    args: list[Any] = [up_to]
    conditions = ["($1::bigint IS NULL OR position <= $1)", *selection.conditions(args)]
    rows = await pool.fetch(
        "SELECT DISTINCT substr(s.subject, 7) AS child_id FROM eventlog.events, "
        "unnest(subjects) AS s(subject) "
        f"WHERE s.subject LIKE 'child:%' AND {' AND '.join(conditions)} ORDER BY 1",
        *args,
    )
    return [r["child_id"] for r in rows]
