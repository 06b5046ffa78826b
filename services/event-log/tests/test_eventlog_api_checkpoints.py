"""Signed checkpoints: published on a schedule, listed and checkable through the API, and the
way a rewritten-and-rehashed history - which the chain alone cannot see - is caught."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import asyncpg
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from pydantic import ValidationError

from shared.eventlog.checkpoints import ChainBroken, CheckpointSigner, public_key_pem, publish_checkpoint

from event_log.settings import EventLogSettings

from eventlog_api_support import event_log_app, raw, rewrite_and_rehash, tamper


def counted(n: int):
    return raw("Counted", {"n": n}, date(2025, 5, 1))


async def fill(log, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        await log.append("counter-1", [counted(i)])


async def publish(client) -> int:
    """What the service's scheduler does on each tick."""
    return await client.app.state.scheduler.run_once()


def as_query(checkpoint: dict) -> dict:
    return {k: checkpoint[k] for k in ("position", "hash", "published_at", "key_id", "signature")}


@pytest.fixture(autouse=True)
def publish_whenever_the_log_grew(monkeypatch):
    monkeypatch.setenv("CHECKPOINT_EVERY_SECONDS", "0")


async def test_the_service_publishes_a_signed_checkpoint_when_the_log_has_grown(client, auth, log, clock):
    await fill(log, 5)
    assert await publish(client) == 1
    assert await publish(client) == 0  # nothing new since
    await fill(log, 3, start=5)
    clock.set(clock.now() + timedelta(minutes=5))
    assert await publish(client) == 1
    headers = auth("auditor")
    listed = (await client.get("/checkpoints", headers=headers)).json()["items"]
    assert [c["position"] for c in listed] == [5, 8]
    latest = (await client.get("/checkpoints/latest", headers=headers)).json()
    assert latest == listed[-1]
    assert (
        latest["hash"]
        == (await client.get("/feed", params={"after": 7}, headers=headers)).json()["items"][0]["hash"]
    )
    assert latest["published_at"] == clock.now().isoformat(timespec="microseconds")

    # Anyone can check a checkpoint with the published key and any Ed25519 library.
    (key,) = (await client.get("/checkpoints/keys", headers=headers)).json()["keys"]
    assert key["key_id"] == latest["key_id"]
    signed = (
        '{"algorithm":"Ed25519","hash":"%s","key_id":"%s","position":%d,"published_at":"%s"}'
        % (latest["hash"], latest["key_id"], latest["position"], latest["published_at"])
    ).encode()
    load_pem_public_key(key["public_key_pem"].encode()).verify(bytes.fromhex(latest["signature"]), signed)


async def test_checkpoints_wait_for_the_configured_interval_between_them(
    service_client, log, clock, monkeypatch
):
    monkeypatch.setenv("CHECKPOINT_EVERY_SECONDS", "3600")
    async with service_client(event_log_app()) as hourly:
        await fill(log, 2)
        assert await publish(hourly) == 1
        await fill(log, 2, start=2)
        clock.set(clock.now() + timedelta(minutes=59))
        assert await publish(hourly) == 0
        clock.set(clock.now() + timedelta(minutes=2))
        assert await publish(hourly) == 1


async def test_an_auditors_checkpoint_matches_an_untouched_log(client, auth, log):
    await fill(log, 6)
    await publish(client)
    headers = auth("auditor")
    kept = (await client.get("/checkpoints/latest", headers=headers)).json()
    await fill(log, 4, start=6)
    result = (await client.get("/checkpoints/check", params=as_query(kept), headers=headers)).json()
    assert result["ok"] is True and result["reason"] is None
    assert result["genuine"] is True and result["matches_log"] is True
    assert result["chain"]["ok"] is True and result["chain"]["last_position"] == 10


async def test_a_rewritten_and_rehashed_history_passes_the_chain_but_not_a_checkpoint(
    client, auth, log, pool
):
    await fill(log, 10)
    await publish(client)
    headers = auth("auditor")
    kept = (await client.get("/checkpoints/latest", headers=headers)).json()

    await rewrite_and_rehash(pool, 4, {"n": 4000})

    assert (await client.get("/streams/counter-1", headers=headers)).json()["items"][3]["data"] == {
        "n": 4000
    }
    verification = (await client.get("/verification", headers=headers)).json()
    assert verification["chain"]["ok"] is True  # every hash was recomputed: the chain alone is fooled
    assert verification["ok"] is False  # but the published checkpoint no longer matches the log
    assert verification["checkpoints"]["failures"] == [
        {"position": 10, "reason": verification["checkpoints"]["failures"][0]["reason"]}
    ]
    assert "rewritten" in verification["checkpoints"]["failures"][0]["reason"]

    result = (await client.get("/checkpoints/check", params=as_query(kept), headers=headers)).json()
    assert result["ok"] is False
    assert result["genuine"] is True and result["chain"]["ok"] is True and result["matches_log"] is False
    assert "position 10" in result["reason"] and "rewritten" in result["reason"]


