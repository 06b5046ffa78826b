"""``seal-existing-log`` on a log recorded before personal fields were sealed: until it has run no
service starts; afterwards no byte of the children's names, dates of birth or words is left in any
table, the log reads exactly as before, the chain verifies, every checkpoint published before it
verifies through its signed bridge (and not through a tampered one), and the services start."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
import json
import sys
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import ClassVar

import asyncpg
import pytest
from alembic import command
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared import devserver
from shared.eventlog import NewEvent
from shared.eventlog.checkpoints import (
    CheckpointKeys,
    CheckpointSigner,
    bridges_of,
    check_checkpoint,
    list_bridges,
    list_checkpoints,
    verify_log,
)
from shared.events import Event, EventCatalogue
from shared.migrations import EVENTLOG_MIGRATIONS, upgrade_all
from shared.ops.errors import Refused
from shared.ops.seal_existing import seal_existing_log, service_catalogues
from shared.privacy.keys import keys_for_writing
from shared.privacy.log_sealing import LogNotSealed, sealing_needed
from shared.privacy.sealing import is_sealed
from shared.services import SERVICES, all_migrations, database_roles
from shared.testing.fixtures import with_database

sys.path.insert(0, str(Path(__file__).parent))
from sealing_support import (  # noqa: E402
    CARER,
    CHECKPOINTED,
    CHILD_VOICE,
    NAME,
    NEW_CARER,
    PLAIN,
    SECOND_NAME,
    pem,
    record_before_sealing,
    services_disconnected,
    tables_holding,
)

BEFORE_SEALING = "0007"  # the log's last migration before sealing existed
ACTOR = "anna.smith INC-20431"


def append_group_function() -> str:
    """The DDL of the store's one-statement append, from the migration that creates it."""
    import shared.eventlog

    path = Path(shared.eventlog.__file__).parent / "migrations" / "versions" / "0009_append_in_one_statement.py"
    spec = importlib.util.spec_from_file_location("append_in_one_statement", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration.APPEND_GROUP


@pytest.fixture
async def database_url(postgres_url: str) -> AsyncIterator[str]:
    """This module's databases hold a log migrated only as far as it was before sealing existed;
    ``pool``, ``store`` and ``service_client`` all use it."""
    name = f"edu_sealing_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = with_database(postgres_url, name)
    await asyncio.to_thread(command.upgrade, EVENTLOG_MIGRATIONS.config(url), BEFORE_SEALING)
    # Today's store writes the old log: it needs its one-statement append (migration 0009).
    conn = await asyncpg.connect(url)
    try:
        await conn.execute(append_group_function())
    finally:
        await conn.close()
    yield url
    admin = await asyncpg.connect(postgres_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
def checkpoint_key(monkeypatch) -> Ed25519PrivateKey:
    """The event-log service's signing key, in its settings as in its container."""
    key = Ed25519PrivateKey.generate()
    monkeypatch.setenv("ENVIRONMENT", "test")
    monkeypatch.setenv("CHECKPOINT_SIGNING_KEY", pem(key))
    return key


@pytest.fixture
def keys(checkpoint_key) -> CheckpointKeys:
    """What an auditor holds: the published public key."""
    return CheckpointKeys([checkpoint_key.public_key()])


@pytest.fixture
async def recorded(database_url, store, pool, checkpoint_key) -> None:
    """The log written and checkpointed before sealing existed, then everything migrated to head."""
    await record_before_sealing(store, pool, CheckpointSigner(checkpoint_key))
    await asyncio.to_thread(upgrade_all, all_migrations(), database_url)


def seal(ops, database_url):
    return ops("seal-existing-log", "--actor", ACTOR, "--database-url", database_url)


def app_factory(spec):
    module, _, name = spec.app.partition(":")
    return getattr(importlib.import_module(module), name)


async def test_no_service_starts_until_the_log_is_sealed_and_every_one_starts_afterwards(
    recorded, pool, service_client, ops, database_url, auth
):
    status = await pool.fetchrow("SELECT needed, head_when_migrated, sealed_at FROM eventlog.log_sealing")
    assert dict(status) == {"needed": True, "head_when_migrated": 8, "sealed_at": None}
    for spec in SERVICES:
        with pytest.raises(LogNotSealed) as refused:
            async with service_client(app_factory(spec)):
                pass
        assert "python -m shared.ops seal-existing-log" in str(refused.value), spec.name

    await services_disconnected(pool)
    ran = await seal(ops, database_url)
    assert ran.code == 0, ran.err
    assert not await sealing_needed(pool)

    for spec in SERVICES:
        async with service_client(app_factory(spec)) as client:
            assert (await client.get("/ready")).json()["checks"]["migrations"] is True, spec.name
            if spec.name == "pep":  # as its own role: the sealed table's grants, the children's keys
                record = await client.get("/children/C1", headers=auth("virtual_school_officer"))
                assert record.status_code == 200, record.text
                assert (record.json()["name"], record.json()["carer"]) == (NAME, NEW_CARER)


async def test_no_plain_personal_data_is_left_in_any_table_and_the_log_reads_as_it_did(
    recorded, pool, store, ops, database_url, keys
):
    before = await store.read_all()
    keyed = {key: await store.recorded_for_key(key) for key in ("enter-C1", "enter-C2", "review-C1")}
    await pool.execute("ANALYZE eventlog.events")
    # The search finds what there is to find: the log, and the planner's samples of it.
    assert await tables_holding(pool, PLAIN) == ["eventlog.events", "pg_catalog.pg_statistic"]

    ran = await seal(ops, database_url)

    assert ran.code == 0, ran.err
    assert await tables_holding(pool, PLAIN) == []
    rows = await pool.fetch("SELECT position, data FROM eventlog.events")
    stored = {row["position"]: row["data"] for row in rows}
    assert is_sealed(stored[2]["name"]) and is_sealed(stored[6]["child_voice"])
    assert is_sealed(stored[7]["carer"])
    assert stored[2]["legal_status"] == "full_care_order"  # what is not personal stays in the clear
    assert stored[7]["social_worker"] is None  # a field left out stays as it was

    after = await store.read_all()
    assert [as_read(r) for r in after] == [as_read(r) for r in before]
    assert after[0].hash == before[0].hash  # before the first sealed event nothing changed
    assert all(a.hash != b.hash for a, b in zip(after[1:], before[1:], strict=True))
    for key, events in keyed.items():
        again = await store.recorded_for_key(key)
        assert [as_read(r) for r in again] == [as_read(r) for r in events], key
        assert [r.hash for r in again] == [after[r.position - 1].hash for r in again], key

    verified = await verify_log(pool, keys)
    assert verified.ok, verified.to_json()
    assert [c["position"] for c in verified.checkpoints.bridged] == [3, 7]
    [bridge] = await list_bridges(pool)
    lines = ran.out.splitlines()
    assert lines[1:3] == [
        "The log as it stands verifies: 8 events, 3 signed checkpoints.",
        "Sealed 14 personal fields in 5 events about 2 data subjects (positions 2 to 7); 3 events held none.",
    ]
    assert (
        f"The sealed log verifies; 2 checkpoints published before it verify through {bridge.describe()}."
    ) in lines
    assert lines[-1] == "Vacuumed and analysed eventlog.events."
    assert bridge.actor == ACTOR
    assert await pool.fetchval("SELECT sealed_by FROM eventlog.log_sealing") == ACTOR


def as_read(record) -> tuple:
    """Everything a reader sees of an event but its place in the chain."""
    return (
        record.position, record.stream_id, record.stream_version, record.event_type, record.schema_version,
        record.data, record.metadata, record.effective_date, record.recorded_at, tuple(record.subjects),
        record.erased,
    )


async def test_checkpoints_published_before_verify_through_the_signed_bridge_and_not_a_tampered_one(
    recorded, pool, ops, database_url, keys, checkpoint_key, service_client, auth
):
    kept = await list_checkpoints(pool)  # an auditor's copies, kept outside the council's systems
    assert [c.position for c in kept] == list(CHECKPOINTED)

    assert (await seal(ops, database_url)).code == 0

    [bridge] = await list_bridges(pool)
    through = f"the bridge of {bridge.made_on.isoformat()}"
    checks = [await check_checkpoint(pool, checkpoint, keys) for checkpoint in kept]
    assert [(c.ok, c.to_json()["verified_through"]) for c in checks] == [
        (True, None), (True, through), (True, through)
    ]
    assert all(c.to_json()["matches_log"] for c in checks)
    verified = await ops("verify", "--database-url", database_url)
    assert verified.code == 0, verified.err
    assert verified.out.splitlines()[1] == (
        "Signed checkpoints: 3 checked: each signature is genuine and each hash is the log's at its position "
        f"(2 verified through {through})."
    )

    async with service_client(app_factory(service("event-log"))) as client:
        headers = auth("auditor")
        [published] = (await client.get("/checkpoints/bridges", headers=headers)).json()["items"]
        assert published["genuine"] is True
        # What an auditor does with their old copy, with the public key and nothing of the council's:
        # the bridge is genuine, it carries the kept hash, and the log holds what it carries it to.
        signed = {k: v for k, v in published.items() if k not in ("id", "signature", "genuine")}
        text = json.dumps(signed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
        checkpoint_key.public_key().verify(bytes.fromhex(published["signature"]), text)
        assert [c["position"] for c in published["checkpoints"]] == list(CHECKPOINTED)
        carried = {c["old_hash"]: c["new_hash"] for c in published["checkpoints"]}
        feed = (await client.get("/feed", headers=headers)).json()["items"]
        assert [feed[c.position - 1]["hash"] for c in kept[1:]] == [carried[c.hash.hex()] for c in kept[1:]]
        answer = (await client.get("/checkpoints/check", params=as_query(kept[2]), headers=headers)).json()
        assert (answer["ok"], answer["verified_through"]) == (True, through)
        # The next checkpoint extends the sealed log: the last one before it holds through the bridge.
        await client.app.state.scheduler.run_once()
        assert [c.position for c in await list_checkpoints(pool)] == [*CHECKPOINTED, 8]

        await tamper_with_bridge(pool)
        answer = (await client.get("/checkpoints/check", params=as_query(kept[2]), headers=headers)).json()
        assert answer["ok"] is False and answer["verified_through"] is None
        assert f"{through} names this checkpoint but its signature does not verify" in answer["reason"]
        assert (await client.get("/verification", headers=headers)).json()["ok"] is False
        [forged] = (await client.get("/checkpoints/bridges", headers=headers)).json()["items"]
        assert forged["genuine"] is False
    assert not (await check_checkpoint(pool, kept[1], keys)).ok


def service(name: str):
    return next(spec for spec in SERVICES if spec.name == name)


def as_query(checkpoint) -> dict:
    published = checkpoint.to_json()
    return {k: published[k] for k in ("position", "hash", "published_at", "key_id", "signature")}


async def tamper_with_bridge(pool) -> None:
    """What only the tables' owner could do: switch the guard off and change the bridge's record
    of an old checkpoint's hash to a hash of their choosing."""
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute(
            "UPDATE eventlog.log_bridges SET checkpoints = jsonb_set(checkpoints, '{0,new_hash}', "
            "to_jsonb(repeat('ab', 32)))"
        )


async def test_running_it_again_does_nothing(recorded, pool, ops, database_url):
    assert (await seal(ops, database_url)).code == 0
    hashes = await pool.fetch("SELECT position, hash FROM eventlog.events ORDER BY position")

    again = await seal(ops, database_url)

    assert again.code == 0, again.err
    assert again.out.splitlines()[-1].startswith("Nothing to do: the log was sealed on ")
    assert again.out.splitlines()[-1].endswith(f" by {ACTOR}.")
    assert await pool.fetch("SELECT position, hash FROM eventlog.events ORDER BY position") == hashes
    assert await pool.fetchval("SELECT count(*) FROM eventlog.log_bridges") == 1
    # And the record that it was sealed cannot be taken back, even by the owner.
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await pool.execute("UPDATE eventlog.log_sealing SET sealed_at = NULL, sealed_by = NULL")


async def test_a_child_erased_before_the_sealing_reads_as_erased_after_it(
    recorded, pool, store, ops, database_url
):
    await keys_for_writing(pool, ["child:C2"])
    await pool.execute(
        "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = 'child:C2'"
    )

    assert (await seal(ops, database_url)).code == 0

    [gone] = await store.read_stream("child-C2")
    assert (gone.data["name"], gone.data["date_of_birth"], gone.data["carer"]) == (None, None, None)
    assert set(gone.erased) == {
        "name", "date_of_birth", "social_worker", "carer", "independent_reviewing_officer"
    }
    assert gone.data["legal_status"] == "full_care_order"
    [kept, _] = await store.read_stream("child-C1")
    assert (kept.data["name"], kept.data["carer"]) == (NAME, CARER)
    assert await tables_holding(pool, (SECOND_NAME,)) == []
    # The erasure stays what it was: no key for C2 was made or kept.
    key = await pool.fetchval("SELECT wrapped_key FROM eventlog.subject_keys WHERE subject = 'child:C2'")
    assert key is None


async def test_nothing_changes_unless_the_owner_runs_it_with_the_services_stopped_on_a_log_that_verifies(
    recorded, pool, ops, database_url, service_database_url
):
    as_pep = await ops("seal-existing-log", "--actor", ACTOR, "--database-url", service_database_url("pep"))
    assert as_pep.code == 1
    assert "only the owner of the log's tables" in as_pep.err

    running = await asyncpg.connect(service_database_url("notices"))
    try:
        while_running = await seal(ops, database_url)
    finally:
        await running.close()
    assert while_running.code == 1
    assert "the services are still connected to this database (1 as notices_service)" in while_running.err

    await services_disconnected(pool)
    async with pool.acquire() as conn, conn.transaction():
        await conn.execute("SET LOCAL session_replication_role = replica")
        await conn.execute("UPDATE eventlog.events SET data = data || '{\"n\": 99}' WHERE position = 8")
    broken = await seal(ops, database_url)
    assert broken.code == 1
    assert broken.err.startswith(
        "error: the log does not verify: the hash chain first breaks at position 8: "
        "the event's content does not match its hash. Sealing recomputes every hash"
    )

    assert await sealing_needed(pool)
    assert await tables_holding(pool, (CHILD_VOICE,)) == ["eventlog.events"]
    assert await pool.fetchval("SELECT count(*) FROM eventlog.log_bridges") == 0


async def test_a_log_holding_no_plain_personal_data_is_recorded_as_sealed_without_a_rewrite(
    database_url, store, pool, ops
):
    await store.append("tally-1", [NewEvent("Counted", {"n": 1}, date(2024, 9, 1))])
    await asyncio.to_thread(upgrade_all, all_migrations(), database_url)
    assert await sealing_needed(pool)
    head = await pool.fetchrow("SELECT position, hash FROM eventlog.events")

    ran = await seal(ops, database_url)

    assert ran.code == 0, ran.err
    assert ran.out.splitlines()[-2:] == [
        "No event held personal data in plain text: nothing was rewritten.",
        f"Recorded in eventlog.log_sealing as done by {ACTOR}; the services may start.",
    ]
    assert not await sealing_needed(pool)
    assert await pool.fetchrow("SELECT position, hash FROM eventlog.events") == head
    assert await list_bridges(pool) == []


class NameRecorded(Event):
    """A test's own event whose personal field was called ``full_name`` in its first shape."""

    event_type: ClassVar[str] = "NameRecorded"
    schema_version: ClassVar[int] = 2
    personal_fields: ClassVar[tuple[str, ...]] = ("name",)

    child_id: str
    name: str

    def subjects(self) -> list[str]:
        return [f"child:{self.child_id}"]


RENAMING = EventCatalogue("renaming", [NameRecorded])


@RENAMING.upcaster("NameRecorded", 1)
def _full_name_became_name(data: dict) -> dict:
    return {"child_id": data["child_id"], "name": data["full_name"]}


async def test_a_personal_field_kept_under_another_name_in_an_older_shape_stops_it(
    recorded, pool, store, keys, checkpoint_key
):
    old_shape = {"child_id": "C9", "full_name": "Wilhelmina Grout"}
    await store.append("names-C9", [NewEvent("NameRecorded", old_shape, date(2024, 9, 1), schema_version=1)])

    with pytest.raises(Refused) as refused:
        await seal_existing_log(
            pool, actor=ACTOR, signer=CheckpointSigner(checkpoint_key), keys=keys,
            catalogues=[*service_catalogues(), RENAMING],
        )

    assert "position 9 (NameRecorded v1) is stored in an older shape that holds name differently" in str(
        refused.value
    )
    assert await sealing_needed(pool)
    assert await tables_holding(pool, ("Wilhelmina Grout", NAME)) == ["eventlog.events"]


async def test_the_development_launcher_seals_a_development_log_itself(recorded, pool, database_url, keys):
    await asyncio.to_thread(devserver.prepare_database, database_url, database_roles(), {})

    assert not await sealing_needed(pool)
    assert await tables_holding(pool, PLAIN) == []
    [bridge] = (await bridges_of(pool, keys)).genuine  # signed with the event-log settings' key
    assert bridge.actor == devserver.DEVELOPMENT_ACTOR
