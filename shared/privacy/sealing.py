"""Sealing an event's personal fields on the way into the log, revealing them on the way out.

An event class names its personal fields (``Event.personal_fields``: a child's name, date of
birth, the child's own words...) and whose they are (``Event.data_subject()``). As the event is
appended, each such field's value is replaced by an envelope::

    {"sealed": "aes-256-gcm/v1", "subject": "child:C1", "ciphertext": "<base64 nonce+ciphertext>"}

encrypted with the subject's key (``shared.privacy.keys``), with the event type, field name and
subject as associated data so an envelope moved to another field or event does not open. The hash
chain is computed over the envelope, so the log verifies whether or not the key still exists.
Every other field (dates, URNs, statuses, amounts) stays in the clear for reports and auditors.

Reading, ``reveal`` opens each envelope whose key exists. Where the key was destroyed the field
reads as null and is named in the record's ``erased``; the envelope is kept in ``sealed``, so
``RecordedEvent.content_hash`` still recomputes the stored hash.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Sequence
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.eventlog.records import NewEvent, RecordedEvent, StreamAppend
from shared.privacy.keys import NONCE_BYTES, Database, keys_for_reading, keys_for_writing

SCHEME = "aes-256-gcm/v1"
ENVELOPE_KEYS = frozenset({"sealed", "subject", "ciphertext"})


class SealedFieldUnreadable(RuntimeError):
    """An envelope did not open with its subject's key: it was altered, or moved from another
    field. Never read as "erased"."""


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and value.keys() == ENVELOPE_KEYS


def envelopes_of(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The sealed fields of an event's stored data, by name."""
    return {field: value for field, value in data.items() if is_sealed(value)}


def _associated_data(subject: str, event_type: str, field: str) -> bytes:
    return f"{subject}\x1f{event_type}\x1f{field}".encode()


def seal_value(key: bytes, subject: str, event_type: str, field: str, value: Any) -> dict[str, str]:
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, orjson.dumps(value), _associated_data(subject, event_type, field))
    return {"sealed": SCHEME, "subject": subject, "ciphertext": base64.b64encode(nonce + ciphertext).decode()}


def open_value(cipher: AESGCM, envelope: dict[str, str], event_type: str, field: str) -> Any:
    """The value an envelope holds; ``cipher`` is ``AESGCM(the subject's key)``."""
    if envelope["sealed"] != SCHEME:
        raise SealedFieldUnreadable(f"{event_type}.{field} is sealed by an unknown scheme {envelope['sealed']!r}")
    raw = base64.b64decode(envelope["ciphertext"])
    try:
        plain = cipher.decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated_data(envelope["subject"], event_type, field)
        )
    except InvalidTag as exc:
        raise SealedFieldUnreadable(f"{event_type}.{field} of {envelope['subject']} does not open") from exc
    return orjson.loads(plain)


async def seal_appends(db: Database, streams: Sequence[StreamAppend]) -> list[StreamAppend]:
    """The appends with every personal field sealed; unchanged when none has any."""
    sealed = iter(await seal_events(db, [event for stream in streams for event in stream.events]))
    return [
        StreamAppend(stream.stream_id, tuple(next(sealed) for _ in stream.events), stream.expected_version)
        for stream in streams
    ]


async def seal_events(
    db: Database, events: Sequence[NewEvent], *, shred_erased: bool = False
) -> list[NewEvent]:
    """The events with every personal field sealed with its data subject's key (made for a subject
    who has none yet). A subject whose key was destroyed is refused (``PersonalDataErased``), or
    with ``shred_erased`` sealed under a key used once and never kept, so the value reads as
    erased: for events recorded before sealing existed about someone since erased."""
    subjects = {
        event.data_subject for event in events if event.data_subject is not None and _personal_values(event)
    }
    if not subjects:
        return list(events)
    keys = await keys_for_writing(db, subjects, shred_erased=shred_erased)
    sealed: list[NewEvent] = []
    for event in events:
        fields = _personal_values(event)
        if fields and event.data_subject is not None:
            key = keys[event.data_subject]
            data = dict(event.data)
            for field in fields:
                data[field] = seal_value(key, event.data_subject, event.event_type, field, data[field])
            event = NewEvent(
                event_type=event.event_type,
                data=data,
                effective_date=event.effective_date,
                schema_version=event.schema_version,
                subjects=event.subjects,
                personal=event.personal,
                data_subject=event.data_subject,
            )
        sealed.append(event)
    return sealed


async def as_written(
    db: Database,
    written: Sequence[StreamAppend],
    sealed: Sequence[StreamAppend],
    recorded: Sequence[RecordedEvent],
) -> list[RecordedEvent]:
    """The writer's answer opened: an event just sealed is given back with the caller's own values
    (no key lookup needed); one recorded earlier under the same idempotency key is revealed."""
    originals = {
        id(after.data): (before.data, after.data)
        for plain, stored in zip(written, sealed, strict=True)
        for before, after in zip(plain.events, stored.events, strict=True)
        if after.data is not before.data
    }
    answered = []
    for record in recorded:
        plain, stored = originals.get(id(record.data), (None, None))
        if stored is record.data:
            record = record._replace(data=plain, sealed=envelopes_of(stored))
        answered.append(record)
    return await reveal(db, answered)


def _personal_values(event: NewEvent) -> list[str]:
    # A field left out or null holds nothing personal and stays as it is.
    return [f for f in event.personal if event.data.get(f) is not None]


async def reveal(db: Database, records: Sequence[RecordedEvent]) -> list[RecordedEvent]:
    """The records with their sealed fields opened, or null and named in ``erased`` where the
    subject's key was destroyed. One query for the whole page, and none when nothing is sealed."""
    subjects = {
        value["subject"] for record in records for value in record.data.values() if is_sealed(value)
    }
    if not subjects:
        return list(records)
    keys = await keys_for_reading(db, subjects)
    ciphers = {subject: AESGCM(key) for subject, key in keys.items() if key is not None}
    revealed: list[RecordedEvent] = []
    for record in records:
        envelopes = envelopes_of(record.data)
        if not envelopes:
            revealed.append(record)
            continue
        data = dict(record.data)
        erased: list[str] = []
        for field, envelope in envelopes.items():
            cipher = ciphers.get(envelope["subject"])
            if cipher is None:
                data[field] = None
                erased.append(field)
            else:
                data[field] = open_value(cipher, envelope, record.event_type, field)
        revealed.append(record._replace(data=data, sealed=envelopes, erased=tuple(erased)))
    return revealed


async def read_as_needed(
    db: Database, records: Sequence[RecordedEvent], *, personal_data: bool
) -> list[RecordedEvent]:
    """The records ``reveal``ed for a reader whose work needs their personal fields, otherwise
    ``unopened`` (nothing decrypted)."""
    return await reveal(db, records) if personal_data else [unopened(record) for record in records]


def withhold(record: RecordedEvent) -> RecordedEvent:
    """The record as stored, its personal fields left sealed: for a reader with no need of them."""
    if not record.sealed:
        return record
    return record._replace(data={**record.data, **record.sealed}, sealed=None, erased=())


def unopened(record: RecordedEvent) -> RecordedEvent:
    """The record for a reader with no need of its personal fields, who must still fold it (a
    replayed record): each sealed field None and named in ``erased``, so rules read it as unknown,
    exactly as after an erasure. Nothing is decrypted."""
    envelopes = envelopes_of(record.data)
    if not envelopes:
        return record
    return record._replace(
        data={**record.data, **dict.fromkeys(envelopes)}, sealed=envelopes, erased=tuple(envelopes)
    )
