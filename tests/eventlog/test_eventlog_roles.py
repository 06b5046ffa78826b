"""Least privilege: each service logs in as a role of its own that may do exactly what it needs.

The expected privileges are written out here, independently of shared/services.py, so widening a
service's access fails these tests until the expectation is changed too, on purpose.
"""

from __future__ import annotations

import base64
import uuid
from datetime import date

import asyncpg
import pytest

from shared.eventlog import NewEvent
from shared.migrations import (
    RETIRED_ROLES,
    DatabaseRole,
    grant_service_roles,
    scram_sha_256_verifier,
    url_for_role,
)
from shared.services import SERVICES, database_roles

OWN_SCHEMA = {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE"}
WRITER = {
    "alembic_version": {"SELECT"},
    # Read at start-up: a service will not serve a log holding events recorded before sealing.
    "log_sealing": {"SELECT"},
    "events": {"SELECT", "INSERT"},
    "idempotency_keys": {"SELECT", "INSERT"},
    # Data subjects' keys: made as personal data is first sealed, read to open it.
    "subject_keys": {"SELECT", "INSERT"},
    # Its read models' rebuilds, recorded by the operator command logged in as the service.
    "read_model_rebuilds": {"INSERT"},
}
# role -> (its own schema, {log table: privileges})
EXPECTED: dict[str, tuple[str | None, dict[str, set[str]]]] = {
    "schools_service": ("schools", WRITER),
    "pep_service": ("pep", {**WRITER, "record_reads": {"INSERT"}}),
    "pupil_premium_service": ("pupil_premium", {**WRITER, "record_reads": {"INSERT"}}),
    "notices_service": ("notices", WRITER),
    "event_log_service": (
        None,
        {
            "alembic_version": {"SELECT"},
            "log_sealing": {"SELECT"},
            # Its own events: legal holds and erasures.
            "events": {"SELECT", "INSERT"},
            "idempotency_keys": {"SELECT", "INSERT"},
            # UPDATE of wrapped_key and erased_at only, and a trigger lets that do one thing:
            # destroy a key (test_only_the_event_log_service_may_destroy_a_key_and_only_that).
            "subject_keys": {"SELECT", "INSERT", "UPDATE"},
            "record_reads": {"SELECT", "INSERT"},
            # Every bulk read of the log: who, when, which positions, which children.
            "bulk_reads": {"SELECT", "INSERT"},
            "checkpoints": {"SELECT", "INSERT"},
            # The signed bridges that carry checkpoints across the log's one rewrite.
            "log_bridges": {"SELECT"},
        },
    ),
}
TABLE_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
SERVICE_SCHEMAS = {s.schema for s in SERVICES if s.schema}


async def test_the_append_only_tables_of_the_service_schemas_are_the_expected_ones(pool):
    guarded = await pool.fetch(
        "SELECT DISTINCT n.nspname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_proc f ON f.oid = t.tgfoid "
        "WHERE f.proname = 'refuse_change' AND n.nspname = ANY($1::text[])",
        sorted(SERVICE_SCHEMAS),
    )
    assert {(r["nspname"], r["relname"]) for r in guarded} == {
        (schema, table) for schema in SERVICE_SCHEMAS for table in APPEND_ONLY_OWN
    }


def test_every_service_has_a_role_and_the_expectations_name_them_all():
    assert {s.db_role for s in SERVICES} == set(EXPECTED)
    assert {r.name for r in database_roles()} == set(EXPECTED)


# In each service's own schema, the tables the log's trigger guards as append-only: read and
# append only, like the log.
APPEND_ONLY_OWN = {"dead_letter_actions"}


def expected_table_privileges(role: str, schema: str, table: str) -> set[str]:
    own, log = EXPECTED[role]
    if schema == own:
        return {"SELECT", "INSERT"} if table in APPEND_ONLY_OWN else OWN_SCHEMA
    if schema == "eventlog":
        return log.get(table, set())
    return set()


async def test_each_service_role_has_exactly_its_privileges_on_every_table_and_sequence(pool):
    rows = await pool.fetch(
        """
        SELECT r.role, n.nspname AS schema, c.relname AS name, c.relkind = 'S' AS sequence, p.privilege,
               CASE WHEN c.relkind = 'S' THEN
                        p.privilege IN ('USAGE', 'SELECT', 'UPDATE')
                        AND has_sequence_privilege(r.role, c.oid, p.privilege)
                    WHEN p.privilege IN ('SELECT', 'INSERT', 'UPDATE', 'REFERENCES') THEN
                        -- also true when the privilege is granted on a single column only
                        has_any_column_privilege(r.role, c.oid, p.privilege)
                    WHEN p.privilege = 'USAGE' THEN false
                    ELSE has_table_privilege(r.role, c.oid, p.privilege)
               END AS has
        FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        CROSS JOIN unnest($1::text[]) AS r(role)
        CROSS JOIN unnest($2::text[]) AS p(privilege)
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
          AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY 1, 2, 3, 5
        """,
        list(EXPECTED),
        [*TABLE_PRIVILEGES, "USAGE"],
    )
    assert {r["schema"] for r in rows} >= {"eventlog"} | SERVICE_SCHEMAS
    wrong = []
    for row in rows:
        role, schema = row["role"], row["schema"]
        if row["sequence"]:  # nextval for its own tables' generated keys, nothing else
            expected = {"USAGE"} if schema == EXPECTED[role][0] else set()
        else:
            expected = expected_table_privileges(role, schema, row["name"])
        if row["has"] != (row["privilege"] in expected):
            privilege = row["privilege"]
            wrong.append(f"{role} {privilege} on {schema}.{row['name']}: expected {privilege in expected}")
    assert wrong == []


async def test_each_service_role_may_use_only_its_own_schema_and_the_log_and_create_nowhere(pool):
    schemas = [
        r["nspname"]
        for r in await pool.fetch(
            "SELECT nspname FROM pg_namespace "
            "WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'"
        )
    ]
    wrong = []
    for role, (own, _) in EXPECTED.items():
        for schema in schemas:
            if await pool.fetchval("SELECT has_schema_privilege($1, $2, 'CREATE')", role, schema):
                wrong.append(f"{role} may CREATE in {schema}")
            usage = await pool.fetchval("SELECT has_schema_privilege($1, $2, 'USAGE')", role, schema)
            if schema in {own, "eventlog"} and not usage:
                wrong.append(f"{role} may not use {schema}")
            if schema in SERVICE_SCHEMAS - {own} and usage:
                wrong.append(f"{role} may use another service's schema {schema}")
        if await pool.fetchval("SELECT has_database_privilege($1, current_database(), 'CREATE')", role):
            wrong.append(f"{role} may create schemas")
    assert wrong == []


async def test_service_roles_log_in_are_no_superusers_own_nothing_and_belong_to_no_role(pool):
    for role in EXPECTED:
        attributes = await pool.fetchrow("SELECT * FROM pg_roles WHERE rolname = $1", role)
        assert attributes is not None, role
        assert attributes["rolcanlogin"], role
        for power in ("rolsuper", "rolcreaterole", "rolcreatedb", "rolreplication", "rolbypassrls"):
            assert not attributes[power], (role, power)
        memberships = await pool.fetch(
            "SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = $1",
            role,
        )
        assert memberships == [], (role, memberships)
        owned = await pool.fetchval(
            "SELECT (SELECT count(*) FROM pg_class WHERE relowner = r.oid) "
            "+ (SELECT count(*) FROM pg_namespace WHERE nspowner = r.oid) "
            "+ (SELECT count(*) FROM pg_proc WHERE proowner = r.oid) FROM pg_roles r WHERE r.rolname = $1",
            role,
        )
        assert owned == 0, role
        assert not await pool.fetchval(
            "SELECT has_parameter_privilege($1, 'session_replication_role', 'SET')", role
        ), role


@pytest.mark.parametrize("role", sorted(EXPECTED))
async def test_a_service_role_cannot_change_the_log_nor_switch_its_guard_off(role, store, database_url):
    await store.append(
        "school-100001", [NewEvent(event_type="Counted", data={"n": 1}, effective_date=date(2025, 5, 1))]
    )
    conn = await asyncpg.connect(url_for_role(database_url, role))
    try:
        assert await conn.fetchval("SELECT current_user") == role
        assert await conn.fetchval("SELECT count(*) FROM eventlog.events") == 1
        for statement in (
            "DELETE FROM eventlog.events",
            "UPDATE eventlog.events SET data = '{}'",
            "TRUNCATE eventlog.events CASCADE",
            "DELETE FROM eventlog.record_reads",
            "UPDATE eventlog.idempotency_keys SET last_position = 1",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError) as refused:
                await conn.execute(statement)
            # The privilege check, not the log's trigger (which raises the same error class).
            assert "permission denied for table" in str(refused.value), (statement, str(refused.value))
            assert "append-only" not in str(refused.value)
        for statement in (
            "ALTER TABLE eventlog.events DISABLE TRIGGER events_append_only",
            "ALTER TABLE eventlog.events DISABLE TRIGGER ALL",
            "SET session_replication_role = replica",
            "DROP TRIGGER events_append_only ON eventlog.events",
        ):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(statement)
    finally:
        await conn.close()


@pytest.mark.parametrize("role", sorted(EXPECTED))
async def test_a_service_role_cannot_read_or_write_another_services_schema(role, database_url):
    own = EXPECTED[role][0]
    conn = await asyncpg.connect(url_for_role(database_url, role))
    try:
        for schema in sorted(SERVICE_SCHEMAS - {own}):
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetch(f"SELECT * FROM {schema}.subscription_checkpoints")
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(f"DELETE FROM {schema}.subscription_checkpoints")
        if own:  # its own read model it may change, and empty for a rebuild
            await conn.execute(f"DELETE FROM {own}.subscription_checkpoints")
            await conn.execute(f"TRUNCATE {own}.dead_letters")
    finally:
        await conn.close()


async def test_the_retired_shared_role_keeps_no_privilege_and_no_member(pool):
    for retired in RETIRED_ROLES:
        if await pool.fetchval("SELECT 1 FROM pg_roles WHERE rolname = $1", retired) is None:
            continue
        granted = await pool.fetchval(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema' "
            "AND (has_table_privilege($1, c.oid, 'SELECT,INSERT,UPDATE,DELETE,TRUNCATE') "
            "     OR (c.relkind = 'S' AND has_sequence_privilege($1, c.oid, 'USAGE')))",
            retired,
        )
        assert granted == 0
        assert not await pool.fetchval("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", retired)
        assert await pool.fetchval(
            "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid WHERE r.rolname = $1",
            retired,
        ) == 0
        assert await pool.fetchval(
            "SELECT count(*) FROM pg_default_acl d, aclexplode(d.defaclacl) a "
            "JOIN pg_roles r ON r.oid = a.grantee "
            "WHERE r.rolname = $1",
            retired,
        ) == 0


async def test_the_role_step_takes_back_a_privilege_granted_by_hand_and_covers_new_tables(pool, database_url):
    await pool.execute("GRANT DELETE ON eventlog.events TO pep_service")
    await pool.execute("GRANT SELECT ON schools.subscription_checkpoints TO pep_service")
    await pool.execute("CREATE TABLE pep.added_later (id bigint GENERATED ALWAYS AS IDENTITY, note text)")
    await grant_service_roles(database_url, database_roles())
    assert not await pool.fetchval("SELECT has_table_privilege('pep_service', 'eventlog.events', 'DELETE')")
    assert not await pool.fetchval(
        "SELECT has_table_privilege('pep_service', 'schools.subscription_checkpoints', 'SELECT')"
    )
    for privilege in OWN_SCHEMA:
        has = "SELECT has_table_privilege($1, 'pep.added_later', $2)"
        assert await pool.fetchval(has, "pep_service", privilege)
        assert not await pool.fetchval(has, "notices_service", privilege)


def test_a_role_may_not_be_declared_with_more_than_read_and_append_on_the_log():
    with pytest.raises(ValueError, match="append-only"):
        DatabaseRole("careless_service", None, {"events": ("SELECT", "DELETE")})


async def test_the_password_verifier_is_what_postgresql_itself_stores(pool):
    probe = f"edu_scram_probe_{uuid.uuid4().hex[:8]}"
    await pool.execute(f"CREATE ROLE {probe} NOLOGIN PASSWORD 'correct horse battery staple'")
    try:
        stored = await pool.fetchval("SELECT rolpassword FROM pg_authid WHERE rolname = $1", probe)
        method, rest = stored.split("$", 1)
        iterations, salt = rest.split("$")[0].split(":")
        assert method == "SCRAM-SHA-256"
        ours = scram_sha_256_verifier(
            "correct horse battery staple", salt=base64.b64decode(salt), iterations=int(iterations)
        )
        assert ours == stored
    finally:
        await pool.execute(f"DROP ROLE {probe}")
    with pytest.raises(ValueError):
        scram_sha_256_verifier("naïve")


async def test_the_role_step_sets_a_password_without_sending_it(pool, database_url):
    probe = f"edu_password_probe_{uuid.uuid4().hex[:8]}"
    role = DatabaseRole(probe, None, {"events": ("SELECT",)}, "PROBE_DB_PASSWORD")
    await grant_service_roles(database_url, [role], passwords={probe: "s3cret-from-the-operator"})
    try:
        stored = await pool.fetchval("SELECT rolpassword FROM pg_authid WHERE rolname = $1", probe)
        iterations, salt = stored.split("$")[1].split(":")
        assert stored == scram_sha_256_verifier(
            "s3cret-from-the-operator", salt=base64.b64decode(salt), iterations=int(iterations)
        )
        assert await pool.fetchval("SELECT rolcanlogin FROM pg_roles WHERE rolname = $1", probe)
    finally:
        await pool.execute(f"DROP OWNED BY {probe}")
        await pool.execute(f"DROP ROLE {probe}")


def test_a_role_url_keeps_the_server_and_database_and_escapes_the_password():
    owner = "postgresql://education:owner-pw@db.internal:5432/education?sslmode=require"
    assert url_for_role(owner, "pep_service") == (
        "postgresql://pep_service@db.internal:5432/education?sslmode=require"
    )
    assert (
        url_for_role(owner, "pep_service", "a/b@c:d")
        == "postgresql://pep_service:a%2Fb%40c%3Ad@db.internal:5432/education?sslmode=require"
    )
    embedded = "postgresql://postgres:@/edu_test_1?host=/tmp/pg"
    assert url_for_role(embedded, "notices_service") == (
        "postgresql://notices_service@/edu_test_1?host=/tmp/pg"
    )


async def test_only_the_event_log_service_may_destroy_a_key_and_only_that(pool, database_url):
    await pool.execute(
        "INSERT INTO eventlog.subject_keys (subject, wrapped_key, wrapped_by) "
        "VALUES ('child:K1', '\\x01', 'local:test'), ('child:K2', '\\x02', 'local:test')"
    )
    for role in sorted(set(EXPECTED) - {"event_log_service"}):
        conn = await asyncpg.connect(url_for_role(database_url, role))
        try:
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
                await conn.execute(
                    "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = 'child:K1'"
                )
        finally:
            await conn.close()
    conn = await asyncpg.connect(url_for_role(database_url, "event_log_service"))
    try:
        # Replacing a key, or bringing one back, is refused by the table's guard...
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="may only be destroyed"):
            await conn.execute("UPDATE eventlog.subject_keys SET wrapped_key = '\\x09' WHERE subject = 'child:K1'")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await conn.execute("DELETE FROM eventlog.subject_keys WHERE subject = 'child:K1'")
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await conn.execute("UPDATE eventlog.subject_keys SET subject = 'child:K9' WHERE subject = 'child:K1'")
        # ...destroying one is what it may do, once.
        await conn.execute(
            "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = 'child:K1'"
        )
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="may only be destroyed"):
            await conn.execute(
                "UPDATE eventlog.subject_keys SET wrapped_key = '\\x01', erased_at = NULL WHERE subject = 'child:K1'"
            )
    finally:
        await conn.close()
    rows = await pool.fetch("SELECT subject, wrapped_key FROM eventlog.subject_keys ORDER BY subject")
    assert [(r["subject"], r["wrapped_key"]) for r in rows] == [("child:K1", None), ("child:K2", b"\x02")]
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="may only be destroyed"):
        await pool.execute("DELETE FROM eventlog.subject_keys")
