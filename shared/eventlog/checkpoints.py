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

A *bridge* records a rewrite the council made on purpose: the events recorded before personal
fields were sealed had their names, dates of birth and words sealed in place (``python -m
shared.ops seal-existing-log``), which changed their hashes and every hash after them. Signed
with the same key, a bridge gives, for every position a checkpoint had been published at, the
hash the checkpoint signed and the hash the log holds there since. A checkpoint published before
the rewrite still verifies, "through the bridge", when a genuine bridge carries its hash to the
log's; a bridge whose signature does not verify is never followed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import asyncpg
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from shared.clock import COUNCIL_TIMEZONE
from shared.database import BIGINT_MAX
from shared.eventlog.hashing import canonical_json
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

    def sign_bridge(self, bridge: Bridge) -> Bridge:
        signed = replace(bridge, key_id=self.key_id, signature=b"")
        return replace(signed, signature=self._private_key.sign(signed.signed_text()))


class CheckpointKeys:
    """The public keys checkpoints are checked against: the current one and any retired ones."""

    def __init__(self, keys: Iterable[Ed25519PublicKey]) -> None:
        self._keys = {key_id_of(k): k for k in keys}

    @classmethod
    def from_pems(cls, pems: Iterable[str | bytes]) -> CheckpointKeys:
        return cls(load_public_key(p) for p in pems)

    def is_genuine(self, signed: Checkpoint | Bridge) -> bool:
        key = self._keys.get(signed.key_id)
        if key is None:
            return False
        try:
            key.verify(signed.signature, signed.signed_text())
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


# -- bridges: the log rewritten on purpose, and the checkpoints carried across --------------------


@dataclass(frozen=True)
class BridgedHash:
    """At a position a checkpoint was published at: the hash it signed, and the log's hash there
    since the rewrite (the same, before the first event the rewrite changed)."""

    position: int
    old_hash: bytes
    new_hash: bytes

    def to_json(self) -> dict[str, Any]:
        return {"position": self.position, "old_hash": self.old_hash.hex(), "new_hash": self.new_hash.hex()}


@dataclass(frozen=True)
class Bridge:
    """One rewrite of the log: when, why, who asked, the head before and after (its position does
    not change), and each published checkpoint's hash before and after; signed like a checkpoint."""

    rewritten_at: datetime
    reason: str
    actor: str
    head_position: int
    old_head_hash: bytes
    new_head_hash: bytes
    checkpoints: tuple[BridgedHash, ...]
    key_id: str = ""
    signature: bytes = b""
    id: int | None = None

    def signed_text(self) -> bytes:
        """RFC 8785 canonical JSON (UTF-8, keys sorted, no white space) of what the bridge states."""
        return canonical_json(
            {
                "algorithm": ALGORITHM,
                "key_id": self.key_id,
                "rewritten_at": instant_text(self.rewritten_at),
                "reason": self.reason,
                "actor": self.actor,
                "head_position": self.head_position,
                "old_head_hash": self.old_head_hash.hex(),
                "new_head_hash": self.new_head_hash.hex(),
                "checkpoints": [c.to_json() for c in self.checkpoints],
            }
        )

    @property
    def made_on(self) -> date:
        return self.rewritten_at.astimezone(COUNCIL_TIMEZONE).date()

    def describe(self) -> str:
        """``the bridge of 2026-12-05``: how answers name it."""
        return f"the bridge of {self.made_on.isoformat()}"

    def new_hash_for(self, position: int, signed_hash: bytes) -> bytes | None:
        """The log's hash at ``position`` since the rewrite, if the rewrite changed it from
        ``signed_hash`` (a checkpoint before the first rewritten event needs no bridge)."""
        for bridged in self.checkpoints:
            if bridged.position == position and bridged.old_hash == signed_hash != bridged.new_hash:
                return bridged.new_hash
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "rewritten_at": instant_text(self.rewritten_at),
            "reason": self.reason,
            "actor": self.actor,
            "head_position": self.head_position,
            "old_head_hash": self.old_head_hash.hex(),
            "new_head_hash": self.new_head_hash.hex(),
            "checkpoints": [c.to_json() for c in self.checkpoints],
            "key_id": self.key_id,
            "algorithm": ALGORITHM,
            "signature": self.signature.hex(),
        }


@dataclass(frozen=True)
class Carried:
    """Where a checkpoint's signed hash leads once every genuine bridge it crosses is followed:
    the hash the log should hold at its position now, and the bridges crossed (none: the hash
    that was signed)."""

    hash: bytes
    crossed: tuple[Bridge, ...] = ()

    def through(self) -> str | None:
        return " then ".join(bridge.describe() for bridge in self.crossed) or None


