"""How fast the read models are rebuilt, and what each command costs the disk. Not a test.

    .venv/bin/python benchmarks/projection_rebuild.py
    .venv/bin/python benchmarks/projection_rebuild.py --baseline /tmp/baseline --seconds 60 --rate 40

It starts its own embedded PostgreSQL 16 (``pgserver``) in a temp directory, applies every
migration and runs all five services as uvicorn processes on 127.0.0.1, as the soak test does
(benchmarks/soak.py: its stack and its council, whose officers register, inspect and categorise
schools, bring children into care and through their PEPs, ask for and approve PP+ and give
warning notices, all through the services' own routes and handlers). Then:

* **Disk flushes per command.** While the council works for ``--seconds`` at ``--rate`` requests
  a second (``--traffic-rounds`` times; the per-write figures are their mean), it reads PostgreSQL's own counters before and after (``pg_stat_wal.wal_sync``: the
  WAL flushes to disk, for the whole server; ``pg_stat_database.xact_commit``: the transactions
  committed in the council's database) and divides by the writes the services acknowledged. The
  window ends once every subscription has caught up and the services are stopped, so every
  backend has reported its counters. The same counters over ``--idle`` seconds of no traffic,
  services running, give what the services cost the disk doing nothing.
* **Rebuild rate per read model.** With the services stopped, each read model is rebuilt from the
  log that traffic wrote (``rebuild``, as ``python -m shared.ops rebuild`` does), in a process of
  its own, and timed: the events it handles applied a second, and the log's events passed a
  second. ``--copies N`` first appends N more copies of every school's and child's streams under
  new ids (the events read back with their personal fields opened and appended again through
  the store, so they are sealed again for their new child), for a larger log.

With ``--baseline DIR`` (another checkout of this repository, e.g. ``git archive <commit> | tar -x
-C DIR``) the services of both run the traffic in turns, and the rebuilds take turns too, each
``--rounds`` times, so what else the machine is doing weighs on both alike; the figures are the
medians. On a shared machine every figure is low and noisy: compare the two, not the absolutes.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

HERE = Path(__file__).resolve().parent
SOAK_FIRST_URN = 200_000


def load_soak(code: Path) -> ModuleType:
    """The soak test of a checkout, which puts that checkout's code first on the path."""
    spec = importlib.util.spec_from_file_location("soak", code / "benchmarks" / "soak.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak"] = module
    spec.loader.exec_module(module)
    return module


# -- rebuilding, in a process of the code being measured -------------------------------------------


async def rebuild_rates(soak: ModuleType, database_url: str) -> dict[str, dict[str, float]]:
    import asyncpg

    from shared.eventlog import rebuild
    from shared.eventlog.store import init_connection

    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2, init=init_connection)
    rates: dict[str, dict[str, float]] = {}
    try:
        head = await pool.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events")
        for projections in soak.projections_by_schema().values():
            for projection in projections:
                types = projection.event_types
                handled = await pool.fetchval(
                    "SELECT count(*) FROM eventlog.events WHERE $1::text[] IS NULL OR event_type = ANY($1::text[])",
                    None if types is None else sorted(types),
                )
                started = time.perf_counter()
                await rebuild(pool, projection)
                seconds = time.perf_counter() - started
                rates[projection.name] = {"seconds": seconds, "handled": handled, "log": head}
    finally:
        await pool.close()
    return rates


