"""``seal-existing-log``: the personal fields of events recorded before sealing existed, sealed in
place, once, with a signed bridge that carries the published checkpoints across.

Before personal fields were sealed, the log stored children's names, dates of birth and words as
plain text, and the log's tables refuse UPDATE and DELETE. So the log is rewritten once, in one
transaction holding the append lock, as the database owner with the services stopped:

1. the log as it stands is verified (its chain and every published checkpoint): a rewrite
   recomputes every hash after the first sealed event, so it would hide a break made before it;
2. every event is read in position order; an event whose type declares personal fields (the
   services' catalogues, as the event-log service reads them) and holds any in plain text has them
   sealed exactly as the store seals a new event (``shared.privacy.sealing.seal_events``); about
   a child whose key was since destroyed, they are sealed under a key never kept, so they read
   as erased;
3. the hash chain is recomputed from the first sealed event on; positions, stream versions,
   recording times, metadata and subjects are copied by the database, unchanged;
4. the result, written into a new table, takes the old one's place with everything that
   referenced it (constraints, indexes, triggers, the idempotency keys' foreign keys, grants,
   comments, storage options), and the old table is dropped, so no plain text is left in it;
5. a bridge, signed with the checkpoint signing key, records for every published checkpoint the
   hash it signed and the hash the log now holds there (shared/eventlog/checkpoints.py), and
   ``eventlog.log_sealing`` records that the log is sealed, by whom;
6. the rewritten log is verified, each old checkpoint through the bridge, before it commits.

Appends are told of new events by a notification named in the append itself (``pg_notify``), not
by anything on the table, so nothing of that needs carrying over. Anything else hanging on the
table that the rewrite cannot carry over (a view, a row security policy, a publication, extended
statistics, an inheriting table) stops it before anything changes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from shared.clock import COUNCIL_TIMEZONE
from shared.eventlog.checkpoints import (
    PUBLISH_LOCK_KEY,
    Bridge,
    BridgedHash,
    CheckpointKeys,
    CheckpointSigner,
    record_bridge,
    verify_log,
)
from shared.eventlog.hashing import GENESIS_HASH
from shared.eventlog.records import NewEvent, RecordedEvent
from shared.eventlog.store import APPEND_LOCK_KEY, EVENT_COLUMNS, record_from_row, utc_now
from shared.events import Event, EventCatalogue
from shared.ops.connection import connected, described, named_service
from shared.ops.errors import Refused
from shared.ops.service_app import service_code
from shared.ops.verifying import event_log_settings, first_break
from shared.privacy.events import privacy_event_catalogue
from shared.privacy.keys import install_wrapper, wrapper_from_settings
from shared.privacy.sealing import is_sealed, reveal, seal_events
from shared.services import SERVICES

REASON = (
    "personal fields of the events recorded before sealing existed were sealed in place; "
    "nothing else of any event changed"
)
# The event-log service's registry of every service's catalogue, named as shared/services.py
# names each service's code.
EVENT_LOG_REGISTRY = "event_log.registry:discover"
PAGE_SIZE = 2000
NEW_TABLE = "events_sealed"


def service_catalogues() -> list[EventCatalogue]:
    """Every catalogue of events the services write, as the event-log service reads them, and the
    data protection record's. Refused if any service's cannot be read: its personal fields would
    be missed."""
    registry = service_code(named_service("event-log"), EVENT_LOG_REGISTRY)()
    if registry.problems:
        raise Refused(
            "cannot tell which fields of every event are personal, so nothing was sealed: "
            + "; ".join(f"{p['service']} ({p['module']}): {p['error']}" for p in registry.problems)
        )
    return [entry.catalogue for entry in registry.catalogues] + [privacy_event_catalogue()]


@dataclass(frozen=True)
class Outcome:
    """What the command did, in the lines it prints."""

    lines: list[str]
    bridge: Bridge | None = None


async def seal_as_configured(url: str, *, actor: str, say: Callable[[str], None]) -> Outcome:
    """``seal_existing_log`` with what the event-log service's settings hold: the checkpoint signing
    key (and the retired ones), and the master key or key store that wraps each child's key."""
    settings = event_log_settings()
    signer = settings.checkpoint_signer()
    wrapper = wrapper_from_settings(settings)
    install_wrapper(wrapper)
    catalogues = service_catalogues()
    async with connected(url) as pool:
        say(
            f"Sealing the personal fields of events recorded before sealing, as {described(url)}; "
            f"children's keys wrapped by {wrapper.name}, the bridge signed with key {signer.key_id} ..."
        )
        outcome = await seal_existing_log(
            pool, actor=actor, signer=signer, keys=settings.checkpoint_keys(signer), catalogues=catalogues
        )
    for line in outcome.lines:
        say(line)
    return outcome


