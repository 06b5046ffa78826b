"""The event types this service writes: its public contract, one catalogue."""

from __future__ import annotations

from shared.council_calendar import calendar_catalogue
from shared.events import Event, EventCatalogue
from shared.privacy.events import privacy_event_catalogue

from .attendance import ATTENDANCE_EVENTS
from .child_events import CHILD_EVENTS
from .council_config import CONFIG_EVENTS
from .foreign_events import foreign_event_catalogue
from .pep_events import PEP_EVENTS
from .school_concerns import SCHOOL_CONCERN_EVENTS

PUBLIC_EVENTS: tuple[type[Event], ...] = (
    CHILD_EVENTS + PEP_EVENTS + SCHOOL_CONCERN_EVENTS + CONFIG_EVENTS + ATTENDANCE_EVENTS
)


def pep_event_catalogue() -> EventCatalogue:
    """The events the pep service writes."""
    return EventCatalogue("pep", PUBLIC_EVENTS)


def pep_reading_catalogue() -> EventCatalogue:
    """What the pep service decodes: its own events, the foreign ones it reacts to, the council
    calendar its deadlines are counted on and the children's data protection records (an erasure
    clears the child's personal details from its read models)."""
    catalogue = pep_event_catalogue()
    catalogue.include(foreign_event_catalogue())
    catalogue.include(calendar_catalogue())
    catalogue.include(privacy_event_catalogue())
    return catalogue
