"""``verify``: an untouched log verifies against its signed checkpoints; an event whose content was
changed is named as the first break; a checkpoint that does not verify with the trusted key fails."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.eventlog import NewEvent
from shared.eventlog.checkpoints import CheckpointSigner, public_key_pem, publish_checkpoint

CHAIN_OK = "Hash chain: positions 1 to 6 checked (6 events): each links to the one before it and matches its hash."
CHECKPOINTS_OK = "Signed checkpoints: 2 checked: each signature is genuine and each hash is the log's at its position."


def counted(n: int) -> NewEvent:
    return NewEvent(event_type="Counted", data={"n": n}, effective_date=date(2026, 5, 1))


@pytest.fixture
def checkpoint_key() -> Ed25519PrivateKey:
    """The event-log service's signing key."""
    return Ed25519PrivateKey.generate()


@pytest.fixture
def signer(checkpoint_key) -> CheckpointSigner:
    return CheckpointSigner(checkpoint_key)


@pytest.fixture
def key_file(tmp_path, signer):
    """The public key as GET /checkpoints/keys publishes it, saved by the operator."""
    path = tmp_path / "checkpoint-key.pem"
    path.write_text(public_key_pem(signer.public_key))
    return str(path)


@pytest.fixture
def as_event_log(service_database_url) -> list[str]:
    return ["--database-url", service_database_url("event-log")]


@pytest.fixture
async def log(store, pool, signer) -> None:
    """Six events, with checkpoints published at positions 4 and 6."""
    for n in range(1, 5):
        await store.append(f"tally-{n % 2}", [counted(n)])
    await publish_checkpoint(pool, signer, datetime(2026, 11, 2, 9, tzinfo=timezone.utc))
    for n in range(5, 7):
        await store.append(f"tally-{n % 2}", [counted(n)])
    await publish_checkpoint(pool, signer, datetime(2026, 11, 2, 10, tzinfo=timezone.utc))


async def tamper(pool, position: int) -> None:
    """What only the tables' owner could do: switch the log's guard off and change an event."""
    async with pool.acquire() as conn:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute("UPDATE eventlog.events SET data = '{\"n\": 999}' WHERE position = $1", position)


async def test_an_untouched_log_verifies_against_its_checkpoints(log, ops, key_file, as_event_log):
    ran = await ops("verify", "--public-key", key_file, *as_event_log)

    assert (ran.code, ran.err) == (0, "")
    assert ran.out.splitlines() == [CHAIN_OK, CHECKPOINTS_OK, "The log verifies."]


async def test_a_changed_event_is_named_as_the_first_break(log, ops, key_file, as_event_log, pool):
    await tamper(pool, 3)
    await tamper(pool, 5)

    ran = await ops("verify", "--public-key", key_file, *as_event_log)

    assert ran.code == 1
    assert ran.out.splitlines()[0] == (
        "Hash chain: 2 events from position 1 check out, then it breaks at position 3: "
        "the event's content does not match its hash."
    )
    assert ran.err == (
        "error: the log does not verify: the hash chain first breaks at position 3: "
        "the event's content does not match its hash\n"
    )


async def test_a_range_is_verified_with_the_checkpoints_within_it(log, ops, key_file, as_event_log, pool):
    await tamper(pool, 6)
    ran = await ops("verify", "--from", "2", "--to", "4", "--public-key", key_file, *as_event_log)

    assert ran.code == 0, ran.err
    assert ran.out.splitlines() == [
        "Hash chain: positions 2 to 4 checked (3 events): each links to the one before it and matches its hash.",
        "Signed checkpoints: 1 checked: each signature is genuine and each hash is the log's at its position.",
        "The log verifies.",
    ]
    backwards = await ops("verify", "--from", "4", "--to", "2", "--public-key", key_file, *as_event_log)
    assert (backwards.code, backwards.err) == (1, "error: --to 2 is before --from 4\n")


async def test_checkpoints_signed_with_a_key_not_trusted_fail(log, ops, tmp_path, as_event_log):
    stranger = tmp_path / "another-key.pem"
    stranger.write_text(public_key_pem(Ed25519PrivateKey.generate().public_key()))

    ran = await ops("verify", "--public-key", str(stranger), *as_event_log)

    assert ran.code == 1
    assert ran.out.splitlines()[:2] == [CHAIN_OK, "Signed checkpoints: 2 checked, 2 failed:"]
    assert ran.err.startswith("error: the log does not verify: the checkpoint at position 4 fails: ")
    assert len(ran.err.splitlines()) == 1


async def test_without_a_key_file_it_trusts_the_keys_of_the_event_log_services_settings(
    log, ops, checkpoint_key, as_event_log, monkeypatch
):
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("CHECKPOINT_SIGNING_KEY", pem(checkpoint_key))
    trusted = await ops("verify", *as_event_log)
    assert trusted.code == 0, trusted.err
    assert CHECKPOINTS_OK in trusted.out

    monkeypatch.setenv("CHECKPOINT_SIGNING_KEY", pem(Ed25519PrivateKey.generate()))
    rotated_without_listing_the_old_key = await ops("verify", *as_event_log)
    assert rotated_without_listing_the_old_key.code == 1


def pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
