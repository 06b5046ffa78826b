"""Alembic, shared by the event log and every service's read-model schema.

Each schema (``eventlog``, ``schools``, ``pep``, ``pupil_premium``, ``notices``) has its own
Alembic history and its own version table inside that schema, so a service's migrations can be
applied, and its read model rebuilt, without touching another's.

Migrations run as the database's owner. After the last one, ``grant_service_roles`` gives each
service's login role exactly what it may do (see ``DatabaseRole``), and nothing else.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import asyncpg
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class MigrationHistory:
    schema: str
    script_location: Path

    def config(self, database_url: str) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(self.script_location))
        cfg.attributes["database_url"] = database_url
        cfg.attributes["schema"] = self.schema
        return cfg

    def head(self) -> str | None:
        return ScriptDirectory(str(self.script_location)).get_current_head()


EVENTLOG_MIGRATIONS = MigrationHistory("eventlog", REPO_ROOT / "shared" / "eventlog" / "migrations")


def asyncpg_url(database_url: str) -> str:
    """``postgresql://...`` for asyncpg itself (it does not know SQLAlchemy's driver suffix)."""
    return database_url.replace("postgresql+asyncpg://", "postgresql://", 1)


def sqlalchemy_url(database_url: str) -> str:
    if database_url.startswith("postgresql://"):
        return "postgresql+asyncpg://" + database_url[len("postgresql://") :]
    return database_url


def upgrade(history: MigrationHistory, database_url: str) -> None:
    """Apply a history's migrations up to head. Blocking: call from a thread inside a loop."""
    command.upgrade(history.config(database_url), "head")


def upgrade_all(
    histories: list[MigrationHistory],
    database_url: str,
    *,
    roles: Sequence[DatabaseRole] | None = None,
    passwords: Mapping[str, str] | None = None,
) -> None:
    """Apply every history's migrations, as the owner ``database_url`` logs in as, then give each
    service role its privileges (``roles``: every service's, from shared/services.py, unless
    given). ``passwords`` (role name -> password) sets those roles' passwords."""
    for password in (passwords or {}).values():
        scram_sha_256_verifier(password)  # refuses an unusable password before anything changes
    for history in histories:
        upgrade(history, database_url)
    if roles is None:
        from shared.services import database_roles  # shared.services imports this module

        roles = database_roles()
    asyncio.run(grant_service_roles(database_url, roles, passwords=passwords or {}))


# -- the services' roles -------------------------------------------------------------------------

LOG_SCHEMA = "eventlog"
# What a service may do to the tables of its own schema (TRUNCATE: a rebuild empties them),
# except those guarded as append-only: SELECT and INSERT on those.
OWN_SCHEMA_PRIVILEGES = ("SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE")
# The role every service shared before each had its own. It is stripped of every privilege in
# each database this step runs on (a migration may still name it; the step takes it away again),
# so once every database is migrated it can be dropped: DROP ROLE education_service.
RETIRED_ROLES = ("education_service",)
# Two migrate steps on one database at once must not interleave their GRANTs.
_GRANTS_LOCK_KEY = 0x524F4C45  # "ROLE"


@dataclass(frozen=True)
class DatabaseRole:
    """A service's login role: it may read and write its own schema (if it has one), read and
    append to the log tables it names, and nothing else - no UPDATE, DELETE or TRUNCATE on the
    log, nothing on another service's schema, owns nothing, creates nothing."""

    name: str
    schema: str | None
    # Log table (in LOG_SCHEMA) -> its privileges, e.g. {"events": ("SELECT", "INSERT")}.
    log_tables: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The environment variable the migrate step reads this role's password from.
    password_env: str | None = None

    def __post_init__(self) -> None:
        for table, privileges in self.log_tables.items():
            allowed = {"SELECT", "INSERT"} | ({KEY_ERASURE} if table == "subject_keys" else set())
            if not set(privileges) <= allowed:
                raise ValueError(f"{self.name} on {LOG_SCHEMA}.{table}: the log is append-only: {privileges}")


# The one change to the log's tables a service may make: destroying a data subject's key to erase
# their personal data. A trigger on the table refuses every other UPDATE (migration 0006).
KEY_ERASURE = "UPDATE (wrapped_key, erased_at)"


