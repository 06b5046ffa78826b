"""One event as an answer shows it, and the children a page of events shows.

An event is shown as stored (the data its hash covers) or, when the caller asks, upcast to the
current schema of its type with the owning service's own upcasters. Its personal fields (sealed in
the log) are shown in one of three forms, as the reader's access says (``event_log.access``):
opened; withheld (null, and named in ``withheld``); or as stored, the sealed envelopes the hash
covers. Every child an answer shows to a person is recorded as a read of that child's record.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from shared.eventlog.records import RecordedEvent
from shared.privacy.sealing import envelopes_of, withhold

from event_log.registry import Registry

CHILD_SUBJECT = "child:"


class PersonalFields(StrEnum):
    OPENED = "opened"
    """Opened with the child's key; a field whose key was destroyed is null, named in ``erased``."""
    WITHHELD = "withheld"
    """Null, and named in ``withheld``: for a reader with no need of them."""
    STORED = "stored"
    """The sealed envelopes, exactly as stored: what the hash covers."""

    @property
    def needs_keys(self) -> bool:
        return self is PersonalFields.OPENED


def shown(event: RecordedEvent, personal: PersonalFields) -> dict[str, Any]:
    """The event as an answer shows it, its personal fields in the form ``personal``. ``event``
    may be as stored or revealed (``shared.privacy.sealing.reveal``); to be shown opened it must
    have been revealed."""
    if personal is PersonalFields.OPENED:
        return event.to_json()
    stored = withhold(event)
    body = stored.to_json()
    if personal is PersonalFields.WITHHELD:
        withheld = list(envelopes_of(stored.data))
        if withheld:
            body["data"] = {**stored.data, **dict.fromkeys(withheld)}
            body["withheld"] = withheld
    return body


def event_json(
    event: RecordedEvent, registry: Registry, *, upcast: bool = False, personal: PersonalFields
) -> dict[str, Any]:
    body = shown(event, personal)
    if upcast:
        version, data = registry.upcast(event.event_type, event.schema_version, body["data"])
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