async def seal_existing_log(
    pool: asyncpg.Pool,
    *,
    actor: str,
    signer: CheckpointSigner,
    keys: CheckpointKeys,
    catalogues: Sequence[EventCatalogue],
    clock: Callable[[], datetime] = utc_now,
    page_size: int = PAGE_SIZE,
) -> Outcome:
    async with pool.acquire() as conn:
        await _refuse_unless_owner(conn)
        await _refuse_while_services_connected(conn)
        async with conn.transaction():
            # One transaction over the whole log: no statement or pause between them is cut short.
            await conn.execute("SET LOCAL statement_timeout = 0")
            await conn.execute("SET LOCAL idle_in_transaction_session_timeout = 0")
            await conn.execute("SELECT pg_advisory_xact_lock($1)", APPEND_LOCK_KEY)
            await conn.execute("SELECT pg_advisory_xact_lock($1)", PUBLISH_LOCK_KEY)
            done = await _already_done(conn)
            if done is not None:
                return Outcome([done])
            await conn.execute("LOCK TABLE eventlog.events IN ACCESS EXCLUSIVE MODE")
            before = await verify_log(conn, keys)
            if not before.ok:
                raise Refused(
                    f"{first_break(before)}. Sealing recomputes every hash after the first sealed event, "
                    "so it would hide that: nothing was changed. Follow 'Runbook: the chain does not "
                    "verify' in docs/operations.md first"
                )
            lines = [
                f"The log as it stands verifies: {before.chain.checked} events, "
                f"{before.checkpoints_checked} signed checkpoints.",
            ]
            carried_over = await _what_references_the_events_table(conn)
            rewrite = await _Rewrite.run(conn, _personal_fields_by_type(catalogues), page_size)
            if not rewrite.sealed_events:
                await conn.execute(f"DROP TABLE eventlog.{NEW_TABLE}")
                await _record_sealed(conn, actor)
                return Outcome(
                    [*lines, "No event held personal data in plain text: nothing was rewritten.",
                     f"Recorded in eventlog.log_sealing as done by {actor}; the services may start."]
                )
            for statement in carried_over.before_drop:
                await conn.execute(statement)
            await conn.execute("DROP TABLE eventlog.events")
            await conn.execute(f"ALTER TABLE eventlog.{NEW_TABLE} RENAME TO events")
            for statement in carried_over.after_rename:
                await conn.execute(statement)
            bridge = await record_bridge(conn, signer.sign_bridge(rewrite.bridge(clock(), actor)))
            await _record_sealed(conn, actor)
            after = await verify_log(conn, keys)
            if not after.ok:
                raise RuntimeError(f"the sealed log did not verify, so nothing changed: {first_break(after)}")
    lines += [*rewrite.describe(), *_describe(bridge, after.checkpoints.bridged, actor)]
    return Outcome([*lines, await _vacuum_and_analyze(pool)], bridge)


# -- before anything changes ------------------------------------------------------------------------


async def _refuse_unless_owner(conn: asyncpg.Connection) -> None:
    owner, me, superuser = await conn.fetchrow(
        "SELECT pg_get_userbyid(c.relowner), current_user, r.rolsuper FROM pg_class c, pg_roles r "
        "WHERE c.oid = 'eventlog.events'::regclass AND r.rolname = current_user"
    )
    if owner != me and not superuser:
        raise Refused(
            f"connected as {me}, but only the owner of the log's tables ({owner}) may rewrite them: "
            "connect as the owner, as the migrate step does (MIGRATION_DATABASE_URL, or --database-url)"
        )


