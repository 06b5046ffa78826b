"""Signed checkpoints: the log's position and hash at a moment, signed with the council's key.

The hash chain shows that nothing was changed *unless* someone rewrote an event and then
recomputed every hash after it: the chain is then intact again. A checkpoint closes that gap.
It states "at position P the log's hash was H", with the time it was published, signed with an
Ed25519 key that never leaves the event-log service. An auditor keeps copies of checkpoints
outside the council's database; later, a log whose hash at P is no longer H has been rewritten,
however carefully its chain was recomputed, and a rewritten checkpoint no longer verifies
against the key.

The signed text is canonical JSON of position, hash, time, key id and algorithm, so anyone can
check a checkpoint with any Ed25519 library and the published public key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import asyncpg

from shared.database import BIGINT_MAX
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.eventlog.verify import VerificationResult, verify_chain

ALGORITHM = "Ed25519"
DEV_CHECKPOINT_KEY_NAME = "checkpoint-signing-key.pem"
# Two instances publishing at once would only race to insert the same row; the lock makes the
# second one see the first one's checkpoint instead (the ASCII of "CHKP").
PUBLISH_LOCK_KEY = 0x43484B50


class ChainBroken(Exception):
    """The log no longer verifies, so no checkpoint is signed over it."""

    def __init__(self, result: VerificationResult) -> None:
        super().__init__(f"not signing a checkpoint: position {result.broken_position}: {result.reason}")
        self.result = result


def instant_text(moment: datetime) -> str:
    """One spelling of an instant (UTC, microseconds) so the signed text survives the database."""
    if moment.tzinfo is None:
        raise ValueError("a checkpoint's time must be timezone-aware")
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def signed_text(*, position: int, log_hash: bytes, published_at: datetime, key_id: str) -> bytes:
    """Canonical JSON (sorted keys, no spaces, ASCII) of what a checkpoint states."""
    fields = {
        "algorithm": ALGORITHM,
        "hash": log_hash.hex(),
        "key_id": key_id,
        "position": position,
        "published_at": instant_text(published_at),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode("ascii")


def key_id_of(public_key: Ed25519PublicKey) -> str:
    """A key's id is its fingerprint, so a new key always has a new id and ids need no registry."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519:" + hashlib.sha256(raw).hexdigest()[:16]


def public_key_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


@dataclass(frozen=True)
class Checkpoint:
    position: int
    hash: bytes
    published_at: datetime
    key_id: str
    signature: bytes

    def signed_text(self) -> bytes:
        return signed_text(
            position=self.position, log_hash=self.hash, published_at=self.published_at, key_id=self.key_id
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "hash": self.hash.hex(),
            "published_at": instant_text(self.published_at),
            "key_id": self.key_id,
            "algorithm": ALGORITHM,
            "signature": self.signature.hex(),
        }


class CheckpointSigner:
    def __init__(self, private_key: Ed25519PrivateKey) -> None:
        self._private_key = private_key
        self.public_key = private_key.public_key()
        self.key_id = key_id_of(self.public_key)

    @classmethod
    def from_pem(cls, pem: str | bytes) -> CheckpointSigner:
        data = pem.encode("ascii") if isinstance(pem, str) else pem
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except (ValueError, TypeError) as exc:
            raise ValueError("the checkpoint signing key is not a readable PEM private key") from exc
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("the checkpoint signing key must be an Ed25519 key")
        return cls(key)

    def sign(self, *, position: int, log_hash: bytes, published_at: datetime) -> Checkpoint:
        published_at = published_at.astimezone(timezone.utc)
        text = signed_text(
            position=position, log_hash=log_hash, published_at=published_at, key_id=self.key_id
        )
        return Checkpoint(position, log_hash, published_at, self.key_id, self._private_key.sign(text))


