"""Verification of the hash chain: recompute every hash and name the first broken link."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg

from shared.eventlog.hashing import GENESIS_HASH
from shared.eventlog.store import EVENT_COLUMNS, record_from_row


@dataclass(frozen=True)
class VerificationResult:
    ok: bool
    checked: int
    first_position: int | None
    last_position: int | None
    last_hash: str | None
    broken_position: int | None = None
    reason: str | None = None

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "checked": self.checked,
            "first_position": self.first_position,
            "last_position": self.last_position,
            "last_hash": self.last_hash,
            "broken_position": self.broken_position,
            "reason": self.reason,
        }


async def verify_chain(
    pool: asyncpg.Pool | asyncpg.Connection,
    *,
    from_position: int = 1,
    to_position: int | None = None,
    page_size: int = 5000,
) -> VerificationResult:
    """Check positions ``from_position``..``to_position`` (default: to the head).

    Checks that positions are contiguous, that each event links to the hash of the one before
    it, and that each hash matches the event's content. Starting mid-log trusts the stored hash
    of the event just before ``from_position`` as the anchor. Given a connection rather than a
    pool, it reads in that connection's transaction (what a rewrite of the log checks before it
    commits).
    """
    async with _connection(pool) as conn:
        if from_position <= 1:
            expected_prev, expected_position = GENESIS_HASH, 1
        else:
            anchor = await conn.fetchval(
                "SELECT hash FROM eventlog.events WHERE position = $1", from_position - 1
            )
            if anchor is None:
                return VerificationResult(
                    False, 0, None, None, None, from_position - 1, "the anchor event is missing"
                )
            expected_prev, expected_position = bytes(anchor), from_position
        checked = 0
        first = last = None
        last_hash: bytes | None = None
        after = expected_position - 1
        while True:
            rows = await conn.fetch(
                f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position > $1 "
                "AND ($2::bigint IS NULL OR position <= $2) ORDER BY position LIMIT $3",
                after,
                to_position,
                page_size,
            )
            if not rows:
                break
            for row in rows:
                event = record_from_row(row)
                if first is None:
                    first = event.position
                if event.position != expected_position:
                    return VerificationResult(
                        False, checked, first, last, _hex(last_hash), expected_position,
                        f"position {expected_position} is missing from the log",
                    )
                if event.prev_hash != expected_prev:
                    return VerificationResult(
                        False, checked, first, last, _hex(last_hash), event.position,
                        "the event does not link to the hash of the event before it",
                    )
                recomputed = event.content_hash()
                if recomputed != event.hash:
                    return VerificationResult(
                        False, checked, first, last, _hex(last_hash), event.position,
                        "the event's content does not match its hash",
                    )
                checked += 1
                last = event.position
                last_hash = event.hash
                expected_prev = event.hash
                expected_position += 1
            after = rows[-1]["position"]
        return VerificationResult(True, checked, first, last, _hex(last_hash))


@asynccontextmanager
async def _connection(db: asyncpg.Pool | asyncpg.Connection) -> AsyncIterator[asyncpg.Connection]:
    if isinstance(db, asyncpg.Pool):
        async with db.acquire() as conn:
            yield conn
    else:  # a connection, or a pool's proxy of one, already in the caller's transaction
        yield db


def _hex(value: bytes | None) -> str | None:
    return value.hex() if value is not None else None