async def _refuse_while_services_connected(conn: asyncpg.Connection) -> None:
    roles = [spec.db_role for spec in SERVICES]
    rows = await conn.fetch(
        "SELECT usename, count(*) AS connections FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid() AND usename = ANY($1::text[]) "
        "GROUP BY usename ORDER BY usename",
        roles,
    )
    if rows:
        connected = ", ".join(f"{r['connections']} as {r['usename']}" for r in rows)
        raise Refused(
            f"the services are still connected to this database ({connected}): stop them first "
            "(docker compose stop schools pep pupil-premium notices event-log); nothing was changed"
        )


async def _already_done(conn: asyncpg.Connection) -> str | None:
    """Why there is nothing to do, or None when the log must be sealed."""
    if await conn.fetchval("SELECT to_regclass('eventlog.log_sealing')") is None:
        raise Refused("the log is not migrated far enough to seal it: run python -m shared.migrate first")
    status = await conn.fetchrow("SELECT needed, sealed_at, sealed_by FROM eventlog.log_sealing FOR UPDATE")
    if not status["needed"]:
        return (
            "Nothing to do: the log was empty when it was migrated, so every event in it was sealed as "
            "it was recorded."
        )
    if status["sealed_at"] is not None:
        return (
            f"Nothing to do: the log was sealed on "
            f"{status['sealed_at'].astimezone(COUNCIL_TIMEZONE).date().isoformat()} by "
            f"{status['sealed_by']}."
        )
    return None


async def _record_sealed(conn: asyncpg.Connection, actor: str) -> None:
    await conn.execute("UPDATE eventlog.log_sealing SET sealed_at = now(), sealed_by = $1", actor)


# -- which fields are personal ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Declared:
    cls: type[Event]
    catalogue: EventCatalogue


def _personal_fields_by_type(catalogues: Sequence[EventCatalogue]) -> dict[str, _Declared]:
    declared: dict[str, _Declared] = {}
    for catalogue in catalogues:
        for cls in catalogue.event_classes():
            if cls.personal_fields:
                declared.setdefault(cls.event_type, _Declared(cls, catalogue))
    return declared


def _plain_personal_fields(record: RecordedEvent, declared: _Declared | None) -> tuple[str, ...]:
    if declared is None:
        return ()
    data = record.data
    return tuple(
        f for f in declared.cls.personal_fields if data.get(f) is not None and not is_sealed(data[f])
    )


# -- the rewrite --------------------------------------------------------------------------------------