class CheckpointKeys:
    """The public keys checkpoints are checked against: the current one and any retired ones."""

    def __init__(self, keys: Iterable[Ed25519PublicKey]) -> None:
        self._keys = {key_id_of(k): k for k in keys}

    @classmethod
    def from_pems(cls, pems: Iterable[str | bytes]) -> CheckpointKeys:
        return cls(load_public_key(p) for p in pems)

    def is_genuine(self, checkpoint: Checkpoint) -> bool:
        key = self._keys.get(checkpoint.key_id)
        if key is None:
            return False
        try:
            key.verify(checkpoint.signature, checkpoint.signed_text())
        except InvalidSignature:
            return False
        return True

    def knows(self, key_id: str) -> bool:
        return key_id in self._keys

    def to_json(self) -> list[dict[str, str]]:
        return [
            {"key_id": key_id, "algorithm": ALGORITHM, "public_key_pem": public_key_pem(key)}
            for key_id, key in self._keys.items()
        ]


def load_public_key(pem: str | bytes) -> Ed25519PublicKey:
    data = pem.encode("ascii") if isinstance(pem, str) else pem
    key = serialization.load_pem_public_key(data)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("a checkpoint public key must be an Ed25519 key")
    return key


def ensure_dev_checkpoint_key(directory: Path) -> Path:
    """The development signing key, created once beside the development token key."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / DEV_CHECKPOINT_KEY_NAME
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        path.chmod(0o600)
    return path


# -- the published checkpoints ------------------------------------------------------------------

_COLUMNS = "position, hash, published_at, key_id, signature"


def _from_row(row: asyncpg.Record) -> Checkpoint:
    return Checkpoint(
        position=row["position"],
        hash=bytes(row["hash"]),
        published_at=row["published_at"],
        key_id=row["key_id"],
        signature=bytes(row["signature"]),
    )


async def latest_checkpoint(conn: asyncpg.Connection | asyncpg.Pool) -> Checkpoint | None:
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM eventlog.checkpoints ORDER BY position DESC LIMIT 1")
    return _from_row(row) if row else None


async def list_checkpoints(pool: asyncpg.Pool, *, after: int = 0, limit: int = 100) -> list[Checkpoint]:
    rows = await pool.fetch(
        f"SELECT {_COLUMNS} FROM eventlog.checkpoints WHERE position > $1 ORDER BY position LIMIT $2",
        min(after, BIGINT_MAX),
        limit,
    )
    return [_from_row(r) for r in rows]


async def publish_checkpoint(
    pool: asyncpg.Pool,
    signer: CheckpointSigner,
    now: datetime,
    *,
    min_interval: timedelta = timedelta(0),
) -> Checkpoint | None:
    """Sign and store a checkpoint at the head of the log, if the log has grown since the last one
    and ``min_interval`` has passed. The events since the last checkpoint are verified first: a
    checkpoint vouches for the chain it extends, so a broken chain is never signed over."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", PUBLISH_LOCK_KEY)
            head = await conn.fetchrow(
                "SELECT position, hash FROM eventlog.events ORDER BY position DESC LIMIT 1"
            )
            last = await latest_checkpoint(conn)
            if head is None or (last is not None and last.position >= head["position"]):
                return None
            if last is not None and now - last.published_at < min_interval:
                return None
    start = 1
    if last is not None:
        stored = await pool.fetchval("SELECT hash FROM eventlog.events WHERE position = $1", last.position)
        if stored is None or bytes(stored) != last.hash:
            raise ChainBroken(
                VerificationResult(
                    ok=False,
                    checked=0,
                    first_position=None,
                    last_position=None,
                    last_hash=None,
                    broken_position=last.position,
                    reason="the log's hash differs from the last published checkpoint",
                )
            )
        start = last.position + 1
    result = await verify_chain(pool, from_position=start, to_position=head["position"])
    if not result.ok:
        raise ChainBroken(result)
    checkpoint = signer.sign(position=head["position"], log_hash=bytes(head["hash"]), published_at=now)
    inserted = await pool.fetchval(
        f"INSERT INTO eventlog.checkpoints ({_COLUMNS}) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (position) DO NOTHING RETURNING position",
        checkpoint.position,
        checkpoint.hash,
        checkpoint.published_at,
        checkpoint.key_id,
        checkpoint.signature,
    )
    return checkpoint if inserted is not None else None


# -- checking the log against checkpoints ---------------------------------------------------------


