"""Alerts to the virtual school about its children at a school that gives cause for concern.

One stream per concern (``schoolconcern-<source event id>``): the policy turns a schools or
notices event into ``RaiseSchoolConcernAlerts`` with the looked-after children on that school's
roll on the date the concern took effect; ``decide`` gives one alert per child, each listing all
the children affected, so the virtual school can review those placements (domain.md section 2).
Raising is idempotent: a redelivered event finds the alerts already raised and adds nothing.
Each alert is then acknowledged and actioned.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from typing import ClassVar

from shared.errors import InvalidInput, NotFound
from shared.events import Command, Event, child_subject, school_subject

from .foreign_events import ConcernKind, SchoolConcern, school_concern_from
from .refusals import AlertAlreadyHandled

# --- events -----------------------------------------------------------------------------------


class _AlertEvent(Event):
    alert_id: str
    child_id: str
    urn: str

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id), school_subject(self.urn)]


class SchoolConcernAlertRaised(_AlertEvent):
    """The virtual school is alerted that a child on roll at ``urn`` on ``concern_on`` is at a school
    that gives cause for concern; ``children_on_roll`` lists every child alerted about it."""

    event_type: ClassVar[str] = "SchoolConcernAlertRaised"

    concern: ConcernKind
    concern_on: date
    detail: str
    source_event_type: str
    source_event_id: str
    children_on_roll: tuple[str, ...]
    raised_on: date

    def effective_on(self) -> date:
        return self.concern_on


class SchoolConcernAlertAcknowledged(_AlertEvent):
    """The virtual school has seen the alert."""

    event_type: ClassVar[str] = "SchoolConcernAlertAcknowledged"

    acknowledged_on: date

    def effective_on(self) -> date:
        return self.acknowledged_on


class AlertAction(StrEnum):
    PLACEMENT_REVIEWED = "placement_reviewed"
    PEP_MEETING_BROUGHT_FORWARD = "pep_meeting_brought_forward"
    SCHOOL_CONTACTED = "school_contacted"
    SCHOOL_MOVE_PLANNED = "school_move_planned"
    NO_CHANGE_NEEDED = "no_change_needed"
    OTHER = "other"


class SchoolConcernAlertActioned(_AlertEvent):
    """What the virtual school did for the child (placement reviewed, PEP meeting brought forward ...)."""

    event_type: ClassVar[str] = "SchoolConcernAlertActioned"

    actioned_on: date
    action: AlertAction
    notes: str

    def effective_on(self) -> date:
        return self.actioned_on


SCHOOL_CONCERN_EVENTS: tuple[type[Event], ...] = (
    SchoolConcernAlertRaised,
    SchoolConcernAlertAcknowledged,
    SchoolConcernAlertActioned,
)


# --- commands ---------------------------------------------------------------------------------


class RaiseSchoolConcernAlerts(Command):
    concern: SchoolConcern
    children_on_roll: tuple[str, ...]
    raised_on: date


class AlertCommand(Command):
    alert_id: str


class AcknowledgeSchoolConcernAlert(AlertCommand):
    acknowledged_on: date


class RecordSchoolConcernAlertActioned(AlertCommand):
    actioned_on: date
    action: AlertAction
    notes: str


# --- state ------------------------------------------------------------------------------------


class AlertStatus(StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    ACTIONED = "actioned"


@dataclass(frozen=True)
class AlertRecord:
    alert_id: str
    child_id: str
    urn: str
    raised_on: date
    status: AlertStatus = AlertStatus.RAISED


@dataclass(frozen=True)
class ConcernAlertsState:
    source_event_id: str | None = None
    alerts: dict[str, AlertRecord] = field(default_factory=dict)


NO_ALERTS = ConcernAlertsState()


def alert_id_for(source_event_id: str, child_id: str) -> str:
    return f"{source_event_id}:{child_id}"


# --- policy -----------------------------------------------------------------------------------


def react_to_school_event(
    event: Event, source_event_id: str, roll: Sequence[str], raised_on: date
) -> RaiseSchoolConcernAlerts | None:
    """The command the virtual school's policy issues for a schools or notices event.

    ``roll`` is the looked-after children on the school's roll on the day the concern took effect
    (``children.children_on_roll``); no command when there is no concern or no child to alert about.
    """
    concern = school_concern_from(event, source_event_id)
    if concern is None or not roll:
        return None
    return RaiseSchoolConcernAlerts(
        concern=concern, children_on_roll=tuple(sorted(set(roll))), raised_on=raised_on
    )


# --- decide / evolve --------------------------------------------------------------------------


def decide(command: RaiseSchoolConcernAlerts | AlertCommand, state: ConcernAlertsState) -> list[Event]:
    if isinstance(command, RaiseSchoolConcernAlerts):
        return _raise(command, state)
    alert = state.alerts.get(command.alert_id)
    if alert is None:
        raise NotFound(f"no alert {command.alert_id!r}", field="alert_id")
    if isinstance(command, AcknowledgeSchoolConcernAlert):
        if alert.status is not AlertStatus.RAISED:
            raise AlertAlreadyHandled(
                f"alert {alert.alert_id} is already {alert.status.value}", field="alert_id"
            )
        if command.acknowledged_on < alert.raised_on:
            raise InvalidInput(f"the alert was raised on {alert.raised_on}", field="acknowledged_on")
        return [
            SchoolConcernAlertAcknowledged(
                alert_id=alert.alert_id,
                child_id=alert.child_id,
                urn=alert.urn,
                acknowledged_on=command.acknowledged_on,
            )
        ]
    if isinstance(command, RecordSchoolConcernAlertActioned):
        if alert.status is AlertStatus.ACTIONED:
            raise AlertAlreadyHandled(f"alert {alert.alert_id} is already actioned", field="alert_id")
        if command.actioned_on < alert.raised_on:
            raise InvalidInput(f"the alert was raised on {alert.raised_on}", field="actioned_on")
        if not command.notes.strip():
            raise InvalidInput("record what was done for the child", field="notes")
        return [
            SchoolConcernAlertActioned(
                alert_id=alert.alert_id,
                child_id=alert.child_id,
                urn=alert.urn,
                actioned_on=command.actioned_on,
                action=command.action,
                notes=command.notes,
            )
        ]
    raise TypeError(f"not an alert command: {type(command).__name__}")


def _raise(command: RaiseSchoolConcernAlerts, state: ConcernAlertsState) -> list[Event]:
    if state.alerts:
        return []
    concern = command.concern
    return [
        SchoolConcernAlertRaised(
            alert_id=alert_id_for(concern.source_event_id, child_id),
            child_id=child_id,
            urn=concern.urn,
            concern=concern.kind,
            concern_on=concern.concern_on,
            detail=concern.detail,
            source_event_type=concern.source_event_type,
            source_event_id=concern.source_event_id,
            children_on_roll=command.children_on_roll,
            raised_on=command.raised_on,
        )
        for child_id in command.children_on_roll
    ]


def evolve(state: ConcernAlertsState, event: Event) -> ConcernAlertsState:
    if isinstance(event, SchoolConcernAlertRaised):
        record = AlertRecord(
            alert_id=event.alert_id, child_id=event.child_id, urn=event.urn, raised_on=event.raised_on
        )
        return replace(
            state, source_event_id=event.source_event_id, alerts={**state.alerts, event.alert_id: record}
        )
    if isinstance(event, SchoolConcernAlertAcknowledged):
        record = replace(state.alerts[event.alert_id], status=AlertStatus.ACKNOWLEDGED)
        return replace(state, alerts={**state.alerts, event.alert_id: record})
    if isinstance(event, SchoolConcernAlertActioned):
        record = replace(state.alerts[event.alert_id], status=AlertStatus.ACTIONED)
        return replace(state, alerts={**state.alerts, event.alert_id: record})
    raise TypeError(f"not an alert event: {type(event).__name__}")


def fold(events: list[Event], state: ConcernAlertsState = NO_ALERTS) -> ConcernAlertsState:
    for event in events:
        state = evolve(state, event)
    return state