class _Rewrite:
    """The log copied into the new table page by page, its plain personal fields sealed and its
    chain recomputed, keeping the hashes a bridge needs: at each published checkpoint and the head."""

    def __init__(self, conn: asyncpg.Connection, declared: dict[str, _Declared], page_size: int) -> None:
        self._conn = conn
        self._declared = declared
        self._page_size = page_size
        self.events = 0
        self.sealed_events = 0
        self.sealed_fields = 0
        self.subjects: set[str] = set()
        self.first_sealed: int | None = None
        self.last_sealed: int | None = None
        self.head = 0
        self.old_head_hash = self.new_head_hash = GENESIS_HASH
        # At each published checkpoint's position: the hash it signed, and the hash there now.
        self.at_checkpoints: list[BridgedHash] = []

    @classmethod
    async def run(cls, conn: asyncpg.Connection, declared: dict[str, _Declared], page_size: int) -> _Rewrite:
        rewrite = cls(conn, declared, page_size)
        await rewrite._copy()
        return rewrite

    async def _copy(self) -> None:
        conn = self._conn
        # Columns, defaults and storage as the log's; constraints, indexes and the rest are added
        # once it is filled and has taken the old table's name.
        await conn.execute(
            f"CREATE TABLE eventlog.{NEW_TABLE} (LIKE eventlog.events INCLUDING DEFAULTS INCLUDING GENERATED "
            "INCLUDING IDENTITY INCLUDING STORAGE INCLUDING COMPRESSION)"
        )
        checkpoints = {r["position"] for r in await conn.fetch("SELECT position FROM eventlog.checkpoints")}
        after, prev_hash = 0, GENESIS_HASH
        while True:
            rows = await conn.fetch(
                f"SELECT {EVENT_COLUMNS} FROM eventlog.events WHERE position > $1 ORDER BY position LIMIT $2",
                after,
                self._page_size,
            )
            if not rows:
                break
            records = [record_from_row(row) for row in rows]
            sealed = await self._sealed_data(records)
            positions, data, prev_hashes, hashes = [], [], [], []
            for record in records:
                new_data = sealed.get(record.position)
                if new_data is None and prev_hash == record.prev_hash:
                    new_hash = record.hash  # before the first sealed event: verified above, unchanged
                else:
                    new_hash = record._replace(
                        data=record.data if new_data is None else new_data, prev_hash=prev_hash
                    ).content_hash()
                positions.append(record.position)
                data.append(None if new_data is None else orjson.dumps(new_data).decode())
                prev_hashes.append(prev_hash)
                hashes.append(new_hash)
                if record.position in checkpoints:
                    self.at_checkpoints.append(BridgedHash(record.position, record.hash, new_hash))
                prev_hash = new_hash
            copied = await conn.fetchval(_COPY, positions, data, prev_hashes, hashes)
            if copied != len(records):
                raise RuntimeError(f"copied {copied} of {len(records)} events after position {after}")
            self.events += len(records)
            after = records[-1].position
            self.head, self.old_head_hash, self.new_head_hash = after, records[-1].hash, prev_hash

    async def _sealed_data(self, records: list[RecordedEvent]) -> dict[int, dict[str, Any]]:
        """Each event's stored data with its plain personal fields sealed, by position; only the
        events that held any. An event stored in an older shape of its type is looked at too: its
        personal values may be under names its class no longer declares."""
        candidates = [
            (record, declared)
            for record in records
            if (declared := self._declared.get(record.event_type)) is not None
            and (
                record.schema_version < declared.cls.schema_version
                or _plain_personal_fields(record, declared)
            )
        ]
        if not candidates:
            return {}
        opened = await reveal(self._conn, [record for record, _ in candidates])
        holding: list[RecordedEvent] = []
        news: list[NewEvent] = []
        for (record, declared), revealed in zip(candidates, opened, strict=True):
            event = self._as_appended(record, revealed, declared, _plain_personal_fields(record, declared))
            if event.personal:
                holding.append(record)
                news.append(event)
        if not news:
            return {}
        sealed = await seal_events(self._conn, news, shred_erased=True)
        for record, event in zip(holding, news, strict=True):
            self.sealed_events += 1
            self.sealed_fields += len(event.personal)
            if event.data_subject is not None:
                self.subjects.add(event.data_subject)
            self.first_sealed = self.first_sealed or record.position
            self.last_sealed = record.position
        return {record.position: event.data for record, event in zip(holding, sealed, strict=True)}

    @staticmethod
    def _as_appended(
        stored: RecordedEvent, revealed: RecordedEvent, declared: _Declared, fields: tuple[str, ...]
    ) -> NewEvent:
        """The event as the store would have been given it: its plain personal fields and whose
        they are, from the owning service's own class."""
        where = f"position {stored.position} ({stored.event_type} v{stored.schema_version})"
        try:
            event = declared.catalogue.decode_record(revealed)
            current = declared.catalogue.upcast(stored.event_type, stored.schema_version, revealed.data)
        except Exception as exc:
            raise Refused(
                f"{where} cannot be read with the services' code, so its personal fields cannot be told "
                f"apart: {exc}; nothing was changed"
            ) from exc
        # An older shape may keep a personal value under another name, which sealing by the
        # current names would leave in plain text.
        moved = [f for f in declared.cls.personal_fields if current.get(f) != revealed.data.get(f)]
        if moved:
            raise Refused(
                f"{where} is stored in an older shape that holds {', '.join(moved)} differently from "
                "today's, so its personal fields cannot be found by name; nothing was changed"
            )
        return NewEvent(
            event_type=stored.event_type,
            data=stored.data,
            effective_date=stored.effective_date,
            schema_version=stored.schema_version,
            subjects=tuple(stored.subjects),
            personal=fields,
            data_subject=event.data_subject(),
        )

    def bridge(self, rewritten_at: datetime, actor: str) -> Bridge:
        return Bridge(
            rewritten_at=rewritten_at,
            reason=REASON,
            actor=actor,
            head_position=self.head,
            old_head_hash=self.old_head_hash,
            new_head_hash=self.new_head_hash,
            checkpoints=tuple(self.at_checkpoints),
        )

    def describe(self) -> list[str]:
        children = len(self.subjects)
        return [
            f"Sealed {self.sealed_fields} personal field{'s' if self.sealed_fields != 1 else ''} in "
            f"{self.sealed_events} event{'s' if self.sealed_events != 1 else ''} about {children} "
            f"data subject{'s' if children != 1 else ''} (positions {self.first_sealed} to "
            f"{self.last_sealed}); {self.events - self.sealed_events} events held none.",
            f"Recomputed the hash chain from position {self.first_sealed} to {self.head}; positions, stream "
            "versions, recording times, metadata and subjects are unchanged.",
        ]


