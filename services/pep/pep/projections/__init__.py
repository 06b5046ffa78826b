"""Read models in the ``pep`` schema, each kept by one projection and rebuildable from the log."""

from __future__ import annotations

from shared.events import EventCatalogue

from .alerts import AlertsProjection
from .attendance import AttendanceProjection
from .children import ChildrenProjection
from .deadlines import PepDeadlinesProjection
from .peps import PepsProjection


def read_models(catalogue: EventCatalogue) -> list:
    return [
        ChildrenProjection(catalogue),
        PepsProjection(catalogue),
        PepDeadlinesProjection(catalogue),
        AlertsProjection(catalogue),
        AttendanceProjection(catalogue),
    ]
