"""The virtual school's roll, "as if a single school" (seed 002), and a school's own list."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import asyncpg

from pep.domain.children import CareStatus

# One row per child with the latest PEP's status, the latest review's attendance and the count of
# exclusions recorded at reviews.
CHILD_SUMMARY = """
SELECT c.child_id, c.name, c.date_of_birth, c.care_status, c.sen_status, c.year_group, c.social_worker,
       c.current_urn, c.on_roll_since, c.awaiting_place_since, c.school_days_lost, c.entered_care_on,
       coalesce(lp.status, 'not_started') AS pep_status, lp.pep_id AS current_pep_id,
       lr.attendance_percentage, lr.persistent_absence, lr.meeting_date AS attendance_recorded_on,
       coalesce(x.exclusions, 0) AS exclusions, coalesce(x.unofficial, 0) AS unofficial_exclusions,
       c.personal_data_erased_on
  FROM pep.children c
  LEFT JOIN LATERAL (
       SELECT p.pep_id, p.status FROM pep.peps p WHERE p.child_id = c.child_id
        ORDER BY p.term_year DESC, p.term_order DESC, p.initiated_on DESC, p.pep_id DESC LIMIT 1) lp ON true
  LEFT JOIN LATERAL (
       SELECT r.attendance_percentage, r.persistent_absence, r.meeting_date FROM pep.pep_reviews r
        WHERE r.child_id = c.child_id ORDER BY r.meeting_date DESC LIMIT 1) lr ON true
  LEFT JOIN LATERAL (
       SELECT count(*) AS exclusions, count(*) FILTER (WHERE e.unofficial) AS unofficial
         FROM pep.exclusions e WHERE e.child_id = c.child_id) x ON true
"""

SUMMARY_COLUMNS = (
    "child_id",
    "name",
    "date_of_birth",
    "care_status",
    "sen_status",
    "year_group",
    "social_worker",
    "current_urn",
    "on_roll_since",
    "awaiting_place_since",
    "school_days_lost",
    "entered_care_on",
    "pep_status",
    "current_pep_id",
    "attendance_percentage",
    "persistent_absence",
    "attendance_recorded_on",
    "exclusions",
    "unofficial_exclusions",
    "personal_data_erased_on",
)


@dataclass(frozen=True)
class RollFilters:
    care_status: CareStatus = CareStatus.LOOKED_AFTER
    urn: str | None = None
    year_group: str | None = None
    sen_status: str | None = None
    pep_status: str | None = None
    persistent_absence: bool | None = None
    awaiting_place: bool | None = None


async def roll(pool: asyncpg.Pool, filters: RollFilters) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        f"SELECT * FROM ({CHILD_SUMMARY}) s WHERE s.care_status = $1"
        " AND ($2::text IS NULL OR s.current_urn = $2)"
        " AND ($3::text IS NULL OR s.year_group = $3)"
        " AND ($4::text IS NULL OR s.sen_status = $4)"
        " AND ($5::text IS NULL OR s.pep_status = $5)"
        " AND ($6::boolean IS NULL OR coalesce(s.persistent_absence, false) = $6)"
        " AND ($7::boolean IS NULL OR (s.awaiting_place_since IS NOT NULL) = $7)"
        " ORDER BY s.child_id",
        filters.care_status.value,
        filters.urn,
        filters.year_group,
        filters.sen_status,
        filters.pep_status,
        filters.persistent_absence,
        filters.awaiting_place,
    )
    return [dict(row) for row in rows]


async def school_children(pool: asyncpg.Pool, urn: str, day: date) -> list[dict[str, Any]]:
    """Looked-after children on the school's roll on ``day``: a designated teacher's own list."""
    rows = await pool.fetch(
        f"SELECT s.* FROM ({CHILD_SUMMARY}) s"
        " WHERE EXISTS (SELECT 1 FROM pep.school_places p WHERE p.child_id = s.child_id AND p.urn = $1"
        "               AND p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $2))"
        "   AND EXISTS (SELECT 1 FROM pep.care_episodes e WHERE e.child_id = s.child_id"
        "               AND e.entered_on <= $2 AND (e.left_on IS NULL OR e.left_on > $2))"
        " ORDER BY s.name, s.child_id",
        urn,
        day,
    )
    return [dict(row) for row in rows]


def percentage(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def as_if_a_single_school(children: list[dict[str, Any]]) -> dict[str, Any]:
    """The cohort's figures as a school would report them (seed 002 monitoring columns)."""
    with_attendance = [c for c in children if c["attendance_percentage"] is not None]
    persistently_absent = sum(1 for c in with_attendance if c["persistent_absence"])
    average = (
        (sum(c["attendance_percentage"] for c in with_attendance) / len(with_attendance)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        if with_attendance
        else None
    )
    return {
        "children": len(children),
        "by_year_group": dict(sorted(Counter(c["year_group"] or "unknown" for c in children).items())),
        "by_sen_status": dict(sorted(Counter(c["sen_status"] for c in children).items())),
        "by_pep_status": dict(sorted(Counter(c["pep_status"] for c in children).items())),
        "with_attendance_recorded": len(with_attendance),
        "average_attendance_percentage": average,
        "persistently_absent": persistently_absent,
        "persistently_absent_percentage": percentage(persistently_absent, len(with_attendance)),
        "children_with_exclusions": sum(1 for c in children if c["exclusions"]),
        "exclusions": sum(c["exclusions"] for c in children),
        "unofficial_exclusions": sum(c["unofficial_exclusions"] for c in children),
        "awaiting_school_place": sum(1 for c in children if c["awaiting_place_since"] is not None),
        "school_days_lost_on_completed_waits": sum(c["school_days_lost"] for c in children),
    }