# The new table's rows: every column copied by the database from the old row, but the sealed data
# (when there is any) and the recomputed links, which come from here.
_COPY = f"""
WITH copied AS (
    INSERT INTO eventlog.{NEW_TABLE} ({EVENT_COLUMNS})
    SELECT e.position, e.stream_id, e.stream_version, e.event_type, e.schema_version,
           coalesce(u.data::jsonb, e.data), e.metadata, e.effective_date, e.recorded_at, e.subjects,
           u.prev_hash, u.hash
    FROM unnest($1::bigint[], $2::text[], $3::bytea[], $4::bytea[]) AS u(position, data, prev_hash, hash)
    JOIN eventlog.events e ON e.position = u.position
    RETURNING 1
)
SELECT count(*) FROM copied
"""


# -- what references the events table -----------------------------------------------------------------


@dataclass(frozen=True)
class _References:
    before_drop: list[str]  # statements that let the old table go
    after_rename: list[str]  # statements that give the new one all it had


async def _what_references_the_events_table(conn: asyncpg.Connection) -> _References:
    """Every object that hangs on ``eventlog.events``, as the statements that put it back on the
    new table, written by the database itself (``pg_get_*def``, ``format``); refused if there is
    anything the rewrite cannot carry over."""
    unknown = await conn.fetch(_CANNOT_CARRY)
    if unknown:
        raise Refused(
            "eventlog.events has what this command cannot carry over to the sealed table ("
            + ", ".join(f"{r['kind']} {r['name']}" for r in unknown)
            + "): nothing was changed"
        )
    before = [r["statement"] for r in await conn.fetch(_DROP_REFERENCES)]
    after = [r["statement"] for r in await conn.fetch(_RECREATE)]
    return _References(before, after)


_EVENTS = "'eventlog.events'::regclass"

_CANNOT_CARRY = f"""
SELECT 'row security policy' AS kind, polname::text AS name FROM pg_policy WHERE polrelid = {_EVENTS}
UNION ALL
SELECT 'rule', rulename::text FROM pg_rewrite WHERE ev_class = {_EVENTS}
UNION ALL
SELECT 'view', v.oid::regclass::text FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
  JOIN pg_class v ON v.oid = r.ev_class
  WHERE d.refobjid = {_EVENTS} AND d.classid = 'pg_rewrite'::regclass AND r.ev_class <> {_EVENTS}
UNION ALL
SELECT 'publication', p.pubname::text FROM pg_publication_rel pr JOIN pg_publication p ON p.oid = pr.prpubid
  WHERE pr.prrelid = {_EVENTS}
UNION ALL
SELECT 'extended statistics', stxname::text FROM pg_statistic_ext WHERE stxrelid = {_EVENTS}
UNION ALL
SELECT 'inheriting table', inhrelid::regclass::text FROM pg_inherits WHERE inhparent = {_EVENTS}
UNION ALL
SELECT 'parent table', inhparent::regclass::text FROM pg_inherits WHERE inhrelid = {_EVENTS}
"""

# The other tables' foreign keys to the log (the idempotency keys' spans): dropped with it, added back.
_DROP_REFERENCES = f"""
SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname) AS statement
FROM pg_constraint WHERE confrelid = {_EVENTS} AND conrelid <> {_EVENTS} AND contype = 'f'
ORDER BY conrelid::regclass::text, conname
"""

