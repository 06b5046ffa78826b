"""Each data subject's key: made the first time personal data about them is recorded, wrapped by a
master key before it is stored, destroyed to erase them.

The keys live in ``eventlog.subject_keys``, one row per data subject (``child:<id>``), each a
random 256-bit AES key wrapped (encrypted) by the master key. Whoever can read the table but not
use the master key learns nothing. Erasing a subject sets their wrapped key to NULL; a database
trigger allows no other change to the table, no DELETE and no TRUNCATE, so the row stays to say
when the key was destroyed.

The master key never reaches the database. By default it is ``PERSONAL_DATA_MASTER_KEY`` from
the environment (``LocalKeyWrapper``); a council that keeps its keys in a KMS or an HSM names a
factory in ``PERSONAL_DATA_KEY_WRAPPER`` that returns a ``KeyWrapper`` calling it, and the
master key then never leaves the KMS (docs/privacy.md, "Plugging in a key store").
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import os
from collections import OrderedDict
from collections.abc import Collection
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import asyncpg
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from shared.errors import Conflict

if TYPE_CHECKING:
    from shared.settings import ServiceSettings

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # GCM's standard nonce; random per encryption, never reused with a key

# The master key of development and test databases. Production refuses it (ServiceSettings).
DEVELOPMENT_MASTER_KEY = hashlib.sha256(b"education services: development personal-data master key").digest()


@runtime_checkable
class KeyWrapper(Protocol):
    """Wraps and unwraps data subjects' keys with a master key it holds (or a KMS holds).

    ``name`` is stored beside every key it wraps, so an operator can tell which master key a
    row needs; it must not reveal the master key.
    """

    name: str

    def wrap(self, key: bytes, subject: str) -> bytes: ...

    def unwrap(self, wrapped: bytes, subject: str) -> bytes: ...


class KeyUnwrapFailed(RuntimeError):
    """A stored key could not be unwrapped: the wrong master key is configured, or the row was
    altered. Never taken to mean "erased": that is a NULL key, and only that."""


class LocalKeyWrapper:
    """AES-256-GCM under a master key from the environment, with the subject as associated data
    (a wrapped key copied onto another subject's row does not unwrap)."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != KEY_BYTES:
            raise ValueError(f"the personal-data master key must be {KEY_BYTES} bytes")
        self._aead = AESGCM(master_key)
        # A fingerprint, not the key: which master key wrapped a row.
        self.name = "local:" + hashlib.sha256(b"key id" + master_key).hexdigest()[:16]

    def wrap(self, key: bytes, subject: str) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, key, subject.encode())

    def unwrap(self, wrapped: bytes, subject: str) -> bytes:
        try:
            return self._aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], subject.encode())
        except InvalidTag as exc:
            raise KeyUnwrapFailed(
                f"the key of {subject} does not unwrap with the configured master key ({self.name})"
            ) from exc


def decode_master_key(text: str) -> bytes:
    """``PERSONAL_DATA_MASTER_KEY``: 32 bytes, base64 (``openssl rand -base64 32``)."""
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
        raise ValueError("PERSONAL_DATA_MASTER_KEY must be base64 (openssl rand -base64 32)") from exc
    if len(key) != KEY_BYTES:
        raise ValueError(f"PERSONAL_DATA_MASTER_KEY must be {KEY_BYTES} bytes once decoded, not {len(key)}")
    return key


def wrapper_from_settings(settings: ServiceSettings) -> KeyWrapper:
    """The key wrapper the settings name: a council's factory, or the local master key."""
    if settings.personal_data_key_wrapper:
        module_name, _, factory_name = settings.personal_data_key_wrapper.partition(":")
        factory = getattr(importlib.import_module(module_name), factory_name)
        wrapper = factory(settings)
        if not isinstance(wrapper, KeyWrapper):
            raise TypeError(f"{settings.personal_data_key_wrapper} did not return a KeyWrapper")
        return wrapper
    if settings.personal_data_master_key:
        return LocalKeyWrapper(decode_master_key(settings.personal_data_master_key))
    return LocalKeyWrapper(DEVELOPMENT_MASTER_KEY)


_wrapper: KeyWrapper | None = None


def install_wrapper(wrapper: KeyWrapper) -> None:
    """The process's key wrapper: set once at start-up from the service's settings."""
    global _wrapper
    _wrapper = wrapper
    _unwrapped.clear()


def key_wrapper() -> KeyWrapper:
    """The installed wrapper; one from the environment's settings if none was installed (tools
    and tests that build a store without a service around it)."""
    if _wrapper is None:
        from shared.settings import ServiceSettings

        install_wrapper(wrapper_from_settings(ServiceSettings()))
    assert _wrapper is not None
    return _wrapper


