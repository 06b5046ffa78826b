"""A school's stream as the domain folds it, just before and just after the event being applied.

The read models write their rows from the state the decisions are made against (each stream's
own ``evolve``), never from a fold of their own (``shared.eventlog.folds``: one ``evolve`` per
event applied in order; the stream folded again when an event is not the next one).
"""

from __future__ import annotations

from typing import Any

from schools.domain.streams import STREAM_FOLDS
from shared.eventlog.folds import FoldStep, StreamFolds
from shared.events import EventCatalogue

Step = FoldStep[Any]


def school_folds(catalogue: EventCatalogue) -> StreamFolds:
    """The folds of every school stream, for one read model."""
    return StreamFolds(catalogue, STREAM_FOLDS)
