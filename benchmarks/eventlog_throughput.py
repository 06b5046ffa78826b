"""Event-log throughput on this machine: appends and ordered reads.

    .venv/bin/python benchmarks/eventlog_throughput.py            (embedded PostgreSQL)
    DATABASE_URL=postgresql://... .venv/bin/python benchmarks/eventlog_throughput.py

Reports events/s for: single-event appends by 1 writer; by 8 concurrent writers sharing one
process's store (group commit); by 8 writers each with its own store (as 8 processes would
be, contending for the append lock); 100-event batches; and reading the whole log in order
with keyset pages. Figures, not assertions: this is not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from shared.eventlog import NewEvent  # noqa: E402
from shared.eventlog.store import EventStore, init_connection  # noqa: E402
from shared.migrations import EVENTLOG_MIGRATIONS, upgrade  # noqa: E402


def event(i: int) -> NewEvent:
    return NewEvent(
        event_type="AttendanceRecorded",
        data={"child_id": f"C{i % 500:05d}", "attendance_percent": "93.5", "term": "2025-autumn", "n": i},
        effective_date=date(2025, 11, 3),
        subjects=(f"child:C{i % 500:05d}",),
    )


async def timed(label: str, count: int, work) -> float:
    started = time.perf_counter()
    await work()
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"{label:<55} {count:>8} events  {elapsed:7.2f} s  {rate:>10,.0f} events/s", flush=True)
    return rate


async def run(url: str, scale: float) -> None:
    pool = await asyncpg.create_pool(url, min_size=2, max_size=16, init=init_connection)
    shared_store = EventStore(pool)
    shared_store.start()

    n1 = int(2000 * scale)

    async def one_writer() -> None:
        for i in range(n1):
            await shared_store.append(f"child-S{i % 100}", [event(i)])

    await timed("single-event appends, 1 writer", n1, one_writer)

    n8 = int(20000 * scale)

    async def eight_writers_group_commit() -> None:
        async def writer(w: int) -> None:
            for i in range(n8 // 8):
                await shared_store.append(f"child-G{w}-{i % 50}", [event(i)])

        await asyncio.gather(*[writer(w) for w in range(8)])

    await timed("single-event appends, 8 writers, one store", n8, eight_writers_group_commit)

    n64 = int(40000 * scale)

    async def many_callers() -> None:
        async def writer(w: int) -> None:
            for i in range(n64 // 64):
                await shared_store.append(f"child-M{w}-{i % 50}", [event(i)])

        await asyncio.gather(*[writer(w) for w in range(64)])

    await timed("single-event appends, 64 concurrent callers, one store", n64, many_callers)

    stores = [EventStore(pool) for _ in range(8)]
    for s in stores:
        s.start()

    async def eight_stores() -> None:
        async def writer(w: int) -> None:
            for i in range(n8 // 8):
                await stores[w].append(f"child-P{w}-{i % 50}", [event(i)])

        await asyncio.gather(*[writer(w) for w in range(8)])

    await timed("single-event appends, 8 writers, 8 stores (processes)", n8, eight_stores)
    for s in stores:
        await s.close()

    nb = int(1000 * scale)

    async def batches() -> None:
        for b in range(nb):
            await shared_store.append(f"child-B{b}", [event(b * 100 + i) for i in range(100)])

    await timed("100-event batches, 1 writer", nb * 100, batches)
    await shared_store.close()

    total = await pool.fetchval("SELECT count(*) FROM eventlog.events")
    reader = EventStore(pool)

    async def read_all() -> None:
        after, seen = 0, 0
        while True:
            page = await reader.read_all(after=after, limit=5000)
            if not page:
                break
            seen += len(page)
            after = page[-1].position
        assert seen == total

    await timed("read all in global order (pages of 5,000)", total, read_all)
    await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every event count")
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
    bench_url = url.replace("/postgres?", f"/{database}?") if "/postgres?" in url else url.rsplit("/", 1)[0] + "/" + database
    upgrade(EVENTLOG_MIGRATIONS, bench_url)
    print(f"PostgreSQL: {'embedded' if server else 'DATABASE_URL'}; cores: {os.cpu_count()}")
    asyncio.run(run(bench_url, args.scale))


if __name__ == "__main__":
    main()
