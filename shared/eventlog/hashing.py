"""The hash chain: each event's hash covers its content and the hash of the event before it.

The hash is computed over a canonical JSON text of the event's stored fields (sorted keys, no
insignificant white space), so anyone holding a copy of the log can recompute it. Changing any
field of any event, or removing or reordering events, breaks every later link.

The hash must be computed over exactly what a verifier will read back. PostgreSQL's jsonb keeps
numbers as decimals and rewrites some of them (``1e16`` comes back as ``10000000000000000``,
``-0.0`` as ``0``); timestamps come back in UTC. So:

* event data and metadata hold only strings, whole numbers within the range every JSON reader
  keeps exactly (I-JSON, RFC 7493: ±(2^53 - 1)), booleans, null, lists and objects. Fractions
  and larger numbers travel as decimal strings (money is already whole pence). ``check_storable``
  refuses anything else before it is written, naming where it is;
* strings hold no NUL and no lone surrogate, which jsonb and UTF-8 cannot store;
* object keys hold no character from U+E000 upwards (see below);
* ``recorded_at`` is hashed in UTC.

For values within these rules the canonical text is exactly RFC 8785's (JCS), so an auditor can
recompute hashes with any JCS implementation: JCS differs from sorted-key JSON only in how it
writes fractional numbers (refused here) and in sorting keys by UTF-16 code units, which orders
keys differently from code points only when they hold characters from U+E000 upwards (refused
in keys here). It is written with orjson rather than a JCS library because it is about seventy
times faster, and the writer and the verifier both hash every event.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date, datetime, timezone
from typing import Any

import orjson

GENESIS_HASH = bytes(32)
# The largest whole number every JSON reader keeps exactly (I-JSON, RFC 7493 section 2.2).
MAX_SAFE_INTEGER = 2**53 - 1


class NotStorable(ValueError):
    """A value the log cannot store and read back unchanged. ``path`` says where it is."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.reason = reason


def text_problem(text: str) -> str | None:
    """Why PostgreSQL could not store this string as text or jsonb, or None if it can."""
    if "\x00" in text:
        return "contains a NUL character (\\u0000), which cannot be stored"
    if text.isascii():  # no surrogate can be there: skip encoding a copy (the log checks every string)
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate (an unpaired \\ud800-\\udfff escape), which is not valid text"
    return None


def find_unstorable(value: Any, path: str = "", *, numbers: bool = True) -> Iterator[NotStorable]:
    """Every place in a JSON-like value the log could not store and read back unchanged.

    ``numbers=False`` looks at text only: a request may carry fractions (decimal places of a
    percentage, say) that its handler turns into text before anything reaches the log.
    """
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, str):
        if (reason := text_problem(value)) is not None:
            yield NotStorable(path, reason)
    elif not numbers and isinstance(value, int | float):
        return
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            yield NotStorable(path, f"whole numbers must be within ±{MAX_SAFE_INTEGER}; send larger ones as text")
    elif isinstance(value, float):
        yield NotStorable(path, "fractional numbers are not stored as numbers; send them as decimal text")
    elif isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                yield NotStorable(path, "object keys must be text")
                continue
            child = f"{path}.{key}" if path else key
            if (reason := text_problem(key)) is not None:
                yield NotStorable(child, reason)
            elif not key.isascii() and max(key) >= "\ue000":
                yield NotStorable(child, "object keys may not hold characters from U+E000 upwards")
            yield from find_unstorable(item, child, numbers=numbers)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from find_unstorable(item, f"{path}.{index}" if path else str(index), numbers=numbers)
    else:
        yield NotStorable(path, f"a {type(value).__name__} is not a JSON value")


def check_storable(value: Any, path: str = "") -> None:
    """Raise ``NotStorable`` for the first place the log could not store and read back unchanged."""
    for problem in find_unstorable(value, path):
        raise problem


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant white space: RFC 8785 for storable values."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def event_hash(
    *,
    prev_hash: bytes,
    position: int,
    stream_id: str,
    stream_version: int,
    event_type: str,
    schema_version: int,
    data: dict[str, Any],
    metadata: dict[str, Any],
    effective_date: date,
    recorded_at: datetime,
    subjects: tuple[str, ...] | list[str],
) -> bytes:
    if recorded_at.tzinfo is None:
        raise ValueError("recorded_at must carry a time zone")
    content = canonical_json(
        {
            "position": position,
            "stream_id": stream_id,
            "stream_version": stream_version,
            "type": event_type,
            "schema_version": schema_version,
            "data": data,
            "metadata": metadata,
            "effective_date": effective_date.isoformat(),
            "recorded_at": recorded_at.astimezone(timezone.utc).isoformat(),
            "subjects": list(subjects),
        }
    )
    return hashlib.sha256(prev_hash + content).digest()


def content_pieces(
    *,
    stream_id: str,
    event_type: str,
    schema_version: int,
    data_json: bytes,
    metadata_json: bytes,
    effective_date: date,
    recorded_at: datetime,
    subjects_json: bytes,
) -> tuple[bytes, bytes, bytes]:
    """An event's canonical content (what ``event_hash`` hashes) cut around its position and
    stream version, which only the database knows when the event is written: the content is
    ``head + str(position) + middle + str(stream_version) + tail``.

    ``data_json``, ``metadata_json`` and ``subjects_json`` are ``canonical_json`` of the data,
    the metadata and the list of subjects, so the writer serialises each once for both the hash
    and the stored columns. The canonical text sorts its keys, and "position" and
    "stream_version" fall between the others as written here.
    """
    if recorded_at.tzinfo is None:
        raise ValueError("recorded_at must carry a time zone")
    head = b"".join(
        (
            b'{"data":', data_json,
            b',"effective_date":', canonical_json(effective_date.isoformat()),
            b',"metadata":', metadata_json,
            b',"position":',
        )
    )
    middle = b"".join(
        (
            b',"recorded_at":', canonical_json(recorded_at.astimezone(timezone.utc).isoformat()),
            b',"schema_version":', canonical_json(schema_version),
            b',"stream_id":', canonical_json(stream_id),
            b',"stream_version":',
        )
    )
    tail = b"".join((b',"subjects":', subjects_json, b',"type":', canonical_json(event_type), b"}"))
    return head, middle, tail
