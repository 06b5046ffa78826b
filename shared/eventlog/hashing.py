"""The hash chain: each event's hash covers its content and the hash of the event before it.

The hash is computed over a canonical JSON text (sorted keys, no spaces) of the event's stored
fields, so anyone holding a copy of the log can recompute it with any JSON library. Changing
any field of any event, or removing or reordering events, breaks every later link.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

import orjson

GENESIS_HASH = bytes(32)


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON with sorted keys and no insignificant white space."""
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
            "recorded_at": recorded_at.isoformat(),
            "subjects": list(subjects),
        }
    )
    return hashlib.sha256(prev_hash + content).digest()
