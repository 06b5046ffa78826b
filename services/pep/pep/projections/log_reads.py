"""Reading the log from inside a projection or policy, up to the event being applied, so what it
works out is what was known at that point (and a rebuild works out the same).

Part of the projections package because a projection may import nothing outside ``domain`` and
its own package; the school-concern policy and the deadline job read the log the same way and
import it from here."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import asyncpg

from shared.council_calendar import CALENDAR_STREAM
from shared.eventlog.records import RecordedEvent
from shared.eventlog.store import EVENT_COLUMNS, record_from_row
from shared.events import Event, EventCatalogue, child_subject, school_subject
from shared.privacy.events import privacy_stream
from shared.privacy.sealing import read_as_needed

from pep.domain import children, council_config, peps, personal_data
from pep.domain.streams import child_stream, council_config_stream, pep_stream


async def stream_events(
    conn: asyncpg.Connection,
    catalogue: EventCatalogue,
    stream_ids: Sequence[str],
    up_to_position: int,
    *,
    personal_data: bool = True,
) -> list[tuple[RecordedEvent, Event]]:
    """The streams' events up to a position; their personal fields opened only for a reader whose
    work needs them (``personal_data``), otherwise read as unknown."""
    rows = await conn.fetch(
        f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE stream_id = ANY($1::text[]) AND position <= $2 "
        "ORDER BY position",
        list(stream_ids),
        up_to_position,
    )
    records = await read_as_needed(conn, [record_from_row(row) for row in rows], personal_data=personal_data)
    return [(r, catalogue.decode_record(r)) for r in records]


async def child_and_peps(
    conn: asyncpg.Connection, catalogue: EventCatalogue, child_id: str, up_to_position: int
) -> tuple[children.ChildState, peps.PepState, list[Event]]:
    """The child and their PEPs as of a position, and the PEP stream's events (for overdue dates)."""
    return (await children_and_peps(conn, catalogue, [child_id], up_to_position))[child_id]


async def children_and_peps(
    conn: asyncpg.Connection,
    catalogue: EventCatalogue,
    child_ids: Sequence[str],
    up_to_position: int,
    *,
    personal_data: bool = True,
) -> dict[str, tuple[children.ChildState, peps.PepState, list[Event]]]:
    """``child_and_peps`` of each child, read in one query."""
    streams = {child_stream(c): c for c in child_ids} | {pep_stream(c): c for c in child_ids}
    child_events: dict[str, list[Event]] = {c: [] for c in child_ids}
    pep_events: dict[str, list[Event]] = {c: [] for c in child_ids}
    for record, event in await stream_events(
        conn, catalogue, list(streams), up_to_position, personal_data=personal_data
    ):
        child_id = streams[record.stream_id]
        mine = child_events if record.stream_id == child_stream(child_id) else pep_events
        mine[child_id].append(event)
    return {
        c: (children.fold(child_events[c]), peps.fold(pep_events[c]), pep_events[c]) for c in child_ids
    }


async def stream_versions(
    conn: asyncpg.Connection, stream_ids: Sequence[str], up_to_position: int
) -> dict[str, int]:
    """Each stream's version as of a position (the version of its last event by then); a stream
    with no event by then is left out."""
    rows = await conn.fetch(
        "SELECT s.stream_id, (SELECT e.stream_version FROM eventlog.events e "
        "  WHERE e.stream_id = s.stream_id AND e.position <= $2 ORDER BY e.stream_version DESC LIMIT 1) AS version "
        "FROM unnest($1::text[]) AS s(stream_id)",
        list(stream_ids),
        up_to_position,
    )
    return {row["stream_id"]: row["version"] for row in rows if row["version"] is not None}


async def child_as_of(
    conn: asyncpg.Connection, catalogue: EventCatalogue, child_id: str, up_to_position: int
) -> children.ChildState:
    events = await stream_events(conn, catalogue, [child_stream(child_id)], up_to_position)
    return children.fold([event for _record, event in events])


async def personal_data_erased_on(
    conn: asyncpg.Connection, catalogue: EventCatalogue, child_id: str, up_to_position: int
) -> date | None:
    """The day the child's personal data was erased, if the erasure was recorded by that position."""
    return (await personal_data_erased_on_each(conn, catalogue, [child_id], up_to_position))[child_id]


async def personal_data_erased_on_each(
    conn: asyncpg.Connection, catalogue: EventCatalogue, child_ids: Sequence[str], up_to_position: int
) -> dict[str, date | None]:
    """``personal_data_erased_on`` of each child, read in one query."""
    streams = {privacy_stream(child_subject(child_id)): child_id for child_id in child_ids}
    erased_on: dict[str, date | None] = dict.fromkeys(child_ids)
    for record, event in await stream_events(conn, catalogue, list(streams), up_to_position):
        child_id = streams[record.stream_id]
        erased_on[child_id] = personal_data.erased_on(erased_on[child_id], event)
    return erased_on


async def council_settings(
    conn: asyncpg.Connection, catalogue: EventCatalogue, up_to_position: int
) -> council_config.CouncilConfig:
    """The PEP settings and the council calendar, as they stood at that position."""
    events = await stream_events(conn, catalogue, [council_config_stream(), CALENDAR_STREAM], up_to_position)
    return council_config.fold([event for _record, event in events])


async def children_ever_in_care(
    db: asyncpg.Connection | asyncpg.Pool, up_to_position: int | None = None
) -> list[str]:
    """Every child who has entered care (by that position), whatever has happened since."""
    rows = await db.fetch(
        "SELECT DISTINCT data->>'child_id' AS child_id FROM eventlog.events "
        "WHERE event_type = 'ChildEnteredCare' AND ($1::bigint IS NULL OR position <= $1)",
        up_to_position,
    )
    return sorted(row["child_id"] for row in rows)


async def children_ever_at_school(conn: asyncpg.Connection, urn: str, up_to_position: int) -> list[str]:
    """Children whose own stream names the school (placed, moved, left its roll) by that position."""
    rows = await conn.fetch(
        "SELECT DISTINCT stream_id FROM eventlog.events "
        "WHERE subjects @> ARRAY[$1::text] AND split_part(stream_id, '-', 1) = 'child' AND position <= $2",
        school_subject(urn),
        up_to_position,
    )
    return sorted(row["stream_id"].split("-", 1)[1] for row in rows)
