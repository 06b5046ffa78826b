"""The README's run command: embedded PostgreSQL, migrations, every service ready on its port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncio

import asyncpg
import httpx

from shared.services import SERVICES

ROOT = Path(__file__).resolve().parents[2]


def test_the_run_command_serves_every_service_until_stopped(tmp_path):
    offset = 1000 + (os.getpid() % 500) * 10
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    process = subprocess.Popen(
        # --empty: what is checked here is the serving; the council a first start builds has its own tests.
        [sys.executable, "-m", "shared.devserver", "--data-dir", str(tmp_path / "pg"), "--port-offset", str(offset),
         "--empty"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "all services ready" in line:
                break
        assert any("all services ready" in line for line in lines), "".join(lines)
        for spec in SERVICES:
            answer = httpx.get(f"http://127.0.0.1:{spec.port + offset}/ready", timeout=5)
            assert answer.status_code == 200
            assert answer.json()["ready"] is True
            assert any(f":{spec.port + offset}" in line and spec.name in line for line in lines)
        # Each service is connected as its own role; nothing but this check as the owner.
        assert asyncio.run(roles_connected(tmp_path / "pg")) == {spec.db_role for spec in SERVICES}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


async def roles_connected(data_dir: Path) -> set[str]:
    from pgserver.utils import PostmasterInfo

    conn = await asyncpg.connect(PostmasterInfo.read_from_pgdata(data_dir).get_uri(database="education"))
    try:
        rows = await conn.fetch(
            "SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = 'education' "
            "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
        )
        return {r["usename"] for r in rows}
    finally:
        await conn.close()
