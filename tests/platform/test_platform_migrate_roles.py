"""The migrate step as production runs it: as the owner, giving each service role the password the
operator set, against a server that checks passwords (SCRAM), as docker-compose.yml's does."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import asyncpg
import pytest

from shared.migrations import url_for_role
from shared.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def password_server():
    """A PostgreSQL of this test's own whose socket wants a password from everyone but the owner."""
    import pgserver

    server = pgserver.get_server(tempfile.mkdtemp(prefix="edu-test-pg-scram-"), cleanup_mode="delete")
    try:
        hba = Path(server.pgdata) / "pg_hba.conf"
        hba.write_text("local all postgres trust\nlocal all all scram-sha-256\n")
        asyncio.run(_execute(server.get_uri(), "SELECT pg_reload_conf()", "CREATE DATABASE education"))
        yield server.get_uri().replace("/postgres?", "/education?", 1)
    finally:
        server.cleanup()


async def _execute(url: str, *statements: str) -> None:
    conn = await asyncpg.connect(url)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def _whoami(url: str) -> str:
    conn = await asyncpg.connect(url)
    try:
        return await conn.fetchval("SELECT current_user")
    finally:
        await conn.close()


def migrate(owner_url: str, **passwords: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.endswith("_DB_PASSWORD")}
    env |= {"MIGRATION_DATABASE_URL": owner_url, "PYTHONPATH": os.pathsep.join(sys.path), **passwords}
    return subprocess.run([sys.executable, "-m", "shared.migrate"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_each_service_logs_in_with_the_password_the_migrate_step_set_and_a_rotation(password_server):
    owner = password_server
    passwords = {spec.password_env: f"first-{spec.name}-0123456789abcdef" for spec in SERVICES}
    run = migrate(owner, **passwords)
    assert run.returncode == 0, run.stdout + run.stderr
    for spec in SERVICES:
        assert f"role {spec.db_role}: privileges granted, password set" in run.stdout
        url = url_for_role(owner, spec.db_role, passwords[spec.password_env])
        assert asyncio.run(_whoami(url)) == spec.db_role
        with pytest.raises(asyncpg.InvalidPasswordError):
            asyncio.run(_whoami(url_for_role(owner, spec.db_role, "not-the-password")))

    # Rotating pep's: a new PEP_DB_PASSWORD, the migrate step again. The others keep theirs
    # when their variables are not given.
    run = migrate(owner, PEP_DB_PASSWORD="second-pep-fedcba9876543210")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "role pep_service: privileges granted, password set" in run.stdout
    unchanged = "role schools_service: privileges granted, password unchanged (SCHOOLS_DB_PASSWORD not set)"
    assert unchanged in run.stdout
    rotated = url_for_role(owner, "pep_service", "second-pep-fedcba9876543210")
    assert asyncio.run(_whoami(rotated)) == "pep_service"
    with pytest.raises(asyncpg.InvalidPasswordError):
        asyncio.run(_whoami(url_for_role(owner, "pep_service", passwords["PEP_DB_PASSWORD"])))
    schools = url_for_role(owner, "schools_service", passwords["SCHOOLS_DB_PASSWORD"])
    assert asyncio.run(_whoami(schools)) == "schools_service"


def test_the_migrate_step_refuses_an_unusable_password_before_changing_anything():
    run = migrate("postgresql://nobody@127.0.0.1:1/none", PEP_DB_PASSWORD="naïve")
    assert run.returncode == 2
    assert "printable ASCII" in run.stderr
