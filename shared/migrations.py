"""Alembic, shared by the event log and every service's read-model schema.

Each schema (``eventlog``, ``schools``, ``pep``, ``pupil_premium``, ``notices``) has its own
Alembic history and its own version table inside that schema, so a service's migrations can be
applied, and its read model rebuilt, without touching another's.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

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


def upgrade_all(histories: list[MigrationHistory], database_url: str) -> None:
    for history in histories:
        upgrade(history, database_url)


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
