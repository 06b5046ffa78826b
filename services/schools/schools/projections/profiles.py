"""School profiles: one row per school with its register entry, latest Ofsted judgement, the
council's category, the flags its results raised, and the version of each of its streams.

The list of schools, its filters and the council dashboard read this table; ``at_risk`` and
``good_or_better`` are columns PostgreSQL derives from the others.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import asyncpg

from schools.domain.catalogue import SCHOOLS_EVENT_TYPES
from schools.domain.categorisation import CategoryProposalRejected, CategoryProposed, SchoolCategorised
from schools.domain.inspections import InspectionRecorded, InspectionReportPublished, SchoolIdentifiedAsStuck
from schools.domain.performance import (
    DownwardTrendIdentified,
    ResultsRecorded,
    SchoolAboveFloor,
    SchoolBelowFloor,
)
from schools.domain.register import (
    DETAIL_FIELDS,
    SchoolClosed,
    SchoolConvertedToAcademy,
    SchoolDetailsChanged,
    SchoolRegistered,
    SchoolStatusChanged,
)
from shared.eventlog.records import RecordedEvent, stream_category
from shared.events import Event, EventCatalogue

PROFILES = "schools.school_profiles"
INSPECTIONS = "schools.school_inspections"


class SchoolProfiles:
    name = "schools.profiles"
    schema = "schools"
    tables = ("school_profiles", "school_inspections")
    event_types = frozenset(cls.event_type for cls in SCHOOLS_EVENT_TYPES)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        event = self._catalogue.decode(record.event_type, record.schema_version, record.data)
        urn = event.urn  # type: ignore[attr-defined]
        await self._apply(conn, event, urn, record)
        await conn.execute(
            f"UPDATE {PROFILES} SET versions = versions || jsonb_build_object($2::text, $3::int) WHERE urn = $1",
            urn,
            stream_category(record.stream_id),
            record.stream_version,
        )

    async def _apply(self, conn: asyncpg.Connection, event: Event, urn: str, record: RecordedEvent) -> None:
        match event:
            case SchoolRegistered():
                await _register(conn, event)
            case SchoolDetailsChanged():
                await _set(conn, urn, {name: getattr(event, name) for name in DETAIL_FIELDS})
            case SchoolStatusChanged():
                await _set(conn, urn, {"status": event.status.value})
            case SchoolClosed():
                changes = {"status": event.status.value, "closed_on": event.closed_on}
                if event.successor_urn:
                    changes["successor_urn"] = event.successor_urn
                await _set(conn, urn, changes)
            case SchoolConvertedToAcademy():
                await _set(conn, urn, {"successor_urn": event.academy_urn})
            case InspectionRecorded():
                await _record_inspection(conn, event, record.position)
                await _refresh_latest_inspection(conn, urn)
            case InspectionReportPublished():
                await conn.execute(
                    f"UPDATE {INSPECTIONS} SET published_on = $3 WHERE urn = $1 AND inspection_id = $2",
                    urn,
                    event.inspection_id,
                    event.published_on,
                )
            case SchoolIdentifiedAsStuck():
                await conn.execute(
                    f"UPDATE {INSPECTIONS} SET stuck_since_inspection = $3 "
                    "WHERE urn = $1 AND inspection_id = $2",
                    urn,
                    event.later_inspection_id,
                    event.earlier_inspection_id,
                )
                await _refresh_latest_inspection(conn, urn)
            case CategoryProposed():
                await _set(conn, urn, {"pending_proposal": _proposal(event)})
            case SchoolCategorised():
                await _set(
                    conn,
                    urn,
                    {
                        "category": event.category.value,
                        "categorised_on": event.categorised_on,
                        "review_cycle": event.review_cycle,
                        "pending_proposal": None,
                    },
                )
            case CategoryProposalRejected():
                await _set(conn, urn, {"pending_proposal": None})
            case ResultsRecorded() | SchoolBelowFloor() | SchoolAboveFloor() | DownwardTrendIdentified():
                await _record_performance(conn, urn, event)


async def _register(conn: asyncpg.Connection, event: SchoolRegistered) -> None:
    values: dict[str, Any] = {name: _column(getattr(event, name)) for name in DETAIL_FIELDS}
    values |= {
        "urn": event.urn,
        "status": event.status.value,
        "closed_on": event.closed_on,
        "predecessor_urn": event.predecessor_urn,
        "registered_on": event.registered_on,
    }
    columns = list(values)
    placeholders = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
    await conn.execute(
        f"INSERT INTO {PROFILES} ({', '.join(columns)}) VALUES ({placeholders})", *values.values()
    )


async def _set(conn: asyncpg.Connection, urn: str, changes: dict[str, Any]) -> None:
    columns = list(changes)
    assignments = ", ".join(f"{name} = ${i}" for i, name in enumerate(columns, start=2))
    await conn.execute(
        f"UPDATE {PROFILES} SET {assignments} WHERE urn = $1", urn, *(_column(v) for v in changes.values())
    )


def _column(value: Any) -> Any:
    """Enums are stored by their value; everything else as asyncpg takes it."""
    return value.value if isinstance(value, Enum) else value


def _proposal(event: CategoryProposed) -> dict[str, Any]:
    return {
        "proposal_id": event.proposal_id,
        "category": event.category.value,
        "reasons": list(event.reasons),
        "proposed_by": event.proposed_by,
        "proposed_on": event.proposed_on.isoformat(),
        "review_cycle": event.review_cycle,
    }


async def _record_inspection(conn: asyncpg.Connection, event: InspectionRecorded, position: int) -> None:
    await conn.execute(
        f"INSERT INTO {INSPECTIONS} (urn, inspection_id, inspected_on, inspection_type, framework, "
        "overall_effectiveness, judgements, safeguarding, category_of_concern, headline_judgement, "
        "below_good, recorded_position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        event.urn,
        event.inspection_id,
        event.inspected_on,
        event.inspection_type.value,
        event.framework.value,
        event.overall_effectiveness,
        dict(event.judgements),
        event.safeguarding,
        event.category_of_concern.value if event.category_of_concern else None,
        event.headline_judgement,
        event.below_good,
        position,
    )


async def _refresh_latest_inspection(conn: asyncpg.Connection, urn: str) -> None:
    """The latest graded inspection by date (ungraded and monitoring visits leave it standing);
    the school is stuck while its latest inspection repeats the sub-good judgement before it."""
    await conn.execute(
        f"""
        UPDATE {PROFILES} AS p SET
            latest_inspection_id = i.inspection_id,
            latest_inspected_on = i.inspected_on,
            latest_framework = i.framework,
            latest_judgement = i.headline_judgement,
            latest_category_of_concern = i.category_of_concern,
            latest_below_good = i.below_good,
            stuck = i.stuck_since_inspection IS NOT NULL
        FROM (
            SELECT * FROM {INSPECTIONS} WHERE urn = $1 AND inspection_type = 'graded'
            ORDER BY inspected_on DESC, recorded_position DESC LIMIT 1
        ) AS i
        WHERE p.urn = $1
        """,
        urn,
    )


async def _record_performance(conn: asyncpg.Connection, urn: str, event: Event) -> None:
    row = await conn.fetchrow(
        f"SELECT results, floor_outcomes, downward_trends FROM {PROFILES} WHERE urn = $1 FOR UPDATE", urn
    )
    if row is None:
        return
    results, floors, trends = dict(row["results"]), dict(row["floor_outcomes"]), dict(row["downward_trends"])
    match event:
        case ResultsRecorded():
            stage = dict(results.get(event.key_stage.value, {}))
            stage[str(event.year)] = {name: str(value) for name, value in event.measures.items()}
            results[event.key_stage.value] = stage
        case SchoolBelowFloor() | SchoolAboveFloor():
            stage = dict(floors.get(event.key_stage.value, {}))
            stage[str(event.year)] = isinstance(event, SchoolBelowFloor)
            floors[event.key_stage.value] = stage
        case DownwardTrendIdentified():
            earlier = trends.get(event.key_stage.value)
            if earlier is None or earlier["years"][-1] <= event.years[-1]:
                trends[event.key_stage.value] = {
                    "measure": event.measure,
                    "years": list(event.years),
                    "values": [str(v) for v in event.values],
                }
    await _set(
        conn,
        urn,
        {
            "results": results,
            "floor_outcomes": floors,
            "downward_trends": trends,
            "below_floor": is_below_floor(floors),
            "downward_trend": has_current_downward_trend(trends, results),
        },
    )


def is_below_floor(floors: dict[str, dict[str, bool]]) -> bool:
    """Below floor in the latest evaluated year of any key stage."""
    return any(outcomes[max(outcomes, key=int)] for outcomes in floors.values() if outcomes)


def has_current_downward_trend(trends: dict[str, dict], results: dict[str, dict]) -> bool:
    """A trend is current while no later year's results have been recorded for its key stage."""
    for key_stage, trend in trends.items():
        years = results.get(key_stage, {})
        if years and trend["years"][-1] >= max(int(y) for y in years):
            return True
    return False
