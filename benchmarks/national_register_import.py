"""Speed and memory of the schools service's import of the whole national register.

    .venv/bin/python benchmarks/national_register_import.py                  (embedded PostgreSQL)
    .venv/bin/python benchmarks/national_register_import.py --rows 50000
    DATABASE_URL=postgresql://... .venv/bin/python benchmarks/national_register_import.py

Writes an extract of ``--rows`` schools in the download's column layout and encoding
(``national_register_file.py``: every column, Windows-1252, about 1 KB a row), starts the schools
service as its own process with uvicorn, configured as Kent's (COUNCIL_LA_CODE=886) and reading
that file (NATIONAL_REGISTER_FILE), and calls ``POST /schools/imports/national-register`` twice:
the first import records every school, the second finds nothing changed and appends nothing.
For each it reports rows a second and the service process's resident memory before and at its
peak during the import (sampled from /proc every 20 ms), and at the end the process's lifetime
peak (VmHWM). Figures, not assertions: this is not part of the test suite. Results are also
written to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.eventlog_export_memory import free_port, rss_kib  # noqa: E402
from benchmarks.national_register_file import write_national_extract  # noqa: E402
from shared.migrations import upgrade_all  # noqa: E402
from shared.security.mint import ensure_dev_keys, mint_token  # noqa: E402
from shared.services import SERVICES, all_migrations  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402


async def timed_import(http: httpx.AsyncClient, token: str, pid: int) -> tuple[dict, float, int, int]:
    """The import's report, its seconds, and the server's RSS (KiB) before and at its peak."""
    before = peak = rss_kib(pid)[0]
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kib(pid)[0])
            await asyncio.sleep(0.02)

    sampler = asyncio.create_task(sample())
    started = time.perf_counter()
    try:
        response = await http.post(
            "/schools/imports/national-register",
            headers={"Authorization": f"Bearer {token}"},
            timeout=3600,
        )
    finally:
        elapsed = time.perf_counter() - started
        done.set()
        await sampler
    response.raise_for_status()
    return response.json(), elapsed, before, peak


async def run(url: str, rows: int, report: list[str]) -> None:
    def say(text: str) -> None:
        print(text, flush=True)
        report.append(text)

    work = Path(tempfile.mkdtemp(prefix="bench-gias-"))
    started = time.perf_counter()
    extract = write_national_extract(work / "edubasealldata.csv", rows)
    say(f"extract: {rows} rows, {extract.stat().st_size / 1e6:.1f} MB, Windows-1252 "
        f"(written in {time.perf_counter() - started:.1f} s)")
    keys = ensure_dev_keys(work / "keys")
    settings = ServiceSettings()
    token = mint_token(
        role="principal_adviser",
        subject="benchmark-principal-adviser",
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        private_key=keys[0].read_bytes(),
        lifetime_seconds=4 * 3600,
    )
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ENVIRONMENT": "test",
        "DEV_PUBLIC_KEY_PATH": str(keys[1]),
        "SCHEDULER_INTERVAL_SECONDS": "86400",
        "COUNCIL_LA_CODE": "886",
        "NATIONAL_REGISTER_FILE": str(extract),
        "WRITE_RATE_PER_MINUTE": "100000",
        "PYTHONPATH": os.pathsep.join([str(ROOT)] + [str(ROOT / "services" / s.name) for s in SERVICES]),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "schools.main:create_app", "--port", str(port),
         "--log-level", "warning"],
        env=env,
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for _ in range(300):
                try:
                    if (await http.get("/ready")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the schools service did not become ready")
            say(f"{'import':>7} {'rows':>7} {'appended':>9} {'seconds':>8} {'rows/s':>8} "
                f"{'RSS before MiB':>15} {'RSS peak MiB':>13}")
            for name in ("first", "second"):
                answer, elapsed, before, peak = await timed_import(http, token, server.pid)
                say(f"{name:>7} {answer['rows_read']:>7} {answer['events_appended']:>9} {elapsed:>8.1f} "
                    f"{answer['rows_read'] / elapsed:>8,.0f} {before / 1024:>15.1f} {peak / 1024:>13.1f}")
            say(f"service process lifetime peak RSS (VmHWM): {rss_kib(server.pid)[1] / 1024:.1f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000, help="schools in the extract")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL")
    server = None
    if not url:
        import pgserver

        server = pgserver.get_server(tempfile.mkdtemp(prefix="bench-pg-"), cleanup_mode="delete")
        url = server.get_uri()
    database = f"bench_{uuid.uuid4().hex[:8]}"

    async def create() -> None:
        conn = await asyncpg.connect(url)
        await conn.execute(f'CREATE DATABASE "{database}"')
        await conn.close()

    asyncio.run(create())
    bench_url = (
        url.replace("/postgres?", f"/{database}?")
        if "/postgres?" in url
        else url.rsplit("/", 1)[0] + "/" + database
    )
    upgrade_all(all_migrations(), bench_url)
    report = [f"PostgreSQL: {'embedded' if server else 'DATABASE_URL'}; cores: {os.cpu_count()}"]
    print(report[0], flush=True)
    asyncio.run(run(bench_url, args.rows, report))
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "national_register_import.txt").write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
