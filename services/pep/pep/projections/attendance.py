"""Children's attendance sessions, unique pupil numbers and attendance alerts
(``pep.attendance_sessions``, ``pep.pupil_numbers``, ``pep.attendance_alerts``).

Each session's row is written from the child's attendance as the domain folds it
(``attendance.evolve``): the kind and code the session holds after the event, so a later mark or a
correction replaces the row while the log keeps both. An alert's row is what its event recorded.

Once the child's personal data is erased the codes and the unique pupil number are cleared from
these tables (the kinds, dates and schools stay for the reports, as in the log), and the state
kept of the child's stream is forgotten.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from shared.eventlog.folds import FoldStep, StreamFolds, write_rows
from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue
from shared.privacy.events import PersonalDataErased

from pep.domain import attendance
from pep.domain.attendance import (
    ATTENDANCE_EVENTS,
    AttendanceMarkCorrected,
    AttendanceRecorded,
    AttendanceThresholdCrossed,
    ChildAttendance,
    ChildPossiblyMissingEducation,
    UniquePupilNumberRecorded,
    UnexplainedAbsencesInARow,
)
from pep.domain.personal_data import erased_child
from pep.domain.streams import ATTENDANCE, attendance_stream

SESSION_KEY = ("child_id", "on_date", "session", "urn")


class AttendanceProjection:
    name = "pep-attendance"
    schema = "pep"
    tables = ("attendance_sessions", "pupil_numbers", "attendance_alerts")
    event_types = frozenset(cls.event_type for cls in ATTENDANCE_EVENTS) | {PersonalDataErased.event_type}

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._catalogue = catalogue
        self._folds = StreamFolds(catalogue, {ATTENDANCE: (attendance.NO_ATTENDANCE, attendance.evolve)})

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        await self.apply_batch(conn, [record])

    async def apply_batch(self, conn: asyncpg.Connection, records: Sequence[RecordedEvent]) -> None:
        """Every session the batch changed written once, as the last event left it; an erasure
        first writes what came before it."""
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
        sessions: dict[tuple, dict[str, Any]] = {}
        numbers: dict[str, dict[str, Any]] = {}
        alerts: list[dict[str, Any]] = []
        for step in steps:
            event, after = step.event, step.after
            assert isinstance(after, ChildAttendance) and after.child_id is not None
            version = step.record.stream_version
            if isinstance(event, UniquePupilNumberRecorded):
                numbers[after.child_id] = {"child_id": after.child_id, "upn": after.upn}
            elif isinstance(event, AttendanceRecorded | AttendanceMarkCorrected):
                marked = event.marks if isinstance(event, AttendanceRecorded) else (event.mark,)
                for mark in marked:
                    held = after.marks[(mark.on, mark.session, event.urn)]
                    key = (after.child_id, mark.on, mark.session.value, event.urn)
                    sessions[key] = {
                        "child_id": after.child_id,
                        "on_date": mark.on,
                        "session": mark.session.value,
                        "urn": event.urn,
                        "kind": held.kind.value,
                        "code": held.code,
                        "stream_version": version,
                    }
            else:
                alerts.append(_alert_row(event, version, step.record.effective_date))
        await write_rows(conn, "pep.pupil_numbers", numbers.values(), key=("child_id",))
        await write_rows(conn, "pep.attendance_sessions", sessions.values(), key=SESSION_KEY)
        await write_rows(conn, "pep.attendance_alerts", alerts, key=("child_id", "stream_version"))

    async def _erase(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        child_id = erased_child(self._catalogue.decode_record(record))
        if child_id is None:
            return
        self._folds.forget(attendance_stream(child_id))
        await conn.execute("UPDATE pep.attendance_sessions SET code = NULL WHERE child_id = $1", child_id)
        await conn.execute("UPDATE pep.pupil_numbers SET upn = NULL WHERE child_id = $1", child_id)


def _alert_row(event: Any, version: int, effective_on: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(
        (
            "period", "term", "period_start", "period_end", "threshold_percent", "possible_sessions",
            "missed_sessions", "sessions_in_a_row", "first_on", "last_on", "last_marked_on",
            "school_days_without_marks",
        )
    )
    row |= {
        "child_id": event.child_id,
        "stream_version": version,
        "urn": event.urn,
        "effective_on": effective_on,
        "raised_on": event.raised_on,
    }
    if isinstance(event, AttendanceThresholdCrossed):
        row |= {
            "alert": f"{event.threshold.value}_absence",
            "period": event.period.value,
            "term": event.term,
            "period_start": event.period_start,
            "period_end": event.period_end,
            "threshold_percent": event.threshold_percent,
            "possible_sessions": event.possible_sessions,
            "missed_sessions": event.missed_sessions,
        }
    elif isinstance(event, UnexplainedAbsencesInARow):
        row |= {
            "alert": "unexplained_absences_in_a_row",
            "sessions_in_a_row": event.sessions,
            "first_on": event.first_on,
            "last_on": event.last_on,
        }
    elif isinstance(event, ChildPossiblyMissingEducation):
        row |= {
            "alert": "possibly_missing_education",
            "last_marked_on": event.last_marked_on,
            "school_days_without_marks": event.school_days_without_marks,
        }
    else:
        raise TypeError(f"not an attendance alert: {type(event).__name__}")
    return row
