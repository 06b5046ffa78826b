"""Attendance and absence reported by child, school or year group, and for the virtual school as if
it were a single school (domain.md section 6).

Each child's sessions of a period are counted by kind; a group's figures are the sums of its
children's sessions, and a group counts the children persistently or severely absent by each
child's own sessions in that group (at that school, in that year group). The virtual school's
total counts every child's sessions at every school together, "as if a single school".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from shared.errors import InvalidInput

from .attendance import ChildAttendance, SessionCounts, counts_between, rolling_weeks, week_of
from .attendance_policy import AttendancePolicy
from .reviews import Attendance


class ReportGrouping(StrEnum):
    CHILD = "child"
    SCHOOL = "school"
    YEAR_GROUP = "year_group"


@dataclass(frozen=True)
class ChildSessions:
    """One child's sessions of the period at one school, by kind, with their year group now."""

    child_id: str
    urn: str
    year_group: str | None
    counts: SessionCounts


@dataclass(frozen=True)
class AbsenceLine:
    group: str
    children: int
    possible_sessions: int
    attended_sessions: int
    authorised_absence_sessions: int
    unauthorised_absence_sessions: int
    attendance_percent: Decimal | None
    absence_percent: Decimal | None
    persistently_absent_children: int
    severely_absent_children: int


def absence_line(group: str, per_child: dict[str, SessionCounts], policy: AttendancePolicy) -> AbsenceLine:
    total = sum(per_child.values(), SessionCounts())
    return AbsenceLine(
        group=group,
        children=len(per_child),
        possible_sessions=total.possible,
        attended_sessions=total.attended,
        authorised_absence_sessions=total.authorised_absence,
        unauthorised_absence_sessions=total.unauthorised_absence,
        attendance_percent=total.attendance_percent(),
        absence_percent=total.absence_percent(),
        persistently_absent_children=sum(1 for c in per_child.values() if c.persistently_absent(policy)),
        severely_absent_children=sum(1 for c in per_child.values() if c.severely_absent(policy)),
    )


def absence_report(
    rows: Iterable[ChildSessions], by: ReportGrouping, policy: AttendancePolicy
) -> tuple[list[AbsenceLine], AbsenceLine]:
    """The lines of each group, in the group's order, and the virtual school's total."""
    groups: dict[str, dict[str, SessionCounts]] = defaultdict(dict)
    everyone: dict[str, SessionCounts] = {}
    for row in rows:
        group = {
            ReportGrouping.CHILD: row.child_id,
            ReportGrouping.SCHOOL: row.urn,
            ReportGrouping.YEAR_GROUP: row.year_group or "not recorded",
        }[by]
        groups[group][row.child_id] = groups[group].get(row.child_id, SessionCounts()) + row.counts
        everyone[row.child_id] = everyone.get(row.child_id, SessionCounts()) + row.counts
    lines = [absence_line(group, groups[group], policy) for group in sorted(groups)]
    return lines, absence_line("virtual school", everyone, policy)


@dataclass(frozen=True)
class PeriodMeasures:
    """A child's attendance over a period, and whether it is persistent or severe absence."""

    first_day: date
    last_day: date
    counts: SessionCounts
    persistently_absent: bool
    severely_absent: bool


def period_measures(state: ChildAttendance, first: date, last: date, policy: AttendancePolicy) -> PeriodMeasures:
    counts = counts_between(state, first, last)
    return PeriodMeasures(first, last, counts, counts.persistently_absent(policy), counts.severely_absent(policy))


def rolling_measures(state: ChildAttendance, policy: AttendancePolicy) -> PeriodMeasures | None:
    """The child's last ``rolling_school_weeks`` school weeks (the weeks with marks)."""
    window = rolling_weeks(state, policy.rolling_school_weeks)
    return None if window is None else period_measures(state, *window, policy)


def weekly_measures(state: ChildAttendance, first: date, last: date, policy: AttendancePolicy) -> list[PeriodMeasures]:
    """Each week (Monday to Sunday) from ``first`` to ``last`` in which the child was marked."""
    weeks = sorted({week_of(on) for (on, _, _) in state.marks if first <= on <= last})
    return [period_measures(state, monday, monday + timedelta(days=6), policy) for monday in weeks]


def attendance_for_review(state: ChildAttendance, term_start: date, term_end: date, meeting_date: date) -> Attendance:
    """The attendance a PEP review records when the review gives none: the child's sessions of the
    PEP's term up to the meeting (or the term's end), as the daily marks have them; refused when
    there are no possible sessions to work it out from."""
    last = min(meeting_date, term_end)
    percent = counts_between(state, term_start, last).attendance_percent()
    if percent is None:
        raise InvalidInput(
            f"no daily marks are recorded for the child from {term_start} to {last}: give the attendance",
            field="attendance",
        )
    return Attendance(percentage=percent, period_start=term_start, period_end=last, from_daily_marks=True)
