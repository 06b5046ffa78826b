"""PEPs, their latest review, exclusions and targets (``pep.peps``, ``pep.pep_reviews``,
``pep.exclusions``, ``pep.targets``): the roll's PEP status, attendance and exclusion reports.

A later review of the same PEP replaces the earlier one, with its exclusions; a target comes into
force when its PEP is completed, and the completed PEP's review records progress on the targets
carried into it (closing those achieved or not achieved), as the domain's ``peps.evolve`` does.
"""

from __future__ import annotations

import asyncpg

from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue

from pep.domain.pep_events import (
    PepCompleted,
    PepDraftSaved,
    PepInitiated,
    PepQualityAssured,
    PepReturnedForRework,
    PepReviewRecorded,
    PepSubmitted,
    PepTargetsSet,
)
from pep.domain.peps import PepStatus
from pep.domain.targets import CLOSING_STATUSES, TargetStatus
from pep.domain.terms import SEASONS

HANDLED = (
    PepInitiated,
    PepDraftSaved,
    PepTargetsSet,
    PepReviewRecorded,
    PepSubmitted,
    PepReturnedForRework,
    PepQualityAssured,
    PepCompleted,
)


class PepsProjection:
    name = "pep-peps"
    schema = "pep"
    tables = ("peps", "pep_reviews", "exclusions", "targets")
    event_types = frozenset(cls.event_type for cls in HANDLED)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        event = self._catalogue.decode(record.event_type, record.schema_version, record.data)
        key = (event.child_id, event.pep_id)
        if isinstance(event, PepInitiated):
            await conn.execute(
                """
                INSERT INTO pep.peps (child_id, pep_id, term_year, term_season, term_order, occasion, status,
                    urn, initiated_on)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """,
                *key,
                event.term.academic_year,
                event.term.season.value,
                SEASONS.index(event.term.season),
                event.occasion.value,
                PepStatus.INITIATED.value,
                event.urn,
                event.initiated_on,
            )
        elif isinstance(event, PepDraftSaved):
            await self._status(conn, key, PepStatus.IN_PROGRESS)
        elif isinstance(event, PepTargetsSet):
            await conn.execute("DELETE FROM pep.targets WHERE child_id = $1 AND pep_id = $2", *key)
            await conn.executemany(
                """
                INSERT INTO pep.targets (child_id, target_id, pep_id, subject_or_area, baseline, target,
                    by_when, who)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                """,
                [
                    (
                        event.child_id,
                        t.target_id,
                        event.pep_id,
                        t.subject_or_area,
                        t.baseline,
                        t.target,
                        t.by_when,
                        t.who,
                    )
                    for t in event.targets
                ],
            )
            await self._status(conn, key, PepStatus.IN_PROGRESS)
        elif isinstance(event, PepReviewRecorded):
            await self._review(conn, event)
            await self._status(conn, key, PepStatus.IN_PROGRESS)
        elif isinstance(event, PepSubmitted):
            await conn.execute(
                "UPDATE pep.peps SET status = $3, submitted_on = $4, returned_reason = NULL "
                "WHERE child_id = $1 AND pep_id = $2",
                *key,
                PepStatus.SUBMITTED.value,
                event.submitted_on,
            )
        elif isinstance(event, PepReturnedForRework):
            await conn.execute(
                "UPDATE pep.peps SET status = $3, returned_on = $4, returned_reason = $5 "
                "WHERE child_id = $1 AND pep_id = $2",
                *key,
                PepStatus.RETURNED_FOR_REWORK.value,
                event.returned_on,
                event.reason,
            )
        elif isinstance(event, PepQualityAssured):
            await conn.execute(
                "UPDATE pep.peps SET status = $3, quality_assured_on = $4, rating = $5, comments = $6 "
                "WHERE child_id = $1 AND pep_id = $2",
                *key,
                PepStatus.QUALITY_ASSURED.value,
                event.quality_assured_on,
                event.rating.value,
                event.comments,
            )
        elif isinstance(event, PepCompleted):
            await self._complete(conn, event)

    @staticmethod
    async def _status(conn: asyncpg.Connection, key: tuple[str, str], status: PepStatus) -> None:
        await conn.execute(
            "UPDATE pep.peps SET status = $3 WHERE child_id = $1 AND pep_id = $2", *key, status.value
        )

    @staticmethod
    async def _review(conn: asyncpg.Connection, event: PepReviewRecorded) -> None:
        # jsonb travels as Python values: the pool's codec encodes it.
        progress = [p.model_dump(mode="json") for p in event.target_progress]
        await conn.execute(
            """
            INSERT INTO pep.pep_reviews (child_id, pep_id, term_year, term_season, urn, meeting_date,
                attendance_percentage, attendance_from, attendance_to, persistent_absence, target_progress)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)
            ON CONFLICT (child_id, pep_id) DO UPDATE SET
                urn = EXCLUDED.urn, meeting_date = EXCLUDED.meeting_date,
                attendance_percentage = EXCLUDED.attendance_percentage,
                attendance_from = EXCLUDED.attendance_from, attendance_to = EXCLUDED.attendance_to,
                persistent_absence = EXCLUDED.persistent_absence, target_progress = EXCLUDED.target_progress
            """,
            event.child_id,
            event.pep_id,
            event.term.academic_year,
            event.term.season.value,
            event.urn,
            event.meeting_date,
            event.attendance.percentage,
            event.attendance.period_start,
            event.attendance.period_end,
            event.persistent_absence,
            progress,
        )
        await conn.execute(
            "DELETE FROM pep.exclusions WHERE child_id = $1 AND pep_id = $2", event.child_id, event.pep_id
        )
        await conn.executemany(
            """
            INSERT INTO pep.exclusions (child_id, pep_id, ordinal, urn, kind, first_day, school_days, reason,
                unofficial, reported_on)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            [
                (
                    event.child_id,
                    event.pep_id,
                    index,
                    event.urn,
                    e.kind.value,
                    e.first_day,
                    e.school_days,
                    e.reason,
                    e.unofficial,
                    event.meeting_date,
                )
                for index, e in enumerate(event.exclusions)
            ],
        )

    @staticmethod
    async def _complete(conn: asyncpg.Connection, event: PepCompleted) -> None:
        await conn.execute(
            "UPDATE pep.peps SET completed_on = $3, due_on = $4, completed_in_time = $5 "
            "WHERE child_id = $1 AND pep_id = $2",
            event.child_id,
            event.pep_id,
            event.completed_on,
            event.due_on,
            event.completed_in_time,
        )
        progress = await conn.fetchval(
            "SELECT target_progress FROM pep.pep_reviews WHERE child_id = $1 AND pep_id = $2",
            event.child_id,
            event.pep_id,
        )
        for item in progress or []:
            status = TargetStatus(item["status"])
            await conn.execute(
                "UPDATE pep.targets SET progress = progress || $3::jsonb, closed = $4, latest_status = $5 "
                "WHERE child_id = $1 AND target_id = $2",
                event.child_id,
                item["target_id"],
                [item],
                status in CLOSING_STATUSES,
                status.value,
            )
        await conn.execute(
            "UPDATE pep.targets SET in_force = true WHERE child_id = $1 AND target_id = ANY($2::text[])",
            event.child_id,
            list(event.target_ids),
        )
