"""A stand-in for one stream of the event log: reads with a version, appends with an expected version.

It holds only what the concurrency tests need from the real log: an append whose expected version
is not the stream's current version fails, so two decisions made against the same state cannot
both be written. The caller then reads again, decides again against the new state, and retries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from pupil_premium.domain.budget_state import Budget, fold
from shared.errors import Conflict


class StreamMovedOn(Conflict):
    """The stream has events the decision did not see (HTTP 409 at the API)."""


class InMemoryStream:
    def __init__(self, events=()) -> None:
        self._lock = threading.Lock()
        self._events = list(events)

    def read(self) -> tuple[list, int]:
        with self._lock:
            return list(self._events), len(self._events)

    def append(self, events: list, expected_version: int) -> None:
        with self._lock:
            if len(self._events) != expected_version:
                raise StreamMovedOn(f"expected version {expected_version}, stream is at {len(self._events)}")
            self._events.extend(events)

    @property
    def events(self) -> list:
        with self._lock:
            return list(self._events)


def handle(
    stream: InMemoryStream,
    decide: Callable[[Budget], list],
    *,
    before_first_decision: Callable[[], None] | None = None,
    attempts: int = 1000,
) -> list:
    """Load, fold, decide, append with the expected version; on a version clash, do it all again."""
    for attempt in range(attempts):
        events, version = stream.read()
        if attempt == 0 and before_first_decision is not None:
            before_first_decision()
        new_events = decide(fold(events))
        try:
            stream.append(new_events, version)
            return new_events
        except StreamMovedOn:
            continue
    raise AssertionError("the command never got its turn on the stream")
