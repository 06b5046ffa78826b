"""The test command's PostgreSQL: one server for the whole run, shared by every xdist worker.

The controller starts it before the workers exist (``pytest_configure`` in
shared/testing/fixtures.py) and the workers inherit its ``DATABASE_URL``; each worker migrates a
template database of its own on it, at the same time as the others.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from shared.migrations import asyncpg_url
from shared.testing.fixtures import WORKER_DATABASE_URL, WORKER_SYSTEM_IDENTIFIER, system_identifier

ROOT = Path(__file__).resolve().parents[2]


def test_this_process_uses_the_server_the_run_announced(pytestconfig, postgres_url):
    workerinput = getattr(pytestconfig, "workerinput", None)
    if workerinput is not None:  # an xdist worker: the controller announced the run's server
        assert postgres_url == asyncpg_url(workerinput[WORKER_DATABASE_URL])
        if WORKER_SYSTEM_IDENTIFIER in workerinput:  # the run started the embedded server itself
            assert asyncio.run(system_identifier(postgres_url)) == workerinput[WORKER_SYSTEM_IDENTIFIER]
    else:  # one process: the server is the one it exported for any process it starts
        assert postgres_url == asyncpg_url(os.environ["DATABASE_URL"])
        assert asyncio.run(system_identifier(postgres_url))


INNER_TESTS = '''
import asyncio, json, os
import asyncpg
import pytest

@pytest.mark.parametrize("n", range(16))
def test_report(n, postgres_url, template_database):
    async def identify():
        conn = await asyncpg.connect(postgres_url)
        try:
            return await conn.fetchrow(
                "SELECT (SELECT system_identifier FROM pg_control_system()) AS cluster, "
                "current_setting('data_directory') AS data_directory"
            )
        finally:
            await conn.close()
    row = asyncio.run(identify())
    with open(os.environ["REPORT_TO"], "a") as out:
        out.write(json.dumps({"worker": os.environ.get("PYTEST_XDIST_WORKER"), "pid": os.getpid(),
                              "cluster": str(row["cluster"]), "data_directory": row["data_directory"],
                              "template": template_database}) + "\\n")
    import time; time.sleep(0.2)  # let the other worker take some of the tests
'''


@pytest.mark.slow
def test_two_workers_share_one_fresh_server_and_migrate_on_it_at_once(tmp_path):
    """A nested ``pytest -n 2`` without DATABASE_URL: its controller starts one new server, both
    workers report that same server, and both migrated their template on it at the same time
    (roles are cluster-wide: a race there fails the inner run)."""
    (tmp_path / "test_inner.py").write_text(textwrap.dedent(INNER_TESTS))
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["shared.testing.fixtures"]\n')
    (tmp_path / "pytest.ini").write_text("[pytest]\ntimeout = 300\n")
    report = tmp_path / "report.jsonl"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join(sys.path)
    env["REPORT_TO"] = str(report)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-n", "2", "-q", "-p", "no:cacheprovider",
         "--rootdir", str(tmp_path), "-c", str(tmp_path / "pytest.ini"), str(tmp_path / "test_inner.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    assert len(rows) == 16
    assert {r["worker"] for r in rows} == {"gw0", "gw1"}, "both workers took tests"
    assert len({r["cluster"] for r in rows}) == 1, "one server"
    assert len({r["data_directory"] for r in rows}) == 1
    assert len({r["template"] for r in rows}) == 2, "each worker migrated a template of its own"
    assert not Path(rows[0]["data_directory"]).exists(), "the run stopped and deleted its server"
