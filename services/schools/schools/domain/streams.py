"""The schools service's streams: for each stream category, where a stream starts and the fold
that changes it. The read models (``projections/folds.py``) and the auditors' replay
(``replay.py``) both fold with this one table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from shared.council_calendar import CALENDAR_CATEGORY, NO_CALENDAR
from shared.council_calendar import evolve as calendar_evolve
from shared.events import Event

from . import (
    categorisation,
    configuration,
    inspections,
    known_schools,
    performance,
    register,
    reviews,
    rise,
    support,
)

STREAM_FOLDS: dict[str, tuple[Any, Callable[[Any, Event], Any]]] = {
    "school": (register.NO_SCHOOL, register.evolve),
    "inspections": (inspections.NO_INSPECTIONS, inspections.evolve),
    "categorisation": (categorisation.NOT_CATEGORISED, categorisation.evolve),
    "support": (support.NO_SUPPORT, support.evolve),
    "performance": (performance.NO_RESULTS, performance.evolve),
    "reviews": (reviews.NO_REVIEWS, reviews.evolve),
    "rise": (rise.NO_RISE, rise.evolve),
    known_schools.KNOWN_SCHOOL_CATEGORY: (known_schools.NO_KNOWN_SCHOOL, known_schools.evolve),
    configuration.CONFIGURATION_CATEGORY: (configuration.DEFAULT_CONFIGURATION, configuration.evolve),
    # The council calendar every service reads; this service keeps it.
    CALENDAR_CATEGORY: (NO_CALENDAR, calendar_evolve),
}
