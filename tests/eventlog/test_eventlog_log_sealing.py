"""A log that was empty when migration 0008 ran never needs sealing: every event in it was sealed as
it was recorded. The record of whether the log needed sealing, and the bridges, cannot be changed."""

from __future__ import annotations

from datetime import date

import asyncpg
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.eventlog import NewEvent
from shared.eventlog.checkpoints import CheckpointKeys, CheckpointSigner, list_bridges
from shared.ops.seal_existing import seal_existing_log
from shared.privacy.log_sealing import sealing_needed


async def test_a_log_empty_when_migrated_never_needs_sealing(store, pool):
    assert dict(await pool.fetchrow("SELECT needed, head_when_migrated FROM eventlog.log_sealing")) == {
        "needed": False, "head_when_migrated": 0,
    }
    await store.append("tally-1", [NewEvent("Counted", {"n": 1}, date(2026, 5, 1))])
    assert not await sealing_needed(pool)

    signer = CheckpointSigner(Ed25519PrivateKey.generate())
    keys = CheckpointKeys([signer.public_key])
    outcome = await seal_existing_log(pool, actor="anna.smith", signer=signer, keys=keys, catalogues=[])

    assert outcome.lines == [
        "Nothing to do: the log was empty when it was migrated, so every event in it was sealed as it was "
        "recorded."
    ]
    assert outcome.bridge is None and await list_bridges(pool) == []


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE eventlog.log_sealing SET needed = true",
        "UPDATE eventlog.log_sealing SET sealed_at = now(), sealed_by = 'someone'",
        "DELETE FROM eventlog.log_sealing",
        "TRUNCATE eventlog.log_sealing",
        "INSERT INTO eventlog.log_bridges (rewritten_at, reason, actor, head_position, old_head_hash, "
        "new_head_hash, checkpoints, key_id, signature) VALUES (now(), 'r', 'a', 1, '', '', '[]', 'k', ''); "
        "UPDATE eventlog.log_bridges SET reason = 'another'",
        "INSERT INTO eventlog.log_bridges (rewritten_at, reason, actor, head_position, old_head_hash, "
        "new_head_hash, checkpoints, key_id, signature) VALUES (now(), 'r', 'a', 1, '', '', '[]', 'k', ''); "
        "DELETE FROM eventlog.log_bridges",
        "TRUNCATE eventlog.log_bridges",
    ],
)
async def test_nobody_changes_whether_the_log_needed_sealing_or_a_bridge(pool, change):
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        async with pool.acquire() as conn, conn.transaction():
            await conn.execute(change)
    assert await pool.fetchval("SELECT needed FROM eventlog.log_sealing") is False