def url_for_role(database_url: str, role: str, password: str | None = None) -> str:
    """The same server and database, logged in as ``role`` (with ``password``, if any)."""
    parts = urlsplit(database_url)
    host = parts.netloc.rpartition("@")[2]
    user = quote(role, safe="")
    if password:
        user += ":" + quote(password, safe="")
    return urlunsplit((parts.scheme, f"{user}@{host}", parts.path, parts.query, parts.fragment))


def role_passwords(roles: Sequence[DatabaseRole], environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Role name -> password, for each role whose ``password_env`` is set (and not empty)."""
    return {r.name: environ[r.password_env] for r in roles if r.password_env and environ.get(r.password_env)}


def scram_sha_256_verifier(password: str, *, salt: bytes | None = None, iterations: int = 4096) -> str:
    """What PostgreSQL stores for a password (``SCRAM-SHA-256$...``), computed here so that the
    password itself never reaches the server, its logs or pg_stat_statements (PostgreSQL takes a
    verifier given to ``ALTER ROLE ... PASSWORD`` as it is, like psql's \\password does).

    PostgreSQL normalises non-ASCII passwords (SASLprep) before hashing; rather than reproduce
    that, only printable ASCII is accepted. Generate passwords with e.g. ``openssl rand -hex 32``.
    """
    if not password or not all(" " <= c <= "~" for c in password):
        raise ValueError("a database password must be printable ASCII (e.g. openssl rand -hex 32)")
    salt = os.urandom(16) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, iterations)
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda b: base64.b64encode(b).decode()  # noqa: E731
    return f"SCRAM-SHA-256${iterations}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Cluster-wide catalogue updates racing another session's (another database of the same cluster
# being migrated at that moment, as the test workers do): worth one more try.
_RACES = (asyncpg.UniqueViolationError, asyncpg.DuplicateObjectError, asyncpg.InternalServerError)

_LOGIN_ONLY = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT"


async def _ensure_login_role(conn: asyncpg.Connection, role: DatabaseRole, password: str | None) -> None:
    """Create the role if it is missing, make it a plain login role, and set its password.

    Roles belong to the cluster, not the database, so two migrate steps on two databases of one
    cluster meet here. Each statement runs on its own (autocommit), the create ignores a role
    that another session created first (duplicate_object, or unique_violation when it had to wait
    for that session's commit), the attributes are only altered when they are wrong, and a
    statement that still lost a race ("tuple concurrently updated") is tried again.
    """
    name = _ident(role.name)
    for attempt in range(5):
        try:
            # Looked up first, so that roles a DBA created beforehand need no CREATEROLE here.
            await conn.execute(
                "DO $$ BEGIN "
                f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {_literal(role.name)}) THEN "
                f"CREATE ROLE {name} {_LOGIN_ONLY}; END IF; "
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
            )
            plain = await conn.fetchval(
                "SELECT rolcanlogin AND NOT (rolsuper OR rolcreatedb OR rolcreaterole OR rolreplication "
                "OR rolbypassrls) AND rolinherit FROM pg_roles WHERE rolname = $1",
                role.name,
            )
            if not plain:
                await conn.execute(f"ALTER ROLE {name} {_LOGIN_ONLY}")
            if password is not None:
                await conn.execute(f"ALTER ROLE {name} PASSWORD '{scram_sha_256_verifier(password)}'")
            return
        except _RACES:
            if attempt == 4:
                raise
            await asyncio.sleep(0.05 * (attempt + 1))


async def grant_service_roles(
    database_url: str, roles: Sequence[DatabaseRole], *, passwords: Mapping[str, str] | None = None
) -> None:
    """Create the roles (cluster-wide) and make each one's privileges in this database exactly
    what it declares. Idempotent; run as the owner after every migration (``upgrade_all`` does).

    Why a step after the migrations rather than grants inside them or ALTER DEFAULT PRIVILEGES:
    it covers tables added by any later migration of any schema without that migration having to
    remember a GRANT; default privileges would only apply to tables created by the role that set
    them, and neither would ever take back a privilege. Here every privilege a service role has
    on any table, sequence or schema of the database is first revoked, then exactly the declared
    ones are granted, in one transaction: a privilege granted by hand, or by a migration, to a
    service role (or to the retired shared role) does not survive the next migrate.
    """
    passwords = passwords or {}
    conn = await asyncpg.connect(asyncpg_url(database_url))
    try:
        for role in roles:
            await _ensure_login_role(conn, role, passwords.get(role.name))
        async with conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _GRANTS_LOCK_KEY)
            schemas = await conn.fetch(
                "SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' "
                "AND nspname NOT LIKE 'pg\\_%' ORDER BY nspname"
            )
            schemas = [r["nspname"] for r in schemas]
            existing = await conn.fetch(
                "SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[])", list(RETIRED_ROLES)
            )
            retired = [r["rolname"] for r in existing]
            for grantee in [*(r.name for r in roles), *retired]:
                await _revoke_everything(conn, grantee, schemas)
            for schema in schemas if retired else ():
                for grantee in retired:
                    for kind in ("TABLES", "SEQUENCES", "FUNCTIONS"):
                        await conn.execute(
                            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {_ident(schema)} REVOKE ALL ON {kind} "
                            f"FROM {_ident(grantee)}"
                        )
            for role in roles:
                await _grant(conn, role)
    finally:
        await conn.close()


async def _revoke_everything(conn: asyncpg.Connection, grantee: str, schemas: Sequence[str]) -> None:
    who = _ident(grantee)
    for schema in schemas:
        where = _ident(schema)
        await conn.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who}")
        await conn.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who}")
        await conn.execute(f"REVOKE ALL ON ALL ROUTINES IN SCHEMA {where} FROM {who}")
        await conn.execute(f"REVOKE ALL ON SCHEMA {where} FROM {who}")


async def _grant(conn: asyncpg.Connection, role: DatabaseRole) -> None:
    who = _ident(role.name)
    await conn.execute(f"GRANT USAGE ON SCHEMA {_ident(LOG_SCHEMA)} TO {who}")
    for table, privileges in role.log_tables.items():
        qualified = f"{_ident(LOG_SCHEMA)}.{_ident(table)}"
        if await conn.fetchval("SELECT to_regclass($1)", qualified) is None:
            raise RuntimeError(f"{role.name} is granted {privileges} on {qualified}, which does not exist")
        await conn.execute(f"GRANT {', '.join(privileges)} ON {qualified} TO {who}")
    if role.schema is not None:
        own = _ident(role.schema)
        await conn.execute(f"GRANT USAGE ON SCHEMA {own} TO {who}")
        await conn.execute(f"GRANT {', '.join(OWN_SCHEMA_PRIVILEGES)} ON ALL TABLES IN SCHEMA {own} TO {who}")
        await conn.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {own} TO {who}")
        # A table of its own that the database guards as append-only, as it does the log (e.g.
        # dead_letter_actions, the record of operators' actions), it may only read and append to.
        for table in await append_only_tables(conn, role.schema):
            await conn.execute(f"REVOKE UPDATE, DELETE, TRUNCATE ON {own}.{_ident(table)} FROM {who}")


async def append_only_tables(conn: asyncpg.Connection, schema: str) -> list[str]:
    """The tables of ``schema`` guarded by the log's trigger function (``refuse_change``)."""
    rows = await conn.fetch(
        "SELECT DISTINCT c.relname FROM pg_trigger t "
        "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_proc f ON f.oid = t.tgfoid JOIN pg_namespace fn ON fn.oid = f.pronamespace "
        "WHERE n.nspname = $1 AND fn.nspname = $2 AND f.proname = 'refuse_change' AND NOT t.tgisinternal "
        "ORDER BY 1",
        schema,
        LOG_SCHEMA,
    )
    return [r["relname"] for r in rows]


async def current_revision(conn: asyncpg.Connection, schema: str) -> str | None:
    exists = await conn.fetchval("SELECT to_regclass($1)", f"{schema}.alembic_version")
    if exists is None:
        return None
    return await conn.fetchval(f'SELECT version_num FROM "{schema}".alembic_version')


async def is_at_head(conn: asyncpg.Connection, history: MigrationHistory) -> bool:
    return await current_revision(conn, history.schema) == history.head()


def run_env(context) -> None:  # called from each history's env.py
    """The body of every ``env.py``: run migrations online over asyncpg in the history's schema."""
    from sqlalchemy import pool, text
    from sqlalchemy.ext.asyncio import create_async_engine

    cfg = context.config
    schema = cfg.attributes["schema"]
    url = sqlalchemy_url(cfg.attributes["database_url"])

    def do_run(connection) -> None:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        context.configure(
            connection=connection,
            version_table_schema=schema,
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()

    async def run() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.begin() as connection:
            await connection.run_sync(do_run)
        await engine.dispose()

    asyncio.run(run())
