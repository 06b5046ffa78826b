"""Memory and speed of the event-log service's streamed exports, up to a million events.

    .venv/bin/python benchmarks/eventlog_export_memory.py                 (embedded PostgreSQL)
    .venv/bin/python benchmarks/eventlog_export_memory.py --sizes 100000,1000000
    DATABASE_URL=postgresql://... .venv/bin/python benchmarks/eventlog_export_memory.py

Fills a fresh database's log straight from SQL (``generate_series``; the hash chain is not
computed, which the export does not need), starts the event-log service as its own process with
uvicorn, downloads ``/exports/feed`` as NDJSON and as CSV over HTTP at each size, and reports the
service process's resident memory before and at its peak during each download (sampled from
/proc every 20 ms). Flat peaks across sizes are the point. Figures, not assertions: this is not
part of the test suite. Results are also written to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
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

from shared.migrations import EVENTLOG_MIGRATIONS, upgrade  # noqa: E402
from shared.security.mint import ensure_dev_keys, mint_token  # noqa: E402
from shared.services import SERVICES  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

FILL = """
INSERT INTO eventlog.events (position, stream_id, stream_version, event_type, schema_version, data, metadata,
                             effective_date, recorded_at, subjects, prev_hash, hash)
SELECT g, 'inspections-' || (100000 + g % 5000), (g - 1) / 5000 + 1, 'InspectionRecorded', 1,
       jsonb_build_object('urn', (100000 + g % 5000)::text, 'inspection_id', 'I' || g,
                          'inspected_on', (date '2020-01-01' + (g % 2000)::int)::text,
                          'framework', 'eif_2019', 'overall_effectiveness', 'good', 'below_good', false),
       jsonb_build_object('actor', 'sia-' || (g % 40), 'role', 'school_improvement_adviser',
                          'service', 'schools', 'request_id', md5(g::text)),
       date '2020-01-01' + (g % 2000)::int, now(), ARRAY['school:' || (100000 + g % 5000)],
       decode(repeat('00', 32), 'hex'), decode(md5(g::text) || md5(g::text), 'hex')
FROM generate_series($1::bigint, $2::bigint) AS g
"""


def rss_kib(pid: int) -> tuple[int, int]:
    """(current resident set, lifetime peak) of a process, in KiB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def download(base_url: str, token: str, fmt: str, pid: int) -> tuple[int, int, float, int]:
    """Bytes, lines, seconds, and the server's peak RSS (KiB) sampled during the download."""
    peak = rss_kib(pid)[0]
    done = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_kib(pid)[0])
            await asyncio.sleep(0.02)

    sampler = asyncio.create_task(sample())
    received = lines = 0
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base_url, timeout=600) as http:
        async with http.stream(
            "GET", "/exports/feed", params={"format": fmt}, headers={"Authorization": f"Bearer {token}"}
        ) as response:
            response.raise_for_status()
            async for chunk in response.aiter_raw():
                received += len(chunk)
                lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - started
    done.set()
    await sampler
    return received, lines, elapsed, peak


async def run(url: str, sizes: list[int], report: list[str]) -> None:
    def say(text: str) -> None:
        print(text, flush=True)
        report.append(text)

    keys = ensure_dev_keys(Path(tempfile.mkdtemp(prefix="bench-keys-")))
    settings = ServiceSettings()
    token = mint_token(
        role="auditor",
        subject="benchmark-auditor",
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        private_key=keys[0].read_bytes(),
        lifetime_seconds=4 * 3600,
    )
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "ENVIRONMENT": "test",  # an ephemeral checkpoint key: never the developer's .dev/keys
        "DEV_PUBLIC_KEY_PATH": str(keys[1]),
        "SCHEDULER_INTERVAL_SECONDS": "86400",
        "PYTHONPATH": os.pathsep.join([str(ROOT)] + [str(ROOT / "services" / s.name) for s in SERVICES]),
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "event_log.main:create_app",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        env=env,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base_url) as http:
            for _ in range(300):
                try:
                    if (await http.get("/ready")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise RuntimeError("the event-log service did not become ready")
        conn = await asyncpg.connect(url)
        filled = 0
        say(
            f"{'events':>9} {'format':>6} {'MB':>8} {'seconds':>8} {'events/s':>10} "
            f"{'RSS before MiB':>15} {'RSS peak MiB':>13}"
        )
        for size in sizes:
            started = time.perf_counter()
            await conn.execute(FILL, filled + 1, size)
            await conn.execute("ANALYZE eventlog.events")
            print(f"  (filled to {size} events in {time.perf_counter() - started:.1f} s)", flush=True)
            filled = size
            for fmt in ("ndjson", "csv"):
                before = rss_kib(server.pid)[0]
                received, lines, elapsed, peak = await download(base_url, token, fmt, server.pid)
                expected = size + (1 if fmt == "csv" else 0)
                assert lines >= expected, (lines, expected)  # CSV data may hold quoted newlines
                say(
                    f"{size:>9} {fmt:>6} {received / 1e6:>8.1f} {elapsed:>8.1f} {size / elapsed:>10,.0f} "
                    f"{before / 1024:>15.1f} {peak / 1024:>13.1f}"
                )
        await conn.close()
        say(f"service process lifetime peak RSS: {rss_kib(server.pid)[1] / 1024:.1f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="log sizes to export, ascending")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
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
    upgrade(EVENTLOG_MIGRATIONS, bench_url)
    report = [f"PostgreSQL: {'embedded' if server else 'DATABASE_URL'}; cores: {os.cpu_count()}"]
    print(report[0], flush=True)
    asyncio.run(run(bench_url, sizes, report))
    results = ROOT / "benchmarks" / "results"
    results.mkdir(exist_ok=True)
    (results / "eventlog_export_memory.txt").write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main()
