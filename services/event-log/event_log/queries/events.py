"""One event as an answer shows it, and the children a page of events shows.

An event is shown as stored (the data its hash covers) or, when the caller asks, upcast to the
current schema of its type with the owning service's own upcasters. Every child an answer shows
to a person is recorded as a read of that child's record.
"""

from __future__ import annotations

from collections.abc import Iterable

from shared.eventlog.records import RecordedEvent

from event_log.registry import Registry

CHILD_SUBJECT = "child:"


def event_json(event: RecordedEvent, registry: Registry, *, upcast: bool = False) -> dict:
    body = event.to_json()
    if upcast:
        version, data = registry.upcast(event.event_type, event.schema_version, event.data)
        body["stored_schema_version"] = event.schema_version
        body["schema_version"] = version
        body["data"] = data
    return body


def children_in(events: Iterable[RecordedEvent]) -> list[str]:
    """The children the events concern, each once, in the order they first appear."""
    seen: dict[str, None] = {}
    for event in events:
        for subject in event.subjects:
            if subject.startswith(CHILD_SUBJECT):
                seen.setdefault(subject[len(CHILD_SUBJECT) :], None)
    return list(seen)


def child_of(subject: str | None) -> str | None:
    """The child a ``subject=`` filter narrows to, if it names a child."""
    if subject is not None and subject.startswith(CHILD_SUBJECT):
        return subject[len(CHILD_SUBJECT) :]
    return None
