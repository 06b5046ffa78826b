"""The virtual school's reports: termly PEP compliance, PEPs coming due, overdue PEPs, persistent
absence, exclusions, and school days lost awaiting a place (domain.md section 2; seed 002)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import asyncpg

from shared.calendar import working_days_between

from pep.domain.compliance import (
    ComplianceCounts,
    status_as_recorded,
    tally_by_term_and_school,
    totals_by_term,
)
from pep.domain.deadlines import ObligationKind
from pep.domain.terms import SchoolCalendar, term

from .education_record import term_json
from .roll import CHILD_SUMMARY, percentage


def _counts_json(counts: ComplianceCounts) -> dict[str, Any]:
    rate = counts.in_time_rate
    return {
        "due": counts.due,
        "completed_in_time": counts.completed_in_time,
        "late": counts.late,
        "overdue": counts.overdue,
        "not_yet_due": counts.not_yet_due,
        "in_time_percentage": percentage(rate.numerator, rate.denominator) if rate is not None else None,
    }


async def compliance(pool: asyncpg.Pool, academic_year: int | None, urn: str | None) -> dict[str, Any]:
    """PEPs due per term and school: completed in time, late, overdue (once the scheduler has
    recorded it so), not yet due; and whether each term's in-time rate rose on the term before."""
    rows = await pool.fetch(
        "SELECT kind, term_year, term_season, urn, due_on, met_on, overdue_noticed_on FROM pep.pep_deadlines"
        " WHERE term_year IS NOT NULL AND ($1::int IS NULL OR term_year = $1)"
        "   AND ($2::text IS NULL OR urn = $2)",
        academic_year,
        urn,
    )
    by_term_and_school = tally_by_term_and_school(
        (
            ObligationKind(row["kind"]),
            term(row["term_year"], row["term_season"]),
            row["urn"],
            status_as_recorded(row["due_on"], row["met_on"], row["overdue_noticed_on"] is not None),
        )
        for row in rows
    )
    by_term = totals_by_term(by_term_and_school)
    terms: list[dict[str, Any]] = []
    previous = None
    for ref, counts in by_term.items():
        rate = counts.in_time_rate
        rose = None if rate is None or previous is None else rate > previous
        terms.append({"term": term_json(ref), **_counts_json(counts), "rose_on_previous_term": rose})
        previous = rate if rate is not None else previous
    by_school = [
        {"term": term_json(ref), "urn": school, **_counts_json(counts)}
        for (ref, school), counts in sorted(
            by_term_and_school.items(), key=lambda item: (item[0][0].order, item[0][1] or "")
        )
    ]
    return {"terms": terms, "by_school": by_school}


def _deadline(row: asyncpg.Record) -> dict[str, Any]:
    """A child's PEP deadline as the coming-due and overdue lists show it."""
    return {
        "child_id": row["child_id"],
        "name": row["name"],
        "personal_data_erased_on": row["personal_data_erased_on"],
        "deadline": row["obligation_key"],
        "kind": row["kind"],
        "due_on": row["due_on"],
        "term": term_json(term(row["term_year"], row["term_season"])) if row["term_year"] else None,
        "urn": row["urn"],
    }


async def overdue(pool: asyncpg.Pool, urn: str | None, include_resolved: bool) -> list[dict[str, Any]]:
    rows = await pool.fetch(
        "SELECT d.child_id, c.name, c.personal_data_erased_on, d.obligation_key, d.kind, d.due_on,"
        "       d.overdue_noticed_on, d.met_on, d.term_year, d.term_season, d.urn"
        "  FROM pep.pep_deadlines d LEFT JOIN pep.children c ON c.child_id = d.child_id"
        " WHERE d.overdue_noticed_on IS NOT NULL AND ($1::text IS NULL OR d.urn = $1)"
        "   AND ($2 OR d.met_on IS NULL)"
        " ORDER BY d.due_on, d.child_id",
        urn,
        include_resolved,
    )
    return [
        {
            **_deadline(row),
            # Overdue from the first day the PEP was not in place by its due date, whenever the
            # deadline scheduler came to record it (``noticed_on``: after an outage, or a PEP
            # due years before the service held the child, that is much later).
            "overdue_since": row["due_on"] + timedelta(days=1),
            "noticed_on": row["overdue_noticed_on"],
            "in_place_on": row["met_on"],
        }
        for row in rows
    ]


