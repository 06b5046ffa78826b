"""Personal fields are stored sealed with the child's key, read back opened, and read as erased
(null, named in ``erased``) once the key is destroyed; the chain verifies either way."""

from __future__ import annotations

import asyncio
import base64
from datetime import date

import pytest
from pydantic import ValidationError

from shared.eventlog import NewEvent
from shared.eventlog.verify import verify_chain
from shared.privacy import keys
from shared.privacy.keys import DEVELOPMENT_MASTER_KEY, LocalKeyWrapper, ErasedSubjectRefused
from shared.privacy.sealing import SealedFieldUnreadable, is_sealed, reveal
from shared.settings import ServiceSettings

NAME, VOICE = "Ottoline Brackenbury-Voss", "I want to stay at Kestrel Primary with Mr Abernethy"


def entered_care(child_id: str = "C1", *, name: str = NAME) -> NewEvent:
    return NewEvent(
        event_type="ChildEnteredCare",
        data={"child_id": child_id, "name": name, "date_of_birth": "2013-02-17", "legal_status": "full_care_order"},
        effective_date=date(2024, 9, 2),
        subjects=(f"child:{child_id}",),
        personal=("name", "date_of_birth"),
        data_subject=f"child:{child_id}",
    )


async def destroy_key(pool, subject: str) -> None:
    await pool.execute(
        "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = $1", subject
    )


async def test_personal_fields_are_stored_sealed_and_read_back_opened(store, pool):
    [recorded] = await store.append("child-C1", [entered_care()])
    assert recorded.data["name"] == NAME  # the writer's answer is opened too

    raw = await pool.fetchval("SELECT data::text FROM eventlog.events WHERE position = 1")
    assert NAME not in raw and "2013-02-17" not in raw
    assert '"legal_status": "full_care_order"' in raw  # statuses stay in the clear
    stored = await pool.fetchval("SELECT data FROM eventlog.events WHERE position = 1")
    assert is_sealed(stored["name"]) and stored["name"]["subject"] == "child:C1"

    [read] = await store.read_stream("child-C1")
    assert (read.data["name"], read.data["date_of_birth"], read.erased) == (NAME, "2013-02-17", ())
    assert read.content_hash() == read.hash
    assert (await verify_chain(pool)).ok


async def test_once_the_key_is_destroyed_the_fields_read_as_erased_and_the_chain_still_verifies(store, pool):
    await store.append("child-C1", [entered_care()])
    await store.append("child-C2", [entered_care("C2", name="Someone Else")])
    await destroy_key(pool, "child:C1")

    [gone] = await store.read_stream("child-C1")
    assert gone.data["name"] is None and gone.data["date_of_birth"] is None
    assert gone.data["legal_status"] == "full_care_order"
    assert set(gone.erased) == {"name", "date_of_birth"}
    assert gone.content_hash() == gone.hash  # the hash covers the envelope, which is still there
    assert gone.to_json()["erased"] == ["name", "date_of_birth"]
    [kept] = await store.read_stream("child-C2")
    assert kept.data["name"] == "Someone Else"
    assert (await verify_chain(pool)).ok

    # And no key means nothing can be opened from the table, even with the master key.
    assert await pool.fetchval("SELECT wrapped_key FROM eventlog.subject_keys WHERE subject = 'child:C1'") is None


async def test_nothing_more_personal_can_be_recorded_about_an_erased_child(store, pool):
    await store.append("child-C1", [entered_care()])
    await destroy_key(pool, "child:C1")
    with pytest.raises(ErasedSubjectRefused) as refused:
        await store.append("child-C1", [entered_care()])
    assert refused.value.status == 409
    # An event with nothing personal in it is still recorded (an overdue PEP, say).
    await store.append(
        "child-C1",
        [NewEvent("PepOverdue", {"child_id": "C1"}, date(2025, 1, 1), subjects=("child:C1",))],
    )
    assert await store.stream_version("child-C1") == 2


async def test_an_envelope_moved_to_another_field_does_not_open(store, pool):
    await store.append("child-C1", [entered_care()])
    [record] = await store.read_stream("child-C1")
    tampered = record._replace(data={**record.stored_data, "date_of_birth": record.sealed["name"]}, sealed=None)
    with pytest.raises(SealedFieldUnreadable):
        await reveal(pool, [tampered])


async def test_two_first_writes_about_one_child_racing_share_one_key(store, pool):
    await asyncio.gather(
        store.append("child-C1", [entered_care()]),
        store.append("pep-C1-2025", [entered_care(name="Second")]),
    )
    assert await pool.fetchval("SELECT count(*) FROM eventlog.subject_keys") == 1
    assert {r.data["name"] for r in await store.read_all()} == {NAME, "Second"}


async def test_a_key_wrapped_under_another_master_key_is_an_error_not_an_erasure(store, pool):
    await store.append("child-C1", [entered_care()])
    keys.install_wrapper(LocalKeyWrapper(b"\x07" * 32))
    try:
        with pytest.raises(keys.KeyUnwrapFailed):
            await store.read_stream("child-C1")
    finally:
        keys.install_wrapper(LocalKeyWrapper(DEVELOPMENT_MASTER_KEY))


PRODUCTION = {
    "environment": "production",
    "database_url": "postgresql://u:p@db/education",
    "jwks_url": "https://idp.council.example/.well-known/jwks.json",
    "jwt_issuer": "https://idp.council.example",
}


@pytest.mark.parametrize(
    "master_key, complaint",
    [
        ("", "PERSONAL_DATA_MASTER_KEY (or PERSONAL_DATA_KEY_WRAPPER) must be set"),
        ("changeme", "must be set"),
        ("not base64!", "must be base64"),
        (base64.b64encode(b"short").decode(), "must be 32 bytes"),
        (base64.b64encode(DEVELOPMENT_MASTER_KEY).decode(), "must not be the development key"),
    ],
)
def test_production_refuses_to_start_without_a_real_master_key(master_key, complaint):
    with pytest.raises(ValidationError) as refused:
        ServiceSettings(**PRODUCTION, personal_data_master_key=master_key)
    assert complaint in str(refused.value)


def council_kms(settings):
    """A council's key store, as PERSONAL_DATA_KEY_WRAPPER names it (here, a local key)."""
    return LocalKeyWrapper(b"\x05" * 32)


def test_a_council_key_store_is_plugged_in_by_naming_its_factory():
    settings = ServiceSettings(
        **PRODUCTION, personal_data_key_wrapper=f"{__name__}:council_kms"
    )
    wrapper = keys.wrapper_from_settings(settings)
    assert wrapper.name == LocalKeyWrapper(b"\x05" * 32).name
    assert wrapper.unwrap(wrapper.wrap(b"k" * 32, "child:C1"), "child:C1") == b"k" * 32
    with pytest.raises(keys.KeyUnwrapFailed):
        wrapper.unwrap(wrapper.wrap(b"k" * 32, "child:C1"), "child:C2")


def test_a_service_installs_the_key_store_its_settings_name_as_it_is_built(signing_keys):
    from shared.events import EventCatalogue
    from shared.web.app import create_service_app

    settings = ServiceSettings(
        database_url="postgresql://u:p@localhost/x", personal_data_key_wrapper=f"{__name__}:council_kms",
        dev_public_key_path=signing_keys[1],
    )
    try:
        create_service_app(
            name="schools", title="t", description="d", settings=settings,
            catalogue=EventCatalogue("schools"), routers=(),
        )
        assert keys.key_wrapper().name == LocalKeyWrapper(b"\x05" * 32).name
    finally:
        keys.install_wrapper(LocalKeyWrapper(DEVELOPMENT_MASTER_KEY))
