"""Children, their care episodes and their school places (``pep.children``, ``pep.care_episodes``,
``pep.school_places``): who is looked after, and who is on which school's roll on any date.

Every row is written from the child as the domain folds them (``children.evolve``): the care
status, the current episode and school place, the wait for a place and the school days lost, the
details as last corrected. Each event of a child's stream rewrites the child's row and the rows of
the episodes and places it changed.

Once the child's personal data is erased (``PersonalDataErased`` in ``privacy-child:<id>``) the
row keeps none of it: the erasure rewrites it without the personal details and with the day they
were erased, and so does every later event of the child's, whether or not the child's key is
destroyed yet (the erasure records the event first, then destroys the key).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import asyncpg

from shared.eventlog.folds import FoldStep, StreamFolds, write_row, write_rows
from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue
from shared.privacy.events import PersonalDataErased

from pep.domain import children
from pep.domain.child_events import CHILD_EVENTS
from pep.domain.children import ChildState
from pep.domain.personal_data import erased_child
from pep.domain.streams import CHILD, child_stream

from .log_reads import child_as_of, personal_data_erased_on, personal_data_erased_on_each


class ChildrenProjection:
    name = "pep-children"
    schema = "pep"
    tables = ("children", "care_episodes", "school_places")
    event_types = frozenset(cls.event_type for cls in CHILD_EVENTS) | {PersonalDataErased.event_type}

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue
        self._folds = StreamFolds(catalogue, {CHILD: (children.NO_CHILD, children.evolve)})

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        await self.apply_batch(conn, [record])

    async def apply_batch(self, conn: asyncpg.Connection, records: Sequence[RecordedEvent]) -> None:
        """Fold each child's events in turn, and write each row they changed once, as the last
        of them left it; an erasure first writes what came before it, and is applied on its own."""
        steps: list[FoldStep] = []
        for record in records:
            if self._folds.folds(record):
                steps.append(await self._folds.step(conn, record))
            else:
                await self._write(conn, steps)
                steps = []
                await self._erase(conn, record)
        await self._write(conn, steps)

    async def _write(self, conn: asyncpg.Connection, steps: Sequence[FoldStep]) -> None:
        if not steps:
            return
        # No erasure among the steps (each comes on its own), so each child's is as of the last.
        erased = await personal_data_erased_on_each(
            conn, self._catalogue, list(dict.fromkeys(s.after.child_id for s in steps)), steps[-1].record.position
        )
        children_rows: dict[str, dict[str, Any]] = {}
        episodes: dict[tuple, dict[str, Any]] = {}
        places: dict[tuple, dict[str, Any]] = {}
        for step in steps:
            child: ChildState = step.after
            assert child.child_id is not None
            children_rows[child.child_id] = _child_record(child, step.record.stream_version, erased[child.child_id])
            for episode in _changed(step.before.episodes, child.episodes):
                episodes[(child.child_id, episode.entered_on)] = {
                    "child_id": child.child_id,
                    "entered_on": episode.entered_on,
                    "left_on": episode.left_on,
                    "left_reason": episode.left_reason.value if episode.left_reason else None,
                }
            for placement in _changed(step.before.placements, child.placements):
                places[(child.child_id, placement.start_date)] = {
                    "child_id": child.child_id,
                    "urn": placement.urn,
                    "start_date": placement.start_date,
                    "end_date": placement.end_date,
                }
        await write_rows(conn, "pep.children", children_rows.values(), key=("child_id",))
        await write_rows(conn, "pep.care_episodes", episodes.values(), key=("child_id", "entered_on"))
        await write_rows(conn, "pep.school_places", places.values(), key=("child_id", "start_date"))

    async def _erase(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        """The child's row rewritten without their personal details, and the state kept of their
        stream (which holds them) forgotten."""
        child_id = erased_child(self._catalogue.decode_record(record))
        if child_id is None:
            return
        self._folds.forget(child_stream(child_id))
        version = await conn.fetchval("SELECT stream_version FROM pep.children WHERE child_id = $1", child_id)
        if version is None:
            return  # nothing recorded of the child yet, so nothing to clear
        child = await child_as_of(conn, self._catalogue, child_id, record.position)
        erased_on = await personal_data_erased_on(conn, self._catalogue, child_id, record.position)
        await _write_child(conn, child, version, erased_on)


async def _write_child(
    conn: asyncpg.Connection, child: ChildState, version: int, erased_on: date | None
) -> None:
    await write_row(conn, "pep.children", _child_record(child, version, erased_on), key=("child_id",))


def _child_record(child: ChildState, version: int, erased_on: date | None) -> dict[str, Any]:
    shown = children.without_personal_details(child) if erased_on is not None else child
    return {**_child_row(shown, version), "personal_data_erased_on": erased_on}


def _changed(before: Sequence[Any], after: Sequence[Any]) -> list[Any]:
    """The items of a history the event added or changed (the fold shares the others)."""
    return [item for index, item in enumerate(after) if index >= len(before) or item is not before[index]]


def _child_row(child: ChildState, version: int) -> dict[str, Any]:
    episode = child.episodes[-1] if child.episodes else None
    placement = child.current_placement
    return {
        "child_id": child.child_id,
        "name": child.name,
        "date_of_birth": child.date_of_birth,
        "care_status": child.status.value,
        "legal_status": child.legal_status.value if child.legal_status else None,
        # a child registered as previously looked after has no placing authority of the council's:
        # the row shows who looked after them
        "placing_authority": child.placing_authority or child.previously_looked_after_by,
        "social_worker": child.social_worker or None,
        "carer": child.carer or None,
        "independent_reviewing_officer": child.independent_reviewing_officer or None,
        "sen_status": child.sen_status.value,
        "year_group": child.year_group.value if child.year_group else None,
        "entered_care_on": episode.entered_on if episode else None,
        "left_care_on": episode.left_on if episode else child.previously_left_care_on,
        "current_urn": placement.urn if placement else None,
        "on_roll_since": placement.start_date if placement else None,
        "awaiting_place_since": child.awaiting_place_since,
        "school_days_lost": child.school_days_lost,
        "stream_version": version,
    }

