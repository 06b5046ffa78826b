"""The notices service's event catalogue: every event type it writes (its public contract) and
the schools service's events it reads."""

from __future__ import annotations

from shared.events import EventCatalogue

from .academy_concern import ACADEMY_CONCERN_EVENTS
from .academy_order import ACADEMY_ORDER_EVENTS
from .academy_order_law import ACADEMY_ORDER_LAW_EVENTS
from .direction_events import DIRECTION_EVENTS
from .intervention_events import INTERVENTION_EVENTS
from .schools_events import SCHOOLS_EVENTS
from .secretary_of_state_notices import SECRETARY_OF_STATE_NOTICE_EVENTS
from .warning_notice_events import WARNING_NOTICE_EVENTS

NOTICES_EVENTS = (
    *WARNING_NOTICE_EVENTS,
    *INTERVENTION_EVENTS,
    *DIRECTION_EVENTS,
    *ACADEMY_CONCERN_EVENTS,
    *SECRETARY_OF_STATE_NOTICE_EVENTS,
    *ACADEMY_ORDER_EVENTS,
    *ACADEMY_ORDER_LAW_EVENTS,
)


def notices_catalogue() -> EventCatalogue:
    """The events the notices service writes."""
    return EventCatalogue("notices", NOTICES_EVENTS)


def read_catalogue() -> EventCatalogue:
    """Everything the notices service reads: its own events and the schools service's."""
    return EventCatalogue("notices", (*NOTICES_EVENTS, *SCHOOLS_EVENTS))
