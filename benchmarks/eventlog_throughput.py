"""Event-log throughput on this machine: appends and ordered reads.

    .venv/bin/python benchmarks/eventlog_throughput.py            (embedded PostgreSQL)
    .venv/bin/python benchmarks/eventlog_throughput.py --scale 0.25 --read-events 200000
    DATABASE_URL=postgresql://... .venv/bin/python benchmarks/eventlog_throughput.py

Reports events/s for: single-event appends by 1 writer; by 8 and by 32 concurrent writers
sharing one process's store (group commit); by 4 operating-system processes with 2 and with 8
writers each (as four services appending at once, contending for the log); 100-event batches
by 1 writer; and reading the whole log in order with keyset pages, both as records opened for a
reader (``read_all``) and as the stored JSON text the feed and exports send
(``read_all_stored``). Figures, not assertions: this is not part of the test suite.

``--only`` runs some of the workloads (by the names printed in brackets), so two checkouts can be
measured one workload at a time, turn about, on the same server.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
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

WORKLOADS = ("one", "eight", "thirtytwo", "procs2", "procs8", "batches", "read")


def event(i: int) -> NewEvent:
    return NewEvent(
        event_type="AttendanceRecorded",
        data={"child_id": f"C{i % 500:05d}", "attendance_percent": "93.5", "term": "2025-autumn", "n": i},
        effective_date=date(2025, 11, 3),
        subjects=(f"child:C{i % 500:05d}",),
    )


def report(label: str, count: int, elapsed: float) -> float:
    rate = count / elapsed
    print(f"{label:<58} {count:>9} events  {elapsed:7.2f} s  {rate:>10,.0f} events/s", flush=True)
    return rate


async def timed(label: str, count: int, work) -> float:
    started = time.perf_counter()
    await work()
    return report(label, count, time.perf_counter() - started)


async def concurrent_writers(store: EventStore, writers: int, per_writer: int, tag: str) -> None:
    async def writer(w: int) -> None:
        for i in range(per_writer):
            await store.append(f"child-{tag}{w}-{i % 50}", [event(i)])

    await asyncio.gather(*[writer(w) for w in range(writers)])


def _process_writers(url: str, writers: int, per_writer: int, tag: str, ready, go) -> None:
    """One operating-system process: its own pool and store, as one service's replica."""

    async def main() -> None:
        pool = await asyncpg.create_pool(url, min_size=2, max_size=4, init=init_connection)
        store = EventStore(pool)
        store.start()
        ready.wait()
        go.wait()
        await concurrent_writers(store, writers, per_writer, tag)
        await store.close()
        await pool.close()

    asyncio.run(main())


def processes(url: str, count: int, writers: int, per_writer: int, tag: str) -> float:
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(count + 1)
    go = context.Barrier(count + 1)
    workers = [
        context.Process(target=_process_writers, args=(url, writers, per_writer, f"{tag}{p}-", ready, go))
        for p in range(count)
    ]
    for worker in workers:
        worker.start()
    ready.wait()  # every process connected and its writer started
    started = time.perf_counter()
    go.wait()
    for worker in workers:
        worker.join()
        if worker.exitcode != 0:
            raise RuntimeError(f"a writer process failed ({worker.exitcode})")
    return time.perf_counter() - started


async def run(url: str, scale: float, read_events: int, only: set[str]) -> None:
    pool = await asyncpg.create_pool(url, min_size=2, max_size=16, init=init_connection)
    store = EventStore(pool)
    store.start()

    if "one" in only:
        n1 = int(2000 * scale)

        async def one_writer() -> None:
            for i in range(n1):
                await store.append(f"child-S{i % 100}", [event(i)])

        await timed("[one] single-event appends, 1 writer", n1, one_writer)

    for name, writers, total in (("eight", 8, 20000), ("thirtytwo", 32, 40000)):
        if name in only:
            per = int(total * scale) // writers
            await timed(
                f"[{name}] single-event appends, {writers} writers, one process",
                per * writers,
                lambda w=writers, p=per, n=name: concurrent_writers(store, w, p, n),
            )

    for name, writers, total in (("procs2", 2, 8000), ("procs8", 8, 20000)):
        if name in only:
            per = int(total * scale) // (4 * writers)
            elapsed = await asyncio.to_thread(processes, url, 4, writers, per, name)
            report(f"[{name}] single-event appends, 4 processes x {writers} writers", per * writers * 4, elapsed)

    if "batches" in only:
        nb = int(1000 * scale)

        async def batches() -> None:
            for b in range(nb):
                await store.append(f"child-B{b}", [event(b * 100 + i) for i in range(100)])

        await timed("[batches] 100-event batches, 1 writer", nb * 100, batches)

    if "read" in only:
        # Fill the log up to the size asked for with large batches, untimed.
        have = await pool.fetchval("SELECT count(*) FROM eventlog.events")
        filler = 0
        while have < read_events:
            size = min(1000, read_events - have)
            await store.append(f"child-F{filler}", [event(i) for i in range(size)])
            have, filler = have + size, filler + 1
        total = await pool.fetchval("SELECT count(*) FROM eventlog.events")

        async def read_records() -> None:
            after, seen = 0, 0
            while page := await store.read_all(after=after, limit=5000):
                seen += len(page)
                after = page[-1].position
            assert seen == total

        await timed(f"[read] read all in order, records (pages of 5,000)", total, read_records)
        if hasattr(store, "read_all_stored"):

            async def read_json() -> None:
                after, seen = 0, 0
                while page := await store.read_all_stored(after=after, limit=5000):
                    seen += len(page)
                    after = page[-1][0]
                assert seen == total

            await timed(f"[read] read all in order, stored JSON (pages of 5,000)", total, read_json)
    await store.close()
    await pool.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every append count")
    parser.add_argument("--read-events", type=int, default=1_000_000, help="events in the log before reading it all")
    parser.add_argument("--only", action="append", choices=WORKLOADS, help="run these workloads only")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), help="a server to create the database on")
    args = parser.parse_args()
    url = args.database_url
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
    print(f"PostgreSQL: {'embedded' if server else 'given'}; cores: {os.cpu_count()}; code: {Path(__file__).resolve().parents[1]}")
    asyncio.run(run(bench_url, args.scale, args.read_events, set(args.only or WORKLOADS)))


if __name__ == "__main__":
    main()
