"""The virtual school's roll, "as if a single school" (seed 002), and a school's own list."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
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


# The roll's filters, over CHILD_SUMMARY as ``s``; $1-$7 are RollFilters in field order.
ROLL_WHERE = (
    " WHERE s.care_status = $1"
    " AND ($2::text IS NULL OR s.current_urn = $2)"
    " AND ($3::text IS NULL OR s.year_group = $3)"
    " AND ($4::text IS NULL OR s.sen_status = $4)"
    " AND ($5::text IS NULL OR s.pep_status = $5)"
    " AND ($6::boolean IS NULL OR coalesce(s.persistent_absence, false) = $6)"
    " AND ($7::boolean IS NULL OR (s.awaiting_place_since IS NOT NULL) = $7)"
)

# A school's looked-after children on a day ($1 the URN, $2 the day).
SCHOOL_WHERE = (
    " WHERE EXISTS (SELECT 1 FROM pep.school_places p WHERE p.child_id = s.child_id AND p.urn = $1"
    "               AND p.start_date <= $2 AND (p.end_date IS NULL OR p.end_date >= $2))"
    "   AND EXISTS (SELECT 1 FROM pep.care_episodes e WHERE e.child_id = s.child_id"
    "               AND e.entered_on <= $2 AND (e.left_on IS NULL OR e.left_on > $2))"
)


@asynccontextmanager
async def one_snapshot(pool: asyncpg.Pool) -> AsyncIterator[asyncpg.Connection]:
    """A connection whose queries all see the read models as of one moment."""
    async with pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
        yield conn


def _filter_arguments(filters: RollFilters) -> tuple[Any, ...]:
    return (
        filters.care_status.value,
        filters.urn,
        filters.year_group,
        filters.sen_status,
        filters.pep_status,
        filters.persistent_absence,
        filters.awaiting_place,
    )


async def roll_page(
    conn: asyncpg.Connection, filters: RollFilters, *, after: str | None, fetch: int
) -> list[dict[str, Any]]:
    """Up to ``fetch`` children of the filtered roll after child id ``after``, in id order: only
    the page is read, however many children the council looks after."""
    rows = await conn.fetch(
        f"SELECT * FROM ({CHILD_SUMMARY}) s{ROLL_WHERE}"
        " AND ($8::text IS NULL OR s.child_id > $8) ORDER BY s.child_id LIMIT $9",
        *_filter_arguments(filters),
        after,
        fetch,
    )
    return [dict(row) for row in rows]


async def roll_summary(conn: asyncpg.Connection, filters: RollFilters) -> dict[str, Any]:
    """The filtered roll's figures "as if a single school", counted by the database."""
    return await _summary(conn, ROLL_WHERE, _filter_arguments(filters))


async def school_children(conn: asyncpg.Connection, urn: str, day: date) -> list[dict[str, Any]]:
    """Looked-after children on the school's roll on ``day``: a designated teacher's own list."""
    rows = await conn.fetch(
        f"SELECT s.* FROM ({CHILD_SUMMARY}) s{SCHOOL_WHERE} ORDER BY s.name, s.child_id", urn, day
    )
    return [dict(row) for row in rows]


async def school_summary(conn: asyncpg.Connection, urn: str, day: date) -> dict[str, Any]:
    """The figures of a school's looked-after children on ``day``."""
    return await _summary(conn, SCHOOL_WHERE, (urn, day))


def percentage(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# One pass over the chosen children: the totals (``dimension`` NULL) and the count in each year
# group, SEN status and PEP status (GROUPING SETS), so the figures cost one query whatever the
# size of the roll.
SUMMARY = """
SELECT CASE WHEN grouping(s.year_group) = 0 THEN 'by_year_group'
            WHEN grouping(s.sen_status) = 0 THEN 'by_sen_status'
            WHEN grouping(s.pep_status) = 0 THEN 'by_pep_status' END AS dimension,
       coalesce(s.year_group, s.sen_status, s.pep_status) AS value,
       count(*) AS children,
       count(s.attendance_percentage) AS with_attendance,
       count(*) FILTER (WHERE s.attendance_percentage IS NOT NULL AND s.persistent_absence)
           AS persistently_absent,
       avg(s.attendance_percentage) AS average_attendance,
       count(*) FILTER (WHERE s.exclusions > 0) AS children_with_exclusions,
       coalesce(sum(s.exclusions), 0) AS exclusions,
       coalesce(sum(s.unofficial_exclusions), 0) AS unofficial_exclusions,
       count(*) FILTER (WHERE s.awaiting_place_since IS NOT NULL) AS awaiting_school_place,
       coalesce(sum(s.school_days_lost), 0) AS school_days_lost
  FROM ({children}) s{where}
 GROUP BY GROUPING SETS ((), (s.year_group), (s.sen_status), (s.pep_status))
"""


async def _summary(conn: asyncpg.Connection, where: str, arguments: tuple[Any, ...]) -> dict[str, Any]:
    """The cohort's figures as a school would report them (seed 002 monitoring columns)."""
    rows = await conn.fetch(SUMMARY.format(children=CHILD_SUMMARY, where=where), *arguments)
    # The empty grouping set gives its row even when no child is chosen.
    totals = next(r for r in rows if r["dimension"] is None)
    groups: dict[str, dict[str, int]] = {"by_year_group": {}, "by_sen_status": {}, "by_pep_status": {}}
    for row in rows:
        if row["dimension"] is not None:
            # A child whose year group is not known yet is counted as "unknown", as schools do.
            groups[row["dimension"]][row["value"] or "unknown"] = row["children"]
    average = totals["average_attendance"]
    return {
        "children": totals["children"],
        **{name: dict(sorted(counts.items())) for name, counts in groups.items()},
        "with_attendance_recorded": totals["with_attendance"],
        "average_attendance_percentage": (
            average.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if average is not None else None
        ),
        "persistently_absent": totals["persistently_absent"],
        "persistently_absent_percentage": percentage(totals["persistently_absent"], totals["with_attendance"]),
        "children_with_exclusions": totals["children_with_exclusions"],
        "exclusions": totals["exclusions"],
        "unofficial_exclusions": totals["unofficial_exclusions"],
        "awaiting_school_place": totals["awaiting_school_place"],
        "school_days_lost_on_completed_waits": totals["school_days_lost"],
    }