async def test_a_tampered_row_fails_the_check_at_its_position(client, auth, log, pool):
    await fill(log, 6)
    await publish(client)
    headers = auth("auditor")
    kept = (await client.get("/checkpoints/latest", headers=headers)).json()
    await tamper(pool, 2, {"n": 200})
    result = (await client.get("/checkpoints/check", params=as_query(kept), headers=headers)).json()
    assert result["ok"] is False and result["chain"]["broken_position"] == 2
    assert "broken at position 2" in result["reason"]


async def test_a_forged_or_altered_checkpoint_is_not_genuine(client, auth, log, pool):
    await fill(log, 6)
    await publish(client)
    headers = auth("auditor")
    kept = (await client.get("/checkpoints/latest", headers=headers)).json()

    # Someone rewrites history and "re-publishes" a checkpoint over it without the key.
    await rewrite_and_rehash(pool, 3, {"n": 300})
    new_head = (await client.get("/feed", params={"after": 5}, headers=headers)).json()["items"][0]["hash"]
    forged = {**as_query(kept), "hash": new_head}
    result = (await client.get("/checkpoints/check", params=forged, headers=headers)).json()
    assert result["ok"] is False and result["genuine"] is False
    assert "signature does not verify" in result["reason"]

    stranger = CheckpointSigner.from_pem(_pem_of_new_key())
    signed_elsewhere = stranger.sign(
        position=6,
        log_hash=bytes.fromhex(new_head),
        published_at=datetime.fromisoformat(kept["published_at"]),
    )
    result = (
        await client.get("/checkpoints/check", params=as_query(signed_elsewhere.to_json()), headers=headers)
    ).json()
    assert result["genuine"] is False and "does not trust" in result["reason"]

    # Altering the stored checkpoint to match the rewritten log breaks its signature.
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute("UPDATE eventlog.checkpoints SET hash = $1", bytes.fromhex(new_head))
    failures = (await client.get("/verification", headers=headers)).json()["checkpoints"]["failures"]
    assert failures == [{"position": 6, "reason": failures[0]["reason"]}]
    assert "signature does not verify" in failures[0]["reason"]


async def test_no_checkpoint_is_signed_over_a_broken_chain(client, log, pool, clock):
    await fill(log, 4)
    await publish(client)
    await fill(log, 4, start=4)
    await tamper(pool, 6, {"n": 600})
    with pytest.raises(ChainBroken) as refused:
        await publish_checkpoint(pool, client.app.state.checkpoint_signer, clock.now())
    assert refused.value.result.broken_position == 6
    assert await publish(client) == 0  # the scheduled job logs the refusal and publishes nothing
    assert [c["position"] for c in (await pool.fetch("SELECT position FROM eventlog.checkpoints"))] == [4]


async def test_no_checkpoint_is_signed_over_a_history_rewritten_before_the_last_one(client, log, pool, clock):
    await fill(log, 4)
    await publish(client)
    await fill(log, 4, start=4)
    await rewrite_and_rehash(pool, 2, {"n": 200})
    with pytest.raises(ChainBroken) as refused:
        await publish_checkpoint(pool, client.app.state.checkpoint_signer, clock.now())
    assert refused.value.result.broken_position == 4
    assert "last published checkpoint" in refused.value.result.reason


async def test_published_checkpoints_cannot_be_changed_or_deleted(client, log, pool):
    await fill(log, 2)
    await publish(client)
    for statement in ("UPDATE eventlog.checkpoints SET position = 1", "DELETE FROM eventlog.checkpoints"):
        with pytest.raises(asyncpg.PostgresError) as refused:
            await pool.execute(statement)
        assert "append-only" in str(refused.value)


def _pem_of_new_key() -> bytes:
    return Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def test_production_refuses_to_start_without_a_checkpoint_signing_key():
    production = {
        "environment": "production",
        "database_url": "postgresql://u:p@db/education",
        "jwks_url": "https://idp.council.example/.well-known/jwks.json",
        "jwt_issuer": "https://idp.council.example",
        "personal_data_master_key": "c2VhbGluZyBrZXkgb2YgdGhlIHRlc3QgY291bmNpbCE=",
    }
    with pytest.raises(ValidationError) as refused:
        EventLogSettings(**production)
    assert "CHECKPOINT_SIGNING_KEY" in str(refused.value)
    with pytest.raises(ValidationError):
        EventLogSettings(**production, checkpoint_signing_key="changeme")
    settings = EventLogSettings(**production, checkpoint_signing_key=_pem_of_new_key().decode())
    signer = settings.checkpoint_signer()
    assert settings.checkpoint_keys(signer).knows(signer.key_id)


def test_a_retired_key_still_verifies_the_checkpoints_it_signed():
    old, new = CheckpointSigner.from_pem(_pem_of_new_key()), CheckpointSigner.from_pem(_pem_of_new_key())
    settings = EventLogSettings(
        environment="test", checkpoint_retired_public_keys=[public_key_pem(old.public_key)]
    )
    keys = settings.checkpoint_keys(new)
    signed_long_ago = old.sign(
        position=3, log_hash=bytes(32), published_at=datetime(2025, 4, 1, tzinfo=timezone.utc)
    )
    assert keys.is_genuine(signed_long_ago)
    assert not EventLogSettings(environment="test").checkpoint_keys(new).is_genuine(signed_long_ago)