async def coming_due(
    pool: asyncpg.Pool, today: date, last_day: date, urn: str | None
) -> list[dict[str, Any]]:
    """PEP deadlines not yet met and due from ``today`` to ``last_day``: what officers chase before
    a PEP goes overdue (a deadline due today is not overdue until tomorrow)."""
    rows = await pool.fetch(
        "SELECT d.child_id, c.name, c.personal_data_erased_on, d.obligation_key, d.kind, d.due_on,"
        "       d.term_year, d.term_season, d.urn"
        "  FROM pep.pep_deadlines d LEFT JOIN pep.children c ON c.child_id = d.child_id"
        " WHERE d.met_on IS NULL AND d.due_on BETWEEN $1 AND $2 AND ($3::text IS NULL OR d.urn = $3)"
        " ORDER BY d.due_on, d.child_id, d.obligation_key",
        today,
        last_day,
        urn,
    )
    return [
        {**_deadline(row), "working_days_left": working_days_between(today, row["due_on"])} for row in rows
    ]


async def persistent_absence(pool: asyncpg.Pool, urn: str | None) -> dict[str, Any]:
    rows = await pool.fetch(
        f"SELECT * FROM ({CHILD_SUMMARY}) s WHERE s.care_status = 'looked_after'"
        " AND s.attendance_percentage IS NOT NULL AND ($1::text IS NULL OR s.current_urn = $1)"
        " ORDER BY s.attendance_percentage, s.child_id",
        urn,
    )
    absent = [dict(row) for row in rows if row["persistent_absence"]]
    return {
        "with_attendance_recorded": len(rows),
        "persistently_absent": len(absent),
        "persistently_absent_percentage": percentage(len(absent), len(rows)),
        "items": absent,
    }


async def exclusions(
    pool: asyncpg.Pool,
    urn: str | None,
    unofficial: bool | None,
    first_day_from: date | None,
    first_day_to: date | None,
) -> dict[str, Any]:
    rows = await pool.fetch(
        "SELECT e.child_id, c.name, c.personal_data_erased_on, e.pep_id, e.urn, e.kind, e.first_day,"
        "       e.school_days, e.reason, e.unofficial, e.reported_on"
        "  FROM pep.exclusions e LEFT JOIN pep.children c ON c.child_id = e.child_id"
        " WHERE ($1::text IS NULL OR e.urn = $1) AND ($2::boolean IS NULL OR e.unofficial = $2)"
        "   AND ($3::date IS NULL OR e.first_day >= $3) AND ($4::date IS NULL OR e.first_day <= $4)"
        " ORDER BY e.first_day, e.child_id, e.pep_id, e.ordinal",
        urn,
        unofficial,
        first_day_from,
        first_day_to,
    )
    items = [dict(row) for row in rows]
    return {
        "exclusions": len(items),
        "fixed_term": sum(1 for e in items if e["kind"] == "fixed_term"),
        "permanent": sum(1 for e in items if e["kind"] == "permanent"),
        "unofficial": sum(1 for e in items if e["unofficial"]),
        "children": len({e["child_id"] for e in items}),
        "items": items,
    }


async def days_lost_awaiting_place(
    pool: asyncpg.Pool, calendar: SchoolCalendar, today: date
) -> dict[str, Any]:
    """School days lost over completed waits for a place, plus each current wait up to today."""
    rows = await pool.fetch(
        "SELECT child_id, name, personal_data_erased_on, care_status, current_urn, awaiting_place_since,"
        "       school_days_lost"
        "  FROM pep.children"
        " WHERE school_days_lost > 0 OR awaiting_place_since IS NOT NULL ORDER BY child_id"
    )
    items = []
    for row in rows:
        since = row["awaiting_place_since"]
        current = calendar.school_days_from(since, today) if since is not None and today > since else 0
        items.append(
            {
                **dict(row),
                "school_days_lost_in_current_wait": current,
                "school_days_lost": row["school_days_lost"] + current,
                "school_days_lost_on_completed_waits": row["school_days_lost"],
            }
        )
    return {
        "children": len(items),
        "awaiting_school_place_now": sum(1 for i in items if i["awaiting_place_since"] is not None),
        "school_days_lost": sum(i["school_days_lost"] for i in items),
        "items": items,
    }
