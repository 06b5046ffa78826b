"""What goes into the log and what comes back out of it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from shared.eventlog.hashing import event_hash
from shared.events import Event

# Expected-version values for appends.
ANY_VERSION: int | None = None  # no concurrency check
NO_STREAM = 0  # the stream must not exist yet


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event about to be appended. ``effective_date`` is when the fact took effect.

    ``personal`` names the fields of ``data`` that are personal data of ``data_subject``: the log
    stores them sealed with that subject's key (shared.privacy.sealing).
    """

    event_type: str
    data: dict[str, Any]
    effective_date: date
    schema_version: int = 1
    subjects: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    data_subject: str | None = None

    @classmethod
    def from_event(cls, event: Event, *, default_effective_date: date) -> NewEvent:
        return cls(
            event_type=event.event_type,
            schema_version=event.schema_version,
            data=event.to_data(),
            effective_date=event.effective_on() or default_effective_date,
            subjects=tuple(dict.fromkeys(event.subjects())),
            personal=event.personal_fields,
            data_subject=event.data_subject() if event.personal_fields else None,
        )


@dataclass(frozen=True, slots=True)
class StreamAppend:
    """One stream's share of an append: its events and the version the writer expects it at."""

    stream_id: str
    events: tuple[NewEvent, ...]
    expected_version: int | None = ANY_VERSION


class RecordedEvent(NamedTuple):
    """An event as stored: its place in the log, both dates, who did it, and its hash.

    A named tuple rather than a dataclass because readers build hundreds of thousands of them a
    second; it is just as immutable. Fields are in the order of the table's columns, then two
    that say how its personal fields were read (shared.privacy.sealing.reveal): ``sealed`` holds
    the stored envelope of each personal field whose value ``data`` shows opened (or null, when
    the subject's key was destroyed: those fields are named in ``erased``). Fresh from the table,
    ``data`` is the stored form and ``sealed`` is None.
    """

    position: int
    stream_id: str
    stream_version: int
    event_type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    effective_date: date
    recorded_at: datetime
    subjects: Sequence[str]
    prev_hash: bytes
    hash: bytes
    sealed: Mapping[str, Any] | None = None
    erased: tuple[str, ...] = ()

    @property
    def stored_data(self) -> dict[str, Any]:
        """``data`` as the log holds it, personal fields sealed: what the hash covers."""
        return {**self.data, **self.sealed} if self.sealed else self.data

    @property
    def category(self) -> str:
        return stream_category(self.stream_id)

    def content_hash(self) -> bytes:
        """The hash this event's content and place in the chain should have: what the writer
        stores as ``hash``, and what verification recomputes to detect tampering."""
        return event_hash(
            prev_hash=self.prev_hash,
            position=self.position,
            stream_id=self.stream_id,
            stream_version=self.stream_version,
            event_type=self.event_type,
            schema_version=self.schema_version,
            data=self.stored_data,
            metadata=self.metadata,
            effective_date=self.effective_date,
            recorded_at=self.recorded_at,
            subjects=self.subjects,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "stream_id": self.stream_id,
            "stream_version": self.stream_version,
            "type": self.event_type,
            "schema_version": self.schema_version,
            "data": self.data,
            "metadata": self.metadata,
            "effective_date": self.effective_date.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
            "subjects": list(self.subjects),
            "hash": self.hash.hex(),
            "prev_hash": self.prev_hash.hex(),
            **({"erased": list(self.erased)} if self.erased else {}),
        }


def stream_category(stream_id: str) -> str:
    """``school-123456`` -> ``school``; categories never contain a hyphen."""
    return stream_id.split("-", 1)[0]