class ErasedSubjectRefused(Conflict):
    """Personal data about a data subject whose record was erased cannot be recorded: their key
    is gone, and making a new one would start a second record the erasure never covered."""

    problem_type = "personal-data-erased"

    def __init__(self, subject: str) -> None:
        super().__init__(
            f"the personal data of {subject} was erased; nothing more can be recorded about them "
            "under that identifier",
            field="child_id",
        )
        self.subject = subject


# Unwrapped keys by (subject, wrapped bytes). Only ever used after the table has been read and
# still holds those exact wrapped bytes, so an erasure takes effect at once in every process;
# the cache only spares a KMS a round trip per read.
_unwrapped: OrderedDict[tuple[str, bytes], bytes] = OrderedDict()
_CACHE_SIZE = 10_000


def _unwrap(subject: str, wrapped: bytes) -> bytes:
    cache_key = (subject, wrapped)
    key = _unwrapped.get(cache_key)
    if key is None:
        key = key_wrapper().unwrap(wrapped, subject)
        _unwrapped[cache_key] = key
        if len(_unwrapped) > _CACHE_SIZE:
            _unwrapped.popitem(last=False)
    else:
        _unwrapped.move_to_end(cache_key)
    return key


Database = asyncpg.Pool | asyncpg.Connection


async def keys_for_reading(db: Database, subjects: Collection[str]) -> dict[str, bytes | None]:
    """Each subject's key, or None where it was destroyed (or never made)."""
    stored = await _stored(db, list(subjects))
    return {
        subject: _unwrap(subject, wrapped) if (wrapped := stored.get(subject)) is not None else None
        for subject in subjects
    }


async def keys_for_writing(
    db: Database, subjects: Collection[str], *, shred_erased: bool = False
) -> dict[str, bytes]:
    """Each subject's key, made for those who have none yet. Raises ``ErasedSubjectRefused`` for a
    subject whose key was destroyed, unless ``shred_erased``: then that subject gets a key made
    for this call only and never stored, so whatever is sealed with it can never be opened."""
    wanted = list(dict.fromkeys(subjects))
    rows = await _stored(db, wanted)
    missing = [s for s in wanted if s not in rows]
    if missing:
        wrapper = key_wrapper()
        made = await db.fetch(
            "INSERT INTO eventlog.subject_keys (subject, wrapped_key, wrapped_by) "
            "SELECT * FROM unnest($1::text[], $2::bytea[], $3::text[]) ON CONFLICT (subject) DO NOTHING "
            "RETURNING subject, wrapped_key",
            missing,
            [wrapper.wrap(os.urandom(KEY_BYTES), s) for s in missing],
            [wrapper.name] * len(missing),
        )
        rows.update({r["subject"]: bytes(r["wrapped_key"]) for r in made})
        # Two first writes about one child may race: ON CONFLICT keeps the first key made, and
        # the loser reads it back.
        if lost := [s for s in missing if s not in rows]:
            rows.update(await _stored(db, lost))
    keys: dict[str, bytes] = {}
    for subject in wanted:
        wrapped = rows[subject]
        if wrapped is not None:
            keys[subject] = _unwrap(subject, wrapped)
        elif shred_erased:
            keys[subject] = os.urandom(KEY_BYTES)
        else:
            raise ErasedSubjectRefused(subject)
    return keys


async def _stored(db: Database, subjects: list[str]) -> dict[str, bytes | None]:
    rows = await db.fetch(
        "SELECT subject, wrapped_key FROM eventlog.subject_keys WHERE subject = ANY($1::text[])", subjects
    )
    return {r["subject"]: bytes(r["wrapped_key"]) if r["wrapped_key"] is not None else None for r in rows}


# Destroying a key: the one change the table's guard allows (migration 0006), and only the
# event-log service's role may make it.
DESTROY_KEY = (
    "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() "
    "WHERE subject = $1 AND wrapped_key IS NOT NULL"
)
# What a row made already destroyed says wrapped it: no master key ever did.
NEVER_MADE = "none: erased before any key was made"


async def destroy_key(db: Database, subject: str) -> bool:
    """Destroy the subject's key: from now on, in every process, each field sealed with it reads
    as erased and nothing more can be sealed for them. A subject with no key yet gets one that is
    already destroyed, so nothing personal can be recorded about them afterwards either. True if
    this call destroyed it; False if it was gone already (destroying it again changes nothing)."""
    made = await db.execute(
        "INSERT INTO eventlog.subject_keys (subject, wrapped_key, wrapped_by, erased_at) "
        "VALUES ($1, NULL, $2, now()) ON CONFLICT (subject) DO NOTHING",
        subject,
        NEVER_MADE,
    )
    destroyed = await db.execute(DESTROY_KEY, subject)
    return made == "INSERT 0 1" or destroyed == "UPDATE 1"