def rebuild_in_process_of(code: Path, database_url: str) -> dict[str, dict[str, float]]:
    answer = subprocess.run(
        [sys.executable, __file__, "--rebuild-only", database_url, "--code", str(code)],
        check=True, capture_output=True, text=True,
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


# -- traffic and the disk -------------------------------------------------------------------------

COUNTERS = """
SELECT (SELECT wal_sync FROM pg_stat_wal) AS wal_sync,
       (SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()) AS xact_commit,
       (SELECT coalesce(max(position), 0) FROM eventlog.events) AS head
"""


async def counters(database_url: str) -> dict[str, int]:
    import asyncpg

    conn = await asyncpg.connect(database_url)
    try:
        await conn.execute("SELECT pg_stat_clear_snapshot()")
        return dict(await conn.fetchrow(COUNTERS))
    finally:
        await conn.close()


async def caught_up(soak: ModuleType, database_url: str) -> None:
    import asyncpg

    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        done, behind = await soak.wait_caught_up(pool, list(soak.projections_by_schema()))
        if not done:
            print(f"  subscriptions still behind: {behind}", flush=True)
    finally:
        await pool.close()


def work(soak: ModuleType, stack: Any, code: Path, args: argparse.Namespace) -> dict[str, float]:
    """The council's traffic through the services of ``code``, and what it cost the disk."""
    soak.ROOT = code  # the services are started from this checkout
    stack.start_services()
    try:
        stack.wait_ready()
        time.sleep(2)
        quiet = asyncio.run(counters(stack.database_url))
        time.sleep(args.idle)
        before = asyncio.run(counters(stack.database_url))
        traffic = SimpleNamespace(
            duration=args.seconds, rate=args.rate, officers=args.officers, restart_at=1.0, restart_mode="fast"
        )
        results, _, _ = asyncio.run(soak.drive(stack, traffic))
        asyncio.run(caught_up(soak, stack.database_url))
    finally:
        stack.stop_services()
    time.sleep(1)
    after = asyncio.run(counters(stack.database_url))
    writes = len(results.acknowledged)
    return {
        "writes": writes,
        "events": after["head"] - before["head"],
        "wal_sync_per_write": (after["wal_sync"] - before["wal_sync"]) / max(1, writes),
        "commits_per_write": (after["xact_commit"] - before["xact_commit"]) / max(1, writes),
        "idle_wal_sync_per_second": (before["wal_sync"] - quiet["wal_sync"]) / args.idle,
        "idle_commits_per_second": (before["xact_commit"] - quiet["xact_commit"]) / args.idle,
    }


async def copy_council(database_url: str, copies: int) -> int:
    """Append ``copies`` more of every school's and child's streams under new ids, through the
    store (so personal fields are sealed for the new child). Returns the events appended."""
    import asyncpg

    from shared.eventlog.records import NewEvent, StreamAppend
    from shared.eventlog.store import EVENT_COLUMNS, EventStore, init_connection, record_from_row
    from shared.privacy.sealing import reveal

    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4, init=init_connection)
    store = EventStore(pool)
    store.start()
    appended = 0
    try:
        rows = await pool.fetch(f"SELECT {EVENT_COLUMNS} FROM eventlog.events ORDER BY position")
        records = await reveal(pool, [record_from_row(r) for r in rows])
        # The soak's URNs are 200001 on and its children S<run><n>; every other id contains one.
        urns = {r.stream_id.split("-", 1)[1] for r in records if r.stream_id.startswith("school-")}
        children = {r.stream_id.split("-", 1)[1] for r in records if r.stream_id.startswith("child-")}
        step = max(int(u) for u in urns) - SOAK_FIRST_URN + 1
        if max(int(u) for u in urns) + copies * step > 999_999:
            raise SystemExit(f"at most {(999_999 - max(int(u) for u in urns)) // step} copies keep URNs six digits")
        ids = re.compile("|".join(re.escape(i) for i in sorted(urns | children, key=len, reverse=True)))
        for copy in range(1, copies + 1):
            new_ids = {u: str(int(u) + copy * step) for u in urns} | {c: f"{c}x{copy}" for c in children}

            def renamed(text: str) -> str:
                return ids.sub(lambda found: new_ids[found.group(0)], text)

            pending: list[StreamAppend] = []

            async def flush() -> None:
                nonlocal appended, pending
                if pending:
                    await store.append_streams(pending, metadata={"actor": "benchmark"})
                    appended += len(pending)
                    pending = []

            for record in records:
                stream_id = renamed(record.stream_id)
                if stream_id == record.stream_id:
                    continue  # the council's own streams (budgets, settings, term dates): one each
                if len(pending) == 100 or any(p.stream_id == stream_id for p in pending):
                    await flush()
                event = NewEvent(
                    event_type=record.event_type,
                    data=json.loads(renamed(json.dumps(record.data))),
                    effective_date=record.effective_date,
                    schema_version=record.schema_version,
                    subjects=tuple(renamed(s) for s in record.subjects),
                    personal=tuple(record.sealed or ()),
                )
                pending.append(StreamAppend(stream_id, (event,), None))
            await flush()
    finally:
        await store.close()
        await pool.close()
    return appended


