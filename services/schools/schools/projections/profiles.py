"""School profiles: one row per school with its register entry, latest Ofsted judgement, the
council's category, the flags its results raised, and the version of each of its streams.

The list of schools, its filters and the council dashboard read this table; ``at_risk`` and
``good_or_better`` are columns PostgreSQL derives from the others.

Each event's stream is folded with the domain's own ``evolve`` up to that event, and the columns
that stream owns are written from the folded state: the register entry from ``register``, the
latest graded inspection and whether the school is stuck from ``inspections``, the category and
any pending proposal from ``categorisation``, the results, floor outcomes, trends and the flags
they raise from ``performance``. What a fold does not keep - the day a school was registered, an
inspection's own grades, the successor a closure names - is copied from the event that states it.
"""

from __future__ import annotations

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
        category = stream_category(record.stream_id)
        writer = _WRITERS.get(category)
        if writer is not None:
            step = await self._folds.step(conn, record)
            urn = step.event.urn  # type: ignore[attr-defined]
            await writer(conn, urn, step, record)
        else:
            urn = self._folds.decode(record).urn  # type: ignore[attr-defined]
        await conn.execute(
            f"UPDATE {PROFILES} SET versions = versions || jsonb_build_object($2::text, $3::int) WHERE urn = $1",
            urn,
            category,
            record.stream_version,
        )


# ---------------------------------------------------------------------------------------------
# The register entry
# ---------------------------------------------------------------------------------------------


async def _write_register(conn: asyncpg.Connection, urn: str, step: Step, record: RecordedEvent) -> None:
    school: School = step.after
    event = step.event
    if not school.exists:
        return
    columns = _register_columns(school)
    if isinstance(event, SchoolRegistered):
        values = {"urn": urn} | columns | {"registered_on": event.registered_on}
        names = list(values)
        placeholders = ", ".join(f"${i}" for i in range(1, len(names) + 1))
        await conn.execute(
            f"INSERT INTO {PROFILES} ({', '.join(names)}) VALUES ({placeholders})",
            *(_column(v) for v in values.values()),
        )
        return
    if isinstance(event, SchoolConvertedToAcademy):
        columns["successor_urn"] = school.successor_urn
    elif isinstance(event, SchoolClosed) and event.successor_urn:
        columns["successor_urn"] = (
            event.successor_urn
        )  # the academy that replaced it, as the closure names it
    await _set(conn, urn, columns)


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


async def _write_inspections(conn: asyncpg.Connection, urn: str, step: Step, record: RecordedEvent) -> None:
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
        values = (
            {"urn": urn, "inspection_id": inspection_id}
            | columns
            | {
                "overall_effectiveness": event.overall_effectiveness,
                "judgements": dict(event.judgements),
                "safeguarding": event.safeguarding,
                "recorded_position": record.position,
            }
        )
        names = list(values)
        await conn.execute(
            f"INSERT INTO {INSPECTIONS} ({', '.join(names)}) "
            f"VALUES ({', '.join(f'${i}' for i in range(1, len(names) + 1))})",
            *(_column(v) for v in values.values()),
        )
    else:
        if isinstance(event, SchoolIdentifiedAsStuck):
            columns["stuck_since_inspection"] = event.earlier_inspection_id
        await conn.execute(
            f"UPDATE {INSPECTIONS} SET "
            + ", ".join(f"{name} = ${i}" for i, name in enumerate(columns, start=3))
            + " WHERE urn = $1 AND inspection_id = $2",
            urn,
            inspection_id,
            *(_column(v) for v in columns.values()),
        )
    latest = history.latest_graded()
    if latest is not None:
        await _set(conn, urn, _latest_inspection_columns(latest) | {"stuck": history.is_stuck()})


def _inspection_columns(inspection: Inspection) -> dict[str, Any]:
    return {
        "inspected_on": inspection.inspected_on,
        "inspection_type": inspection.inspection_type,
        "framework": inspection.framework,
        "category_of_concern": inspection.category_of_concern,
        "headline_judgement": inspection.headline.grade if inspection.headline else None,
        "below_good": inspection.below_good,
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
    }


# ---------------------------------------------------------------------------------------------
# The council's category
# ---------------------------------------------------------------------------------------------


async def _write_categorisation(
    conn: asyncpg.Connection, urn: str, step: Step, record: RecordedEvent
) -> None:
    state: Categorisation = step.after
    current, pending = state.current, state.pending
    await _set(
        conn,
        urn,
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


async def _write_performance(conn: asyncpg.Connection, urn: str, step: Step, record: RecordedEvent) -> None:
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
    await _set(
        conn,
        urn,
        {
            "results": results,
            "floor_outcomes": floors,
            "downward_trends": trends,
            "below_floor": performance.is_below_floor(),
            "downward_trend": performance.has_current_downward_trend(),
        },
    )


_WRITERS = {
    "school": _write_register,
    "inspections": _write_inspections,
    "categorisation": _write_categorisation,
    "performance": _write_performance,
}
"""The streams whose folded state the profile shows; the others only move its ``versions``."""


async def _set(conn: asyncpg.Connection, urn: str, changes: dict[str, Any]) -> None:
    columns = list(changes)
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(columns, start=2))
    await conn.execute(
        f"UPDATE {PROFILES} SET {assignments} WHERE urn = $1", urn, *(_column(v) for v in changes.values())
    )


def _column(value: Any) -> Any:
    """Enums are stored by their value; everything else as asyncpg takes it."""
    return value.value if isinstance(value, Enum) else value
