"""School profiles: one row per school with its register entry, latest Ofsted judgement, the
council's category, the flags its results raised, and the version of each of its streams.

The list of schools, its filters and the council dashboard read this table; ``at_risk`` is a
column PostgreSQL derives from the others; ``good_or_better`` is the latest graded inspection's,
as the council's policy in force on its date judged it.

Each event's stream is folded with the domain's own ``evolve`` up to that event, and the columns
that stream owns are written from the folded state: the register entry from ``register``, the
latest graded inspection and whether the school is stuck from ``inspections``, the category and
any pending proposal from ``categorisation``, the results, floor outcomes, trends and the flags
they raise from ``performance``, the RISE engagements from ``rise``. What a fold does not keep -
the day a school was registered, an inspection's own grades, the successor a closure names - is
copied from the event that states it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import Enum
from typing import Any

import asyncpg

from schools.domain.catalogue import SCHOOLS_EVENT_TYPES
from schools.domain.categorisation import Categorisation
from schools.domain.inspections import (
    Inspection,
    InspectionHistory,
    InspectionRecorded,
    SchoolIdentifiedAsStuck,
)
from schools.domain.performance import PerformanceRecord
from schools.domain.register import (
    DETAIL_FIELDS,
    School,
    SchoolClosed,
    SchoolConvertedToAcademy,
    SchoolRegistered,
)
from schools.domain.rise import RiseRecord
from schools.projections.folds import Step, school_folds
from shared.eventlog.records import RecordedEvent, stream_category
from shared.events import EventCatalogue

PROFILES = "schools.school_profiles"
INSPECTIONS = "schools.school_inspections"


class SchoolProfiles:
    name = "schools.profiles"
    schema = "schools"
    tables = ("school_profiles", "school_inspections")
    event_types = frozenset(cls.event_type for cls in SCHOOLS_EVENT_TYPES)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._folds = school_folds(catalogue)

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        await self.apply_batch(conn, [record])

    async def apply_batch(self, conn: asyncpg.Connection, records: Sequence[RecordedEvent]) -> None:
        """Fold each event in turn, then write each school's profile and each inspection the
        events changed once, as the last of them left it."""
        changes = _Changes()
        for record in records:
            category = stream_category(record.stream_id)
            writer = _WRITERS.get(category)
            if writer is not None:
                step = await self._folds.step(conn, record)
                urn = step.event.urn  # type: ignore[attr-defined]
                writer(changes, urn, step, record)
            else:
                urn = self._folds.decode(record).urn  # type: ignore[attr-defined]
            changes.stream_version(urn, category, record.stream_version)
        await changes.write(conn)


class _Changes:
    """What a batch of events does to the profiles and inspections, each row's columns merged in
    the order the events set them, so each row is written once. A row is changed only if it
    exists (an update of a school or inspection not yet recorded changes nothing, as an UPDATE
    would), and one inserted by the batch takes the later changes with it."""

    def __init__(self) -> None:
        self.profiles = _Rows(PROFILES, ("urn",))
        self.inspections = _Rows(INSPECTIONS, ("urn", "inspection_id"))

    def stream_version(self, urn: str, category: str, version: int) -> None:
        self.profiles.merge_versions((urn,), {category: version})

    async def write(self, conn: asyncpg.Connection) -> None:
        await self.profiles.write(conn)
        await self.inspections.write(conn)


class _Rows:
    def __init__(self, table: str, key: tuple[str, ...]) -> None:
        self.table = table
        self.key = key
        self.inserted: dict[tuple, dict[str, Any]] = {}
        self.updated: dict[tuple, dict[str, Any]] = {}
        self.versions: dict[tuple, dict[str, int]] = {}

    def insert(self, key: tuple, values: dict[str, Any]) -> None:
        # Changes made before the row existed changed nothing.
        self.updated.pop(key, None)
        self.versions.pop(key, None)
        self.inserted[key] = dict(zip(self.key, key)) | {n: _column(v) for n, v in values.items()}

    def update(self, key: tuple, changes: dict[str, Any]) -> None:
        target = self.inserted.get(key)
        if target is None:
            target = self.updated.setdefault(key, {})
        target.update({n: _column(v) for n, v in changes.items()})

    def merge_versions(self, key: tuple, versions: dict[str, int]) -> None:
        self.versions.setdefault(key, {}).update(versions)

    async def write(self, conn: asyncpg.Connection) -> None:
        by_columns: dict[tuple[str, ...], list[tuple]] = {}
        for values in self.inserted.values():
            by_columns.setdefault(tuple(values), []).append(tuple(values.values()))
        for names, rows in by_columns.items():
            await conn.executemany(
                f"INSERT INTO {self.table} ({', '.join(names)}) "
                f"VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))})",
                rows,
            )
        by_columns = {}
        for key in self.updated.keys() | self.versions.keys():
            changes = self.updated.get(key, {})
            versions = self.versions.get(key)
            names = tuple(changes) + (("versions",) if versions else ())
            values = tuple(changes.values()) + ((json.dumps(versions),) if versions else ())
            by_columns.setdefault(names, []).append(key + values)
        where = " AND ".join(f"{name} = ${i}" for i, name in enumerate(self.key, start=1))
        for names, rows in by_columns.items():
            first = len(self.key) + 1
            assignments = ", ".join(
                f"versions = versions || ${i}::text::jsonb" if name == "versions" else f"{name} = ${i}"
                for i, name in enumerate(names, start=first)
            )
            await conn.executemany(f"UPDATE {self.table} SET {assignments} WHERE {where}", rows)


# ---------------------------------------------------------------------------------------------
# The register entry
# ---------------------------------------------------------------------------------------------


def _write_register(changes: _Changes, urn: str, step: Step, record: RecordedEvent) -> None:
    school: School = step.after
    event = step.event
    if not school.exists:
        return
    columns = _register_columns(school)
    if isinstance(event, SchoolRegistered):
        changes.profiles.insert((urn,), columns | {"registered_on": event.registered_on})
        return
    if isinstance(event, SchoolConvertedToAcademy):
        columns["successor_urn"] = school.successor_urn
    elif isinstance(event, SchoolClosed) and event.successor_urn:
        columns["successor_urn"] = (
            event.successor_urn
        )  # the academy that replaced it, as the closure names it
    changes.profiles.update((urn,), columns)


def _register_columns(school: School) -> dict[str, Any]:
    """The register entry as the fold has it (the school exists)."""
    details = school.details
    return {name: getattr(details, name) for name in DETAIL_FIELDS} | {  # type: ignore[union-attr]
        "status": school.status,
        "closed_on": school.closed_on,
        "predecessor_urn": school.predecessor_urn,
    }


# ---------------------------------------------------------------------------------------------
# Inspections
# ---------------------------------------------------------------------------------------------


def _write_inspections(changes: _Changes, urn: str, step: Step, record: RecordedEvent) -> None:
    history: InspectionHistory = step.after
    event = step.event
    inspection_id = (
        event.later_inspection_id if isinstance(event, SchoolIdentifiedAsStuck) else event.inspection_id  # type: ignore[attr-defined]
    )
    inspection = history.find(inspection_id)
    if inspection is None:
        return
    columns = _inspection_columns(inspection)
    if isinstance(event, InspectionRecorded):
        changes.inspections.insert(
            (urn, inspection_id),
            columns
            | {
                "overall_effectiveness": event.overall_effectiveness,
                "judgements": dict(event.judgements),
                "safeguarding": event.safeguarding,
                "concern_policy_from": event.concern_policy_from,
                "recorded_position": record.position,
            },
        )
    else:
        if isinstance(event, SchoolIdentifiedAsStuck):
            columns["stuck_since_inspection"] = event.earlier_inspection_id
            columns["stuck_rule"] = event.rule
        changes.inspections.update((urn, inspection_id), columns)
    latest = history.latest_graded()
    if latest is not None:
        changes.profiles.update((urn,), _latest_inspection_columns(latest) | {"stuck": history.is_stuck()})


def _inspection_columns(inspection: Inspection) -> dict[str, Any]:
    return {
        "inspected_on": inspection.inspected_on,
        "inspection_type": inspection.inspection_type,
        "framework": inspection.framework,
        "category_of_concern": inspection.category_of_concern,
        "headline_judgement": inspection.headline.grade if inspection.headline else None,
        "below_good": inspection.below_good,
        "good_or_better": inspection.good_or_better,
        "published_on": inspection.published_on,
    }


def _latest_inspection_columns(latest: Inspection) -> dict[str, Any]:
    """The latest graded inspection by date (ungraded and monitoring visits leave it standing)."""
    return {
        "latest_inspection_id": latest.inspection_id,
        "latest_inspected_on": latest.inspected_on,
        "latest_framework": latest.framework,
        "latest_judgement": latest.headline.grade if latest.headline else None,
        "latest_category_of_concern": latest.category_of_concern,
        "latest_below_good": latest.below_good,
        "good_or_better": latest.good_or_better,
    }


# ---------------------------------------------------------------------------------------------
# The council's category
# ---------------------------------------------------------------------------------------------


def _write_categorisation(changes: _Changes, urn: str, step: Step, record: RecordedEvent) -> None:
    state: Categorisation = step.after
    current, pending = state.current, state.pending
    changes.profiles.update(
        (urn,),
        {
            "category": current.category if current else None,
            "categorised_on": current.categorised_on if current else None,
            "review_cycle": current.review_cycle if current else None,
            "pending_proposal": (
                {
                    "proposal_id": pending.proposal_id,
                    "category": pending.category.value,
                    "reasons": list(pending.reasons),
                    "proposed_by": pending.proposed_by,
                    "proposed_on": pending.proposed_on.isoformat(),
                    "review_cycle": pending.review_cycle,
                }
                if pending
                else None
            ),
        },
    )


# ---------------------------------------------------------------------------------------------
# Results and the flags they raise
# ---------------------------------------------------------------------------------------------


def _write_performance(changes: _Changes, urn: str, step: Step, record: RecordedEvent) -> None:
    performance: PerformanceRecord = step.after
    results: dict[str, dict[str, Any]] = {}
    for (year, key_stage), measures in performance.results.items():
        results.setdefault(key_stage.value, {})[str(year)] = {name: str(v) for name, v in measures.items()}
    floors: dict[str, dict[str, bool]] = {}
    for (year, key_stage), below in performance.below_floor.items():
        floors.setdefault(key_stage.value, {})[str(year)] = below
    trends = {
        key_stage.value: {
            "measure": trend.measure,
            "years": list(trend.years),
            "values": [str(v) for v in trend.values],
        }
        for key_stage, trend in performance.trends.items()
    }
    changes.profiles.update(
        (urn,),
        {
            "results": results,
            "floor_outcomes": floors,
            "downward_trends": trends,
            "below_floor": performance.is_below_floor(),
            "downward_trend": performance.has_current_downward_trend(),
        },
    )


# ---------------------------------------------------------------------------------------------
# Work with the DfE's RISE team
# ---------------------------------------------------------------------------------------------


def _write_rise(changes: _Changes, urn: str, step: Step, record: RecordedEvent) -> None:
    rise: RiseRecord = step.after
    changes.profiles.update(
        (urn,),
        {
            "rise_engagements": [
                {
                    "engagement_id": e.engagement_id,
                    "adviser": e.adviser,
                    "started_on": e.started_on.isoformat(),
                    "planned_end_on": e.planned_end_on.isoformat(),
                    "plan": e.plan,
                    "amount_pence": e.amount_pence,
                    "ended_on": e.ended_on.isoformat() if e.ended_on else None,
                    "outcome": e.outcome.value if e.outcome else None,
                    "summary": e.summary,
                }
                for e in reversed(rise.engagements)  # the latest first, as the profile lists them
            ]
        },
    )


_WRITERS = {
    "school": _write_register,
    "inspections": _write_inspections,
    "categorisation": _write_categorisation,
    "performance": _write_performance,
    "rise": _write_rise,
}
"""The streams whose folded state the profile shows; the others only move its ``versions``."""


def _column(value: Any) -> Any:
    """Enums are stored by their value; everything else as asyncpg takes it."""
    return value.value if isinstance(value, Enum) else value
