"""The notices service's own streams, folded into one row each, with their pending deadlines.

* ``notices.notices``          one row per warning notice (``notice-<id>``);
* ``notices.interventions``    one row per school's intervention (``intervention-<urn>``);
* ``notices.directions``       one row per Secretary of State's direction (``direction-<id>``);
* ``notices.academy_concerns`` one row per academy written to (``academyconcern-<urn>``);
* ``notices.deadlines``        every deadline still to fire, with the day it is due and the day
  it fires - the scheduler's work list and the "upcoming deadlines" query.

Each row keeps the folded state (as the domain folds it) beside the columns the queries filter on,
and the stream version and log position it reflects. Rebuilt from the log, the rows are the same.
A batch of events reads each case file it touches once and writes it once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg

from shared.events import EventCatalogue
from shared.eventlog.records import RecordedEvent, stream_category
from shared.jsonable import state_to_json
from notices.domain import direction, warning_notice
from notices.domain.catalogue import NOTICES_EVENTS
from notices.domain.deadlines import Deadline
from notices.domain.streams import STREAM_KINDS, StreamKind
from notices.projections.state_codec import state_from_json


@dataclass(frozen=True)
class CaseFile:
    table: str
    key: str
    stream: StreamKind
    columns: Callable[[Any], dict[str, Any]]


def _notice_columns(state: warning_notice.WarningNotice) -> dict[str, Any]:
    return {
        "urn": state.urn,
        "school_name": state.school_name,
        "stage": state.stage.value,
        "rules": state.rules,
        "direction_id": state.direction_id,
        "drafted_on": state.drafted_on,
        "given_on": state.given_on,
        "compliance_period_ends_on": state.compliance_period_ends_on,
    }


def _direction_columns(state: direction.Direction) -> dict[str, Any]:
    return {"urn": state.urn, "given_on": state.given_on, "response_due_on": state.response_due_on}


CASE_FILES: dict[str, CaseFile] = {
    "notice": CaseFile("notices", "notice_id", STREAM_KINDS["notice"], _notice_columns),
    "intervention": CaseFile("interventions", "urn", STREAM_KINDS["intervention"], lambda s: {}),
    "direction": CaseFile("directions", "direction_id", STREAM_KINDS["direction"], _direction_columns),
    "academyconcern": CaseFile(
        "academy_concerns",
        "urn",
        STREAM_KINDS["academyconcern"],
        lambda s: {"school_name": s.school_name, "trust_name": s.trust_name},
    ),
}


class CaseFilesProjection:
    name = "notices-case-files"
    schema = "notices"
    tables = ("notices", "interventions", "directions", "academy_concerns", "deadlines")
    event_types = frozenset(cls.event_type for cls in NOTICES_EVENTS)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        await self.apply_batch(conn, [record])

    async def apply_batch(self, conn: asyncpg.Connection, records: Sequence[RecordedEvent]) -> None:
        """Events in order: each case file they touch read once, its events folded on in order,
        and its row and pending deadlines written once, as the last of them left it."""
        touched: dict[str, list[RecordedEvent]] = {}  # by stream, in the order first touched
        for record in records:
            if record.category in CASE_FILES:
                touched.setdefault(record.stream_id, []).append(record)
        by_category: dict[str, list[str]] = {}
        for stream_id in touched:
            by_category.setdefault(stream_category(stream_id), []).append(stream_id)
        for category, stream_ids in by_category.items():
            case_file = CASE_FILES[category]
            stream = case_file.stream
            table = f"notices.{case_file.table}"
            keys = [stream_id.split("-", 1)[1] for stream_id in stream_ids]
            stored = {
                row["key"]: row["state"]
                for row in await conn.fetch(
                    f"SELECT {case_file.key} AS key, state FROM {table} WHERE {case_file.key} = ANY($1::text[]) "
                    "FOR UPDATE",
                    keys,
                )
            }
            rows, deadlines = [], {}
            for stream_id, key in zip(stream_ids, keys, strict=True):
                state = (
                    state_from_json(type(stream.initial), stored[key]) if key in stored else stream.initial
                )
                for record in touched[stream_id]:
                    state = stream.evolve(state, self._catalogue.decode_record(record))
                last = touched[stream_id][-1]
                rows.append(
                    {
                        case_file.key: key,
                        **case_file.columns(state),
                        "version": last.stream_version,
                        "position": last.position,
                        "state": state_to_json(state),
                    }
                )
                if stream.pending_deadlines is not None:
                    deadlines[stream_id] = stream.pending_deadlines(state)
            names = list(rows[0])
            await conn.executemany(
                f"INSERT INTO {table} ({', '.join(names)}) "
                f"VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))}) "
                f"ON CONFLICT ({case_file.key}) DO UPDATE SET "
                + ", ".join(f"{n} = EXCLUDED.{n}" for n in names[1:]),
                [tuple(row.values()) for row in rows],
            )
            if deadlines:
                await _replace_deadlines(conn, deadlines)


async def _replace_deadlines(conn: asyncpg.Connection, pending: dict[str, list[Deadline]]) -> None:
    """Each stream's deadlines still to fire, in place of those it had."""
    await conn.execute("DELETE FROM notices.deadlines WHERE stream_id = ANY($1::text[])", list(pending))
    rows = [
        (stream_id, d.kind.value, d.reference, d.urn, d.due_on, d.fires_on, d.description)
        for stream_id, deadlines in pending.items()
        for d in deadlines
    ]
    if rows:
        await conn.executemany(
            "INSERT INTO notices.deadlines (stream_id, kind, reference, urn, due_on, fires_on, description) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
            rows,
        )
