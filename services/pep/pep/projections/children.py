"""Children, their care episodes and their school places (``pep.children``, ``pep.care_episodes``,
``pep.school_places``): who is looked after, and who is on which school's roll on any date."""

from __future__ import annotations

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue

from pep.domain.child_events import (
    CHILD_EVENTS,
    ChildAwaitingSchoolPlace,
    ChildDetailsUpdated,
    ChildEnteredCare,
    ChildLeftCare,
    ChildMovedSchool,
    ChildPlacedAtSchool,
    PreviouslyLookedAfterChildRegistered,
)
from pep.domain.children import CareStatus


class ChildrenProjection:
    name = "pep-children"
    schema = "pep"
    tables = ("children", "care_episodes", "school_places")
    event_types = frozenset(cls.event_type for cls in CHILD_EVENTS)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        event = self._catalogue.decode(record.event_type, record.schema_version, record.data)
        version = record.stream_version
        if isinstance(event, ChildEnteredCare):
            await conn.execute(
                """
                INSERT INTO pep.children (child_id, name, date_of_birth, care_status, legal_status,
                    placing_authority, social_worker, carer, independent_reviewing_officer, sen_status,
                    year_group, entered_care_on, stream_version)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                ON CONFLICT (child_id) DO UPDATE SET
                    name = EXCLUDED.name, care_status = EXCLUDED.care_status,
                    legal_status = EXCLUDED.legal_status, placing_authority = EXCLUDED.placing_authority,
                    social_worker = EXCLUDED.social_worker, carer = EXCLUDED.carer,
                    independent_reviewing_officer = EXCLUDED.independent_reviewing_officer,
                    sen_status = EXCLUDED.sen_status, year_group = EXCLUDED.year_group,
                    entered_care_on = EXCLUDED.entered_care_on, left_care_on = NULL,
                    stream_version = EXCLUDED.stream_version
                """,
                event.child_id,
                event.name,
                event.date_of_birth,
                CareStatus.LOOKED_AFTER.value,
                event.legal_status.value,
                event.placing_authority,
                event.social_worker,
                event.carer,
                event.independent_reviewing_officer,
                event.sen_status.value,
                event.year_group.value,
                event.entered_care_on,
                version,
            )
            await conn.execute(
                "INSERT INTO pep.care_episodes (child_id, entered_on) VALUES ($1, $2)",
                event.child_id,
                event.entered_care_on,
            )
        elif isinstance(event, PreviouslyLookedAfterChildRegistered):
            await conn.execute(
                """
                INSERT INTO pep.children (child_id, name, date_of_birth, care_status, placing_authority,
                    sen_status, year_group, left_care_on, stream_version)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """,
                event.child_id,
                event.name,
                event.date_of_birth,
                CareStatus.PREVIOUSLY_LOOKED_AFTER.value,
                event.previously_looked_after_by,
                event.sen_status.value,
                event.year_group.value,
                event.left_care_on,
                version,
            )
        elif isinstance(event, ChildDetailsUpdated):
            await conn.execute(
                """
                UPDATE pep.children SET
                    legal_status = coalesce($2, legal_status), social_worker = coalesce($3, social_worker),
                    carer = coalesce($4, carer),
                    independent_reviewing_officer = coalesce($5, independent_reviewing_officer),
                    sen_status = coalesce($6, sen_status), year_group = coalesce($7, year_group),
                    stream_version = $8
                WHERE child_id = $1
                """,
                event.child_id,
                event.legal_status.value if event.legal_status else None,
                event.social_worker,
                event.carer,
                event.independent_reviewing_officer,
                event.sen_status.value if event.sen_status else None,
                event.year_group.value if event.year_group else None,
                version,
            )
        elif isinstance(event, ChildAwaitingSchoolPlace):
            if event.left_urn is not None:
                await self._leave_roll(conn, event.child_id, event.left_school_on)
            await conn.execute(
                "UPDATE pep.children SET current_urn = NULL, on_roll_since = NULL, "
                "awaiting_place_since = $2, "
                "stream_version = $3 WHERE child_id = $1",
                event.child_id,
                event.place_needed_from,
                version,
            )
        elif isinstance(event, ChildPlacedAtSchool):
            await self._join_roll(conn, event.child_id, event.urn, event.start_date)
            await conn.execute(
                "UPDATE pep.children SET current_urn = $2, on_roll_since = $3, awaiting_place_since = NULL, "
                "school_days_lost = school_days_lost + $4, year_group = $5, stream_version = $6 "
                "WHERE child_id = $1",
                event.child_id,
                event.urn,
                event.start_date,
                event.school_days_lost,
                event.year_group.value,
                version,
            )
        elif isinstance(event, ChildMovedSchool):
            await self._leave_roll(conn, event.child_id, event.left_previous_school_on)
            await self._join_roll(conn, event.child_id, event.to_urn, event.start_date)
            await conn.execute(
                "UPDATE pep.children SET current_urn = $2, on_roll_since = $3, year_group = $4, "
                "stream_version = $5 WHERE child_id = $1",
                event.child_id,
                event.to_urn,
                event.start_date,
                event.year_group.value,
                version,
            )
        elif isinstance(event, ChildLeftCare):
            await conn.execute(
                "UPDATE pep.care_episodes SET left_on = $2, left_reason = $3 "
                "WHERE child_id = $1 AND left_on IS NULL",
                event.child_id,
                event.left_care_on,
                event.reason.value,
            )
            status = (
                CareStatus.PREVIOUSLY_LOOKED_AFTER if event.previously_looked_after else CareStatus.LEFT_CARE
            )
            await conn.execute(
                "UPDATE pep.children SET care_status = $2, left_care_on = $3, legal_status = NULL, "
                "stream_version = $4 WHERE child_id = $1",
                event.child_id,
                status.value,
                event.left_care_on,
                version,
            )
        else:  # the school notifications change nothing the lists show
            await conn.execute(
                "UPDATE pep.children SET stream_version = $2 WHERE child_id = $1", event.child_id, version
            )

    @staticmethod
    async def _leave_roll(conn: asyncpg.Connection, child_id: str, last_day) -> None:
        await conn.execute(
            "UPDATE pep.school_places SET end_date = $2 WHERE child_id = $1 AND end_date IS NULL",
            child_id,
            last_day,
        )

    @staticmethod
    async def _join_roll(conn: asyncpg.Connection, child_id: str, urn: str, start_date) -> None:
        await conn.execute(
            "INSERT INTO pep.school_places (child_id, urn, start_date) VALUES ($1, $2, $3)",
            child_id,
            urn,
            start_date,
        )
