"""The notices service's own streams, folded into one row each, with their pending deadlines.

* ``notices.notices``          one row per warning notice (``notice-<id>``);
* ``notices.interventions``    one row per school's intervention (``intervention-<urn>``);
* ``notices.directions``       one row per Secretary of State's direction (``direction-<id>``);
* ``notices.academy_concerns`` one row per academy written to (``academyconcern-<urn>``);
* ``notices.deadlines``        every deadline still to fire, with the day it is due and the day
  it fires - the scheduler's work list and the "upcoming deadlines" query.

Each row keeps the folded state (as the domain folds it) beside the columns the queries filter on,
and the stream version and log position it reflects. Rebuilt from the log, the rows are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import asyncpg

from shared.events import EventCatalogue
from shared.eventlog.records import RecordedEvent
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
        case_file = CASE_FILES.get(record.category)
        if case_file is None:
            return
        key = record.stream_id.split("-", 1)[1]
        table = f"notices.{case_file.table}"
        stored = await conn.fetchval(f"SELECT state FROM {table} WHERE {case_file.key} = $1 FOR UPDATE", key)
        stream = case_file.stream
        state = state_from_json(type(stream.initial), stored) if stored is not None else stream.initial
        event = self._catalogue.decode_record(record)
        state = stream.evolve(state, event)
        row = {
            case_file.key: key,
            **case_file.columns(state),
            "version": record.stream_version,
            "position": record.position,
            "state": state_to_json(state),
        }
        names = list(row)
        await conn.execute(
            f"INSERT INTO {table} ({', '.join(names)}) "
            f"VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))}) "
            f"ON CONFLICT ({case_file.key}) DO UPDATE SET "
            + ", ".join(f"{n} = EXCLUDED.{n}" for n in names[1:]),
            *row.values(),
        )
        if stream.pending_deadlines is not None:
            await _replace_deadlines(conn, record.stream_id, stream.pending_deadlines(state))


async def _replace_deadlines(conn: asyncpg.Connection, stream_id: str, pending: list[Deadline]) -> None:
    await conn.execute("DELETE FROM notices.deadlines WHERE stream_id = $1", stream_id)
    if not pending:
        return
    await conn.executemany(
        "INSERT INTO notices.deadlines (stream_id, kind, reference, urn, due_on, fires_on, description) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [(stream_id, d.kind.value, d.reference, d.urn, d.due_on, d.fires_on, d.description) for d in pending],
    )