@dataclass(frozen=True)
class Bridges:
    """The log's bridges in the order the rewrites happened, as this log's keys judge them."""

    genuine: tuple[Bridge, ...] = ()
    not_genuine: tuple[Bridge, ...] = ()

    def carry(self, position: int, signed_hash: bytes) -> Carried:
        hash_, crossed = signed_hash, []
        for bridge in self.genuine:
            new_hash = bridge.new_hash_for(position, hash_)
            if new_hash is not None:
                hash_ = new_hash
                crossed.append(bridge)
        return Carried(hash_, tuple(crossed))

    def not_followed(self, position: int, signed_hash: bytes) -> Bridge | None:
        """A bridge that would carry this checkpoint but does not verify: named when it fails."""
        return next((b for b in self.not_genuine if b.new_hash_for(position, signed_hash)), None)


_BRIDGE_COLUMNS = (
    "rewritten_at, reason, actor, head_position, old_head_hash, new_head_hash, checkpoints, key_id, signature"
)


def _bridge_from_row(row: asyncpg.Record) -> Bridge:
    checkpoints = row["checkpoints"]
    if isinstance(checkpoints, str):  # a connection without the log's jsonb codec
        checkpoints = json.loads(checkpoints)
    return Bridge(
        rewritten_at=row["rewritten_at"],
        reason=row["reason"],
        actor=row["actor"],
        head_position=row["head_position"],
        old_head_hash=bytes(row["old_head_hash"]),
        new_head_hash=bytes(row["new_head_hash"]),
        checkpoints=tuple(
            BridgedHash(c["position"], bytes.fromhex(c["old_hash"]), bytes.fromhex(c["new_hash"]))
            for c in checkpoints
        ),
        key_id=row["key_id"],
        signature=bytes(row["signature"]),
        id=row["id"],
    )


async def list_bridges(
    db: asyncpg.Pool | asyncpg.Connection, *, after: int = 0, limit: int = 100
) -> list[Bridge]:
    """The published bridges, oldest first; none on a log never rewritten (or not migrated yet)."""
    if await db.fetchval("SELECT to_regclass('eventlog.log_bridges')") is None:
        return []
    rows = await db.fetch(
        f"SELECT id, {_BRIDGE_COLUMNS} FROM eventlog.log_bridges WHERE id > $1 ORDER BY id LIMIT $2",
        min(after, BIGINT_MAX),
        limit,
    )
    return [_bridge_from_row(r) for r in rows]


async def bridges_of(db: asyncpg.Pool | asyncpg.Connection, keys: CheckpointKeys) -> Bridges:
    """Every bridge, judged genuine or not by ``keys``. A log is rewritten once or twice in its
    life, so they are all read at once."""
    bridges = await list_bridges(db, limit=BIGINT_MAX)
    return Bridges(
        genuine=tuple(b for b in bridges if keys.is_genuine(b)),
        not_genuine=tuple(b for b in bridges if not keys.is_genuine(b)),
    )


async def record_bridge(conn: asyncpg.Connection, bridge: Bridge) -> Bridge:
    """Store a signed bridge (in the rewrite's own transaction); the bridge with its id."""
    bridge_id = await conn.fetchval(
        f"INSERT INTO eventlog.log_bridges ({_BRIDGE_COLUMNS}) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9) RETURNING id",
        bridge.rewritten_at,
        bridge.reason,
        bridge.actor,
        bridge.head_position,
        bridge.old_head_hash,
        bridge.new_head_hash,
        json.dumps([c.to_json() for c in bridge.checkpoints]),
        bridge.key_id,
        bridge.signature,
    )
    return replace(bridge, id=bridge_id)


# -- publishing -----------------------------------------------------------------------------------


async def publish_checkpoint(
    pool: asyncpg.Pool,
    signer: CheckpointSigner,
    now: datetime,
    *,
    min_interval: timedelta = timedelta(0),
    keys: CheckpointKeys | None = None,
) -> Checkpoint | None:
    """Sign and store a checkpoint at the head of the log, if the log has grown since the last one
    and ``min_interval`` has passed. The events since the last checkpoint are verified first: a
    checkpoint vouches for the chain it extends, so a broken chain is never signed over. The last
    checkpoint must still hold, directly or through a bridge genuine by ``keys`` (default: the
    signer's own key)."""
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
        bridges = await bridges_of(pool, keys or CheckpointKeys([signer.public_key]))
        if stored is None or bytes(stored) != bridges.carry(last.position, last.hash).hash:
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
    carried: Carried | None = None

    @property
    def ok(self) -> bool:
        return self.reason is None

    def to_json(self) -> dict[str, Any]:
        carried = self.carried or Carried(self.checkpoint.hash)
        return {
            "ok": self.ok,
            "reason": self.reason,
            "checkpoint": self.checkpoint.to_json(),
            "genuine": self.genuine,
            "log_hash_at_position": self.log_hash.hex() if self.log_hash is not None else None,
            # The log's hash is the one signed, or the one a genuine bridge carries it to.
            "matches_log": self.log_hash == carried.hash,
            "verified_through": carried.through() if self.ok else None,
            "bridges_crossed": [
                {"id": b.id, "rewritten_at": instant_text(b.rewritten_at), "reason": b.reason}
                for b in carried.crossed
            ],
            "chain": self.chain.to_json() if self.chain is not None else None,
        }


