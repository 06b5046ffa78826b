"""Alerts to the virtual school about children at a school that gives cause for concern
(``pep.alerts``), with their acknowledgement and the action taken.

An alert's status is the one the domain folds (``school_concerns.evolve``) from the concern's
stream; the rest of the row is what the events recorded (the concern, when it was acknowledged,
what was done).
"""

from __future__ import annotations

import asyncpg

from shared.eventlog.folds import StreamFolds
from shared.eventlog.records import RecordedEvent
from shared.events import EventCatalogue

from pep.domain import school_concerns
from pep.domain.school_concerns import (
    SCHOOL_CONCERN_EVENTS,
    ConcernAlertsState,
    SchoolConcernAlertAcknowledged,
    SchoolConcernAlertActioned,
    SchoolConcernAlertRaised,
)
from pep.domain.streams import SCHOOL_CONCERN

ALERT_EVENTS = SchoolConcernAlertRaised | SchoolConcernAlertAcknowledged | SchoolConcernAlertActioned


class AlertsProjection:
    name = "pep-alerts"
    schema = "pep"
    tables = ("alerts",)
    event_types = frozenset(cls.event_type for cls in SCHOOL_CONCERN_EVENTS)

    def __init__(self, catalogue: EventCatalogue) -> None:
        self._folds = StreamFolds(
            catalogue, {SCHOOL_CONCERN: (school_concerns.NO_ALERTS, school_concerns.evolve)}
        )

    async def apply(self, conn: asyncpg.Connection, record: RecordedEvent) -> None:
        step = await self._folds.step(conn, record)
        event = step.event
        assert isinstance(event, ALERT_EVENTS)
        after: ConcernAlertsState = step.after
        status = after.alerts[event.alert_id].status.value
        if isinstance(event, SchoolConcernAlertRaised):
            await conn.execute(
                """
                INSERT INTO pep.alerts (alert_id, child_id, urn, concern, concern_on, detail,
                    source_event_type, source_event_id, children_on_roll, raised_on, status)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
                """,
                event.alert_id,
                event.child_id,
                event.urn,
                event.concern.value,
                event.concern_on,
                event.detail,
                event.source_event_type,
                event.source_event_id,
                list(event.children_on_roll),
                event.raised_on,
                status,
            )
        elif isinstance(event, SchoolConcernAlertAcknowledged):
            await conn.execute(
                "UPDATE pep.alerts SET status = $2, acknowledged_on = $3 WHERE alert_id = $1",
                event.alert_id,
                status,
                event.acknowledged_on,
            )
        elif isinstance(event, SchoolConcernAlertActioned):
            await conn.execute(
                "UPDATE pep.alerts SET status = $2, actioned_on = $3, action = $4, notes = $5 "
                "WHERE alert_id = $1",
                event.alert_id,
                status,
                event.actioned_on,
                event.action.value,
                event.notes,
            )