def median_rates(runs: list[dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    out = {}
    for name in runs[0]:
        seconds = statistics.median(run[name]["seconds"] for run in runs)
        handled, log_events = runs[0][name]["handled"], runs[0][name]["log"]
        out[name] = {"seconds": seconds, "handled_per_s": handled / seconds, "log_per_s": log_events / seconds,
                     "handled": handled}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="seconds of traffic per run (default 60)")
    parser.add_argument("--rate", type=float, default=40.0, help="requests a second, all services (default 40)")
    parser.add_argument("--officers", type=int, default=16)
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of no traffic measured (default 10)")
    parser.add_argument("--copies", type=int, default=0, help="copies of the council appended before rebuilding")
    parser.add_argument("--rounds", type=int, default=3, help="rebuilds of each read model (default 3)")
    parser.add_argument("--traffic-rounds", type=int, default=2, help="runs of traffic of each (default 2)")
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with, in turns")
    parser.add_argument("--rebuild-only", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    parser.add_argument("--code", type=Path, default=HERE.parent, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    soak = load_soak(args.code.resolve())
    if args.rebuild_only:
        print(json.dumps(asyncio.run(rebuild_rates(soak, args.rebuild_only))))
        return 0

    codes = {"this": HERE.parent}
    if args.baseline:
        codes["baseline"] = args.baseline.resolve()
    stack = soak.Stack(Path(tempfile.mkdtemp(prefix="edu-rebuild-")))
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    try:
        stack.start_postgres()
        disk: dict[str, dict[str, float]] = {}
        for round_ in range(args.traffic_rounds):
            order = list(codes) if round_ % 2 == 0 else list(reversed(codes))  # in turns: ABBA...
            for label in order:
                print(f"traffic through the services of {label} ({codes[label]}) ...", flush=True)
                found = work(soak, stack, codes[label], args)
                disk[label] = {k: v + found[k] for k, v in disk[label].items()} if label in disk else found
                print(f"  {label}: {found}", flush=True)
        for figures in disk.values():
            for name in [k for k in figures if k not in ("writes", "events")]:
                figures[name] /= args.traffic_rounds
        if args.copies:
            added = asyncio.run(copy_council(stack.database_url, args.copies))
            print(f"appended {added} events: {args.copies} more copies of the council", flush=True)
        runs: dict[str, list] = {label: [] for label in codes}
        for round_ in range(args.rounds):
            order = list(codes) if round_ % 2 == 0 else list(reversed(codes))
            for label in order:
                runs[label].append(rebuild_in_process_of(codes[label], stack.database_url))
                print(f"  rebuilt with {label}: " + ", ".join(
                    f"{name} {r['handled'] / r['seconds']:,.0f}/s" for name, r in runs[label][-1].items()
                ), flush=True)
        rates = {label: median_rates(found) for label, found in runs.items()}
    finally:
        stack.stop_services()
        stack.stop_postgres()

    print("\ndisk flushes and commits per acknowledged write (whole window, catching up included):")
    for label, d in disk.items():
        print(
            f"  {label:<9} {d['writes']:>6.0f} writes, {d['events']:>6.0f} events: "
            f"{d['wal_sync_per_write']:.2f} WAL flushes and {d['commits_per_write']:.1f} commits a write; "
            f"idle: {d['idle_wal_sync_per_second']:.1f} flushes and {d['idle_commits_per_second']:.1f} commits a second"
        )
    print(f"\nrebuild, median of {args.rounds} (log of {runs['this'][0][next(iter(runs['this'][0]))]['log']:.0f} "
          "events; events it handles applied a second, log events passed a second):")
    labels = list(codes)
    print(f"  {'read model':<34}" + "".join(f"{label + ' handled/s':>20}{'log/s':>10}" for label in labels))
    for name in rates["this"]:
        cells = "".join(
            f"{rates[label][name]['handled_per_s']:>20,.0f}{rates[label][name]['log_per_s']:>10,.0f}" for label in labels
        )
        print(f"  {name:<34}{cells}   ({rates['this'][name]['handled']:.0f} handled)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
