"""One embedded PostgreSQL for the whole run, started by the project's own launcher code
(shared/devserver.py), with a database for each thing measured on it."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import asyncpg

from shared.devserver import DATABASE_NAME, start_embedded_postgres
from shared.migrations import asyncpg_url, upgrade_all
from shared.services import all_migrations


class Server:
    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))
        self.url = asyncpg_url(start_embedded_postgres(self.folder / "pgdata"))
        self._server = start_embedded_postgres.server  # type: ignore[attr-defined]

    def database(self, name: str, *, migrated: bool = False) -> str:
        """A new, empty database; with every migration of the project applied if ``migrated``."""
        async def create() -> None:
            conn = await asyncpg.connect(self.url)
            try:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                await conn.execute(f'CREATE DATABASE "{name}"')
            finally:
                await conn.close()

        asyncio.run(create())
        url = self.url.replace(f"/{DATABASE_NAME}?", f"/{name}?", 1)
        if migrated:
            upgrade_all(all_migrations(), url)
        return url

    def version(self) -> str:
        async def ask() -> str:
            conn = await asyncpg.connect(self.url)
            try:
                return await conn.fetchval("SELECT version()")
            finally:
                await conn.close()

        return asyncio.run(ask()).split(" on ")[0]

    def stop(self) -> None:
        self._server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)