_RECREATE = f"""
SELECT statement FROM (
    SELECT 1 AS step, conname::text AS name,
           format('ALTER TABLE eventlog.events ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid))
           AS statement
    FROM pg_constraint WHERE conrelid = {_EVENTS} AND contype IN ('p', 'u', 'c', 'x', 'f')
    UNION ALL
    SELECT 2, c.relname::text, pg_get_indexdef(i.indexrelid)
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE i.indrelid = {_EVENTS}
      AND NOT EXISTS (
          SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = {_EVENTS}
      )
    UNION ALL
    SELECT 3, tgname::text, pg_get_triggerdef(oid)
    FROM pg_trigger WHERE tgrelid = {_EVENTS} AND NOT tgisinternal
    UNION ALL
    SELECT 4, conname::text,
           format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname,
                  pg_get_constraintdef(oid))
    FROM pg_constraint WHERE confrelid = {_EVENTS} AND conrelid <> {_EVENTS} AND contype = 'f'
    UNION ALL
    SELECT 5, '', format('ALTER TABLE eventlog.events OWNER TO %I', pg_get_userbyid(relowner))
    FROM pg_class WHERE oid = {_EVENTS}
    UNION ALL
    SELECT 6, coalesce(r.rolname, 'PUBLIC'),
           format('GRANT %s ON eventlog.events TO %s%s', a.privilege_type,
                  CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,
                  CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
    FROM pg_class c, aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
    WHERE c.oid = {_EVENTS} AND a.grantee <> c.relowner
    UNION ALL
    SELECT 7, at.attname::text,
           format('GRANT %s (%I) ON eventlog.events TO %s%s', a.privilege_type, at.attname,
                  CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END,
                  CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
    FROM pg_attribute at, aclexplode(at.attacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
    WHERE at.attrelid = {_EVENTS} AND at.attacl IS NOT NULL
    UNION ALL
    SELECT 8, '', format('ALTER TABLE eventlog.events SET (%s)', array_to_string(reloptions, ', '))
    FROM pg_class WHERE oid = {_EVENTS} AND reloptions IS NOT NULL
    UNION ALL
    SELECT 9, '', format('COMMENT ON TABLE eventlog.events IS %L', obj_description({_EVENTS}, 'pg_class'))
    WHERE obj_description({_EVENTS}, 'pg_class') IS NOT NULL
    UNION ALL
    SELECT 10, attname::text,
           format('COMMENT ON COLUMN eventlog.events.%I IS %L', attname, col_description({_EVENTS}, attnum))
    FROM pg_attribute
    WHERE attrelid = {_EVENTS} AND attnum > 0 AND col_description({_EVENTS}, attnum) IS NOT NULL
) AS carried
ORDER BY step, name, statement
"""


# -- afterwards ---------------------------------------------------------------------------------------


async def _vacuum_and_analyze(pool: asyncpg.Pool) -> str:
    """The new table has no statistics for the planner yet (the old one's went with it). The
    sealing is committed by now, so a failure here is reported, not raised."""
    try:
        async with pool.acquire() as conn:
            await conn.execute("SET statement_timeout = 0")
            try:
                await conn.execute("VACUUM (ANALYZE) eventlog.events")
            finally:
                await conn.execute("RESET statement_timeout")
    except (asyncpg.PostgresError, OSError) as exc:
        return f"VACUUM (ANALYZE) eventlog.events did not run ({exc}): run it as the owner when you can."
    return "Vacuumed and analysed eventlog.events."


def _describe(bridge: Bridge, bridged: list[dict[str, Any]], actor: str) -> list[str]:
    lines = [
        f"Signed {bridge.describe()} (bridge {bridge.id}, key {bridge.key_id}): the head at position "
        f"{bridge.head_position} was {bridge.old_head_hash.hex()} and is now {bridge.new_head_hash.hex()}.",
    ]
    lines += [
        f"  checkpoint at position {c.position}: {c.old_hash.hex()} "
        + ("unchanged" if c.new_hash == c.old_hash else f"is now {c.new_hash.hex()}")
        for c in bridge.checkpoints
    ]
    lines += [
        f"The sealed log verifies; {len(bridged)} checkpoint{'s' if len(bridged) != 1 else ''} published "
        f"before it verif{'y' if len(bridged) != 1 else 'ies'} through {bridge.describe()}.",
        f"Recorded in eventlog.log_sealing and eventlog.log_bridges as done by {actor}; the services may "
        "start. Give the auditors the bridge (GET /checkpoints/bridges on the event-log service).",
    ]
    return lines
