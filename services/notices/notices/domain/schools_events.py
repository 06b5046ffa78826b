"""The schools service's events, as the notices service reads them, folded into ``SchoolFacts``.

This is the one place that knows the shape of another service's events (``schools.domain``:
``register.py`` and ``inspections.py``). The models read only the fields the notices service
needs and ignore the rest (a tolerant reader), so the schools service can add fields freely; a
renamed field or event is fixed here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import ClassVar

from pydantic import ConfigDict

from shared.events import Event, school_subject

from .school_facts import UNKNOWN_SCHOOL, SchoolFacts, SchoolStatus, parse_school_status
from .vocabulary import CategoryOfConcern


class _SchoolsEvent(Event):
    model_config = ConfigDict(frozen=True, extra="ignore")

    urn: str

    def subjects(self) -> list[str]:
        return [school_subject(self.urn)]


class _SchoolDetails(_SchoolsEvent):
    """The details both ``SchoolRegistered`` and ``SchoolDetailsChanged`` carry in full."""

    name: str
    establishment_type: str
    religious_character: str | None = None
    diocese: str | None = None
    headteacher: str | None = None
    maintained: bool | None = None
    has_foundation_governors: bool | None = None


class SchoolRegistered(_SchoolDetails):
    event_type: ClassVar[str] = "SchoolRegistered"

    status: str = "open"
    closed_on: date | None = None
    predecessor_urn: str | None = None
    """The school an academy replaced, whose ``SchoolConvertedToAcademy`` names the trust."""


class SchoolDetailsChanged(_SchoolDetails):
    """Carries every detail as it stands after the change (a null clears a value)."""

    event_type: ClassVar[str] = "SchoolDetailsChanged"

    changed_on: date | None = None

    def effective_on(self) -> date | None:
        return self.changed_on


class SchoolStatusChanged(_SchoolsEvent):
    """A status change short of closure (proposed to close, a withdrawn proposal, opened)."""

    event_type: ClassVar[str] = "SchoolStatusChanged"

    status: str
    changed_on: date | None = None

    def effective_on(self) -> date | None:
        return self.changed_on


class SchoolClosed(_SchoolsEvent):
    event_type: ClassVar[str] = "SchoolClosed"

    closed_on: date
    successor_urn: str | None = None

    def effective_on(self) -> date | None:
        return self.closed_on


class SchoolConvertedToAcademy(_SchoolsEvent):
    """Written to the predecessor school's stream; the academy has a new URN."""

    event_type: ClassVar[str] = "SchoolConvertedToAcademy"

    converted_on: date
    academy_urn: str | None = None
    trust_name: str | None = None

    def effective_on(self) -> date | None:
        return self.converted_on


class InspectionRecorded(_SchoolsEvent):
    """An Ofsted inspection. ``category_of_concern`` is "serious_weaknesses" or
    "special_measures" when a graded inspection placed the school in one; ungraded and monitoring
    inspections leave the previous judgement standing."""

    event_type: ClassVar[str] = "InspectionRecorded"

    inspection_id: str | None = None
    inspected_on: date
    inspection_type: str | None = None
    category_of_concern: str | None = None

    def category(self) -> CategoryOfConcern | None:
        return parse_category_of_concern(self.category_of_concern)

    @property
    def sets_judgement(self) -> bool:
        """A graded inspection (or one of unstated type) replaces the previous judgement."""
        return self.inspection_type is None or self.inspection_type.strip().lower() == "graded"

    def effective_on(self) -> date | None:
        return self.inspected_on


SCHOOLS_EVENTS: tuple[type[Event], ...] = (
    SchoolRegistered,
    SchoolDetailsChanged,
    SchoolStatusChanged,
    SchoolClosed,
    SchoolConvertedToAcademy,
    InspectionRecorded,
)


def parse_category_of_concern(value: str | None) -> CategoryOfConcern | None:
    if not value:
        return None
    words = value.strip().lower().replace("-", " ").replace("_", " ")
    if "special measures" in words:
        return CategoryOfConcern.SPECIAL_MEASURES
    if "serious weaknesses" in words or "significant improvement" in words:
        return CategoryOfConcern.SERIOUS_WEAKNESSES
    return None


def _details(facts: SchoolFacts, event: _SchoolDetails) -> SchoolFacts:
    return replace(
        facts,
        urn=event.urn,
        name=event.name,
        establishment_type=event.establishment_type,
        religious_character=event.religious_character,
        diocese=event.diocese,
        headteacher=event.headteacher,
        maintained=event.maintained,
        foundation_governors=event.has_foundation_governors,
    )


def apply_school_event(facts: SchoolFacts, event: Event) -> SchoolFacts:
    """Fold one schools-service event into the facts; other events leave them unchanged."""
    match event:
        case SchoolRegistered():
            return replace(
                _details(facts, event),
                status=parse_school_status(event.status),
                closed_on=event.closed_on,
                predecessor_urn=event.predecessor_urn,
            )
        case SchoolDetailsChanged():
            return _details(facts, event)
        case SchoolStatusChanged():
            return replace(facts, status=parse_school_status(event.status))
        case SchoolClosed():
            return replace(facts, status=SchoolStatus.CLOSED, closed_on=event.closed_on)
        case SchoolConvertedToAcademy():
            return replace(
                facts,
                converted_to_academy_on=event.converted_on,
                academy_urn=event.academy_urn,
                academy_trust=event.trust_name,
            )
        case InspectionRecorded():
            stale = facts.last_inspected_on is not None and event.inspected_on < facts.last_inspected_on
            if stale or not event.sets_judgement:
                return facts
            return replace(facts, category_of_concern=event.category(), last_inspected_on=event.inspected_on)
        case _:
            return facts


def apply_conversion_to_academy(facts: SchoolFacts, event: Event) -> SchoolFacts:
    """Fold into an academy's facts what its predecessor's conversion recorded about it: the
    trust. The schools service names the trust only on the predecessor's stream
    (``SchoolConvertedToAcademy``), so without this an academy that replaced a maintained school
    would have no trust on record. Other events leave the facts unchanged."""
    if isinstance(event, SchoolConvertedToAcademy) and event.trust_name:
        return replace(facts, academy_trust=event.trust_name)
    return facts


def school_facts_from(events: Iterable[Event], predecessor_events: Iterable[Event] = ()) -> SchoolFacts:
    """The facts of one school from its events (register and inspections), in log order, and for
    an academy that replaced a school, the conversion its predecessor's events record."""
    facts = UNKNOWN_SCHOOL
    for event in events:
        facts = apply_school_event(facts, event)
    for event in predecessor_events:
        if isinstance(event, SchoolConvertedToAcademy) and event.academy_urn == facts.urn:
            facts = apply_conversion_to_academy(facts, event)
    return facts
