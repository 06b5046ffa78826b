"""Which log positions the current request has written (or been answered with, on a retry).

The web layer opens a record per request (``track_writes``); the store and the command path note
each position they append or return (``note_written``); the answer carries the highest as the
``Log-Position`` header, which the caller can send back as ``Min-Log-Position`` on its next read
to see what its write caused (docs/integrating.md, "Reading your own writes").
"""

from __future__ import annotations

from contextvars import ContextVar

_written: ContextVar[list[int] | None] = ContextVar("log_positions_written", default=None)


def track_writes() -> list[int]:
    """Start recording the positions written in this context (one request); returns the record."""
    record: list[int] = []
    _written.set(record)
    return record


def note_written(position: int) -> None:
    record = _written.get()
    if record is not None:
        record.append(position)