@dataclass(frozen=True)
class CheckpointCheck:
    """The log compared with one checkpoint: is the checkpoint genuine, is the chain intact, and
    is the log's hash at the checkpoint's position still the hash that was signed?"""

    checkpoint: Checkpoint
    genuine: bool
    log_hash: bytes | None
    chain: VerificationResult | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.reason is None

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "reason": self.reason,
            "checkpoint": self.checkpoint.to_json(),
            "genuine": self.genuine,
            "log_hash_at_position": self.log_hash.hex() if self.log_hash is not None else None,
            "matches_log": self.log_hash == self.checkpoint.hash,
            "chain": self.chain.to_json() if self.chain is not None else None,
        }


def _mismatch_reason(checkpoint: Checkpoint, log_hash: bytes | None) -> str | None:
    if log_hash is None:
        return f"the log has no event at position {checkpoint.position}: events have been removed"
    if log_hash != checkpoint.hash:
        return (
            f"the log's hash at position {checkpoint.position} is not the hash that was signed: "
            "history up to that position has been rewritten"
        )
    return None


async def check_checkpoint(
    pool: asyncpg.Pool, checkpoint: Checkpoint, keys: CheckpointKeys, *, verify_whole_chain: bool = True
) -> CheckpointCheck:
    """Check the log against a checkpoint someone kept (an auditor's copy, say)."""
    genuine = keys.is_genuine(checkpoint)
    stored = await pool.fetchval("SELECT hash FROM eventlog.events WHERE position = $1", checkpoint.position)
    log_hash = bytes(stored) if stored is not None else None
    chain = await verify_chain(pool) if verify_whole_chain else None
    reason: str | None = None
    if not genuine:
        reason = (
            "the signature does not verify: the checkpoint was altered or was not signed by a key "
            "this log trusts"
            if keys.knows(checkpoint.key_id)
            else f"the checkpoint was signed with key {checkpoint.key_id}, which this log does not trust"
        )
    elif chain is not None and not chain.ok:
        reason = f"the hash chain is broken at position {chain.broken_position}: {chain.reason}"
    else:
        reason = _mismatch_reason(checkpoint, log_hash)
    return CheckpointCheck(checkpoint, genuine, log_hash, chain, reason)


async def check_published_checkpoints(
    pool: asyncpg.Pool, keys: CheckpointKeys, *, from_position: int = 1, to_position: int | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """Check every published checkpoint in a range against its signature and the log.

    Returns how many were checked and the failures (position and reason)."""
    rows = await pool.fetch(
        "SELECT c.position, c.hash, c.published_at, c.key_id, c.signature, e.hash AS log_hash "
        "FROM eventlog.checkpoints c LEFT JOIN eventlog.events e ON e.position = c.position "
        "WHERE c.position >= $1 AND ($2::bigint IS NULL OR c.position <= $2) ORDER BY c.position",
        from_position,
        to_position,
    )
    failures: list[dict[str, Any]] = []
    for row in rows:
        checkpoint = _from_row(row)
        if not keys.is_genuine(checkpoint):
            reason = "the published checkpoint's signature does not verify: the checkpoint was altered"
        else:
            reason = _mismatch_reason(
                checkpoint, bytes(row["log_hash"]) if row["log_hash"] is not None else None
            )
        if reason is not None:
            failures.append({"position": checkpoint.position, "reason": reason})
    return len(rows), failures


@dataclass(frozen=True)
class LogVerification:
    """A range of the log verified: its hash chain, and the published checkpoints within it."""

    chain: VerificationResult
    checkpoints_checked: int
    checkpoint_failures: list[dict[str, Any]]

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.checkpoint_failures

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "chain": self.chain.to_json(),
            "checkpoints": {"checked": self.checkpoints_checked, "failures": self.checkpoint_failures},
        }


async def verify_log(
    pool: asyncpg.Pool, keys: CheckpointKeys, *, from_position: int = 1, to_position: int | None = None
) -> LogVerification:
    """Recompute the hash chain over ``from_position``..``to_position`` (default: to the head) and
    check each published checkpoint in that range against its signature and the log: what the
    event-log service's /verification answers and the operator command's ``verify`` prints."""
    chain = await verify_chain(pool, from_position=from_position, to_position=to_position)
    checked, failures = await check_published_checkpoints(
        pool, keys, from_position=from_position, to_position=to_position
    )
    return LogVerification(chain, checked, failures)
