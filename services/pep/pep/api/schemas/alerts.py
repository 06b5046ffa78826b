"""Alerts about children at schools that give cause for concern, as listed and acted on."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from shared.text import Note
from shared.web.paging import Page

from pep.domain.school_concerns import AlertAction

from .commands import Body
from .education_record import PersonalDataErasedOn


class AlertPublic(BaseModel):
    alert_id: str
    child_id: str
    name: str | None
    personal_data_erased_on: PersonalDataErasedOn
    urn: str
    concern: str
    concern_on: date
    detail: str
    source_event_type: str
    source_event_id: str
    children_on_roll: list[str]
    raised_on: date
    status: str
    acknowledged_on: date | None
    actioned_on: date | None
    action: str | None
    notes: str | None


class AlertsPublic(Page[AlertPublic]):
    """Alerts, newest first: by the day raised, then the day of the concern, then id."""


class AcknowledgementCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"acknowledged_on": "2026-10-20"}, {}]})

    acknowledged_on: date | None = None


class ActionCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "action": "school_contacted",
                    "notes": (
                        "Spoke to the designated teacher: Jordan has a mentor and a place in the nurture "
                        "group; no change of school is needed. Will review at the December PEP meeting."
                    ),
                    "actioned_on": "2026-10-21",
                },
            ]
        }
    )

    action: AlertAction
    notes: Note
    actioned_on: date | None = None
