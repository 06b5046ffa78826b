"""The catalogues: what this service writes (its public contract) and what it reads.

The public contract is written in ``domain.events`` (``PUPIL_PREMIUM_EVENTS``: the budget streams
and the council's settings stream). The service also reads the pep service's events about
children and PEPs, through the one adapter that knows their shape (``domain.pep_events``), so the
app decodes with a bigger catalogue than the one it publishes.
"""

from __future__ import annotations

from shared.council_calendar import calendar_catalogue
from shared.events import EventCatalogue

from .events import PUPIL_PREMIUM_EVENTS
from .pep_events import PEP_EVENTS_READ

__all__ = ["PUPIL_PREMIUM_EVENTS", "reading_catalogue"]


def reading_catalogue() -> EventCatalogue:
    """Everything the service's app decodes: its own events, the pep service's it reads and the
    council calendar its terms come from."""
    catalogue = EventCatalogue("pupil-premium", PUPIL_PREMIUM_EVENTS.event_classes())
    catalogue.include(PEP_EVENTS_READ)
    catalogue.include(calendar_catalogue())
    return catalogue