def _against_log(
    position: int, signed_hash: bytes, log_hash: bytes | None, bridges: Bridges
) -> tuple[Carried, str | None]:
    """Where the signed hash leads through the genuine bridges, and why the log's hash at the
    position is not there (None when it is)."""
    carried = bridges.carry(position, signed_hash)
    if log_hash is None:
        return carried, f"the log has no event at position {position}: events have been removed"
    if log_hash == carried.hash:
        return carried, None
    if carried.crossed:
        return carried, (
            f"the log's hash at position {position} is not the hash {carried.through()} carries the "
            "checkpoint to: history up to that position has been rewritten since"
        )
    reason = (
        f"the log's hash at position {position} is not the hash that was signed: "
        "history up to that position has been rewritten"
    )
    unfollowed = bridges.not_followed(position, signed_hash)
    if unfollowed is not None:
        reason += (
            f"; {unfollowed.describe()} names this checkpoint but its signature does not verify: it "
            "was altered, or not signed by a key this log trusts"
        )
    return carried, reason


async def check_checkpoint(
    pool: asyncpg.Pool, checkpoint: Checkpoint, keys: CheckpointKeys, *, verify_whole_chain: bool = True
) -> CheckpointCheck:
    """Check the log against a checkpoint someone kept (an auditor's copy, say)."""
    genuine = keys.is_genuine(checkpoint)
    stored = await pool.fetchval("SELECT hash FROM eventlog.events WHERE position = $1", checkpoint.position)
    log_hash = bytes(stored) if stored is not None else None
    chain = await verify_chain(pool) if verify_whole_chain else None
    carried, mismatch = _against_log(
        checkpoint.position, checkpoint.hash, log_hash, await bridges_of(pool, keys)
    )
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
        reason = mismatch
    return CheckpointCheck(checkpoint, genuine, log_hash, chain, reason, carried)


@dataclass(frozen=True)
class PublishedCheckpoints:
    """The published checkpoints of a range checked: how many, those that failed (position and
    reason) and those that hold through a bridge (position and which bridges)."""

    checked: int = 0
    failures: list[dict[str, Any]] = field(default_factory=list)
    bridged: list[dict[str, Any]] = field(default_factory=list)


async def check_published_checkpoints(
    pool: asyncpg.Pool | asyncpg.Connection,
    keys: CheckpointKeys,
    *,
    from_position: int = 1,
    to_position: int | None = None,
) -> PublishedCheckpoints:
    """Check every published checkpoint in a range against its signature and the log, following
    the genuine bridges of the log's rewrites."""
    rows = await pool.fetch(
        "SELECT c.position, c.hash, c.published_at, c.key_id, c.signature, e.hash AS log_hash "
        "FROM eventlog.checkpoints c LEFT JOIN eventlog.events e ON e.position = c.position "
        "WHERE c.position >= $1 AND ($2::bigint IS NULL OR c.position <= $2) ORDER BY c.position",
        from_position,
        to_position,
    )
    bridges = await bridges_of(pool, keys) if rows else Bridges()
    result = PublishedCheckpoints(checked=len(rows))
    for row in rows:
        checkpoint = _from_row(row)
        log_hash = bytes(row["log_hash"]) if row["log_hash"] is not None else None
        carried, reason = _against_log(checkpoint.position, checkpoint.hash, log_hash, bridges)
        if not keys.is_genuine(checkpoint):
            reason = "the published checkpoint's signature does not verify: the checkpoint was altered"
        if reason is not None:
            result.failures.append({"position": checkpoint.position, "reason": reason})
        elif carried.crossed:
            result.bridged.append({"position": checkpoint.position, "verified_through": carried.through()})
    return result


@dataclass(frozen=True)
class LogVerification:
    """A range of the log verified: its hash chain, and the published checkpoints within it."""

    chain: VerificationResult
    checkpoints: PublishedCheckpoints

    @property
    def checkpoints_checked(self) -> int:
        return self.checkpoints.checked

    @property
    def checkpoint_failures(self) -> list[dict[str, Any]]:
        return self.checkpoints.failures

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.checkpoint_failures

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "chain": self.chain.to_json(),
            "checkpoints": {
                "checked": self.checkpoints.checked,
                "failures": self.checkpoints.failures,
                "through_bridges": self.checkpoints.bridged,
            },
        }


async def verify_log(
    pool: asyncpg.Pool | asyncpg.Connection,
    keys: CheckpointKeys,
    *,
    from_position: int = 1,
    to_position: int | None = None,
) -> LogVerification:
    """Recompute the hash chain over ``from_position``..``to_position`` (default: to the head) and
    check each published checkpoint in that range against its signature and the log: what the
    event-log service's /verification answers and the operator command's ``verify`` prints."""
    chain = await verify_chain(pool, from_position=from_position, to_position=to_position)
    checkpoints = await check_published_checkpoints(
        pool, keys, from_position=from_position, to_position=to_position
    )
    return LogVerification(chain, checkpoints)
