"""The event types this service writes: its public contract, one catalogue."""

from __future__ import annotations

from shared.events import Event, EventCatalogue

from .child_events import CHILD_EVENTS
from .council_config import CONFIG_EVENTS
from .foreign_events import foreign_event_catalogue
from .pep_events import PEP_EVENTS
from .school_concerns import SCHOOL_CONCERN_EVENTS

PUBLIC_EVENTS: tuple[type[Event], ...] = CHILD_EVENTS + PEP_EVENTS + SCHOOL_CONCERN_EVENTS + CONFIG_EVENTS


def pep_event_catalogue() -> EventCatalogue:
    """The events the pep service writes."""
    return EventCatalogue("pep", PUBLIC_EVENTS)


def pep_reading_catalogue() -> EventCatalogue:
    """What the pep service's subscriptions decode: its own events and the foreign ones it reacts to."""
    catalogue = pep_event_catalogue()
    catalogue.include(foreign_event_catalogue())
    return catalogue
