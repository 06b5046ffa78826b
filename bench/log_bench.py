"""The log's table: every workload on every engine, interleaved round by round, median of three.

Each round runs each workload on the three engines one after another (their order turning each
round), so a burst of load from elsewhere on the machine falls on all of them alike rather than
on one engine's three rounds.
"""

from __future__ import annotations

import cProfile
import io
import pstats
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from bench import log_engines as engines
from bench.figures import Table, Target, Verdicts, at_least, cell, median, number, rate, ratio

ROUNDS = 3


@dataclass(frozen=True)
class Workload:
    name: str
    processes: int
    writers: int  # in each process
    appends: int  # by each writer, full run
    batch: int = 1
    # The target, as a multiple of the eventsourcing recorder (and of raw asyncpg, for batches).
    over_peer: float | None = None
    of_raw: float | None = None
    raw_note: str = ""

    def work(self, run: str, scale: float) -> engines.Work:
        return engines.Work(run, self.writers, max(1, int(self.appends * scale)), self.batch)

    def events(self, scale: float) -> int:
        return self.processes * self.work("", scale).events


# Appends per writer in a full run: enough for a few seconds of the slowest engine at each
# (the eventsourcing recorder manages a few hundred a second with concurrent writers here).
WORKLOADS = (
    # "Group commit that also wins for one writer and across processes": wins = at least the peer.
    Workload("single-event appends, 1 writer", 1, 1, 2000, over_peer=1.0),
    Workload("8 concurrent writers, one process", 1, 8, 500, over_peer=8.0, raw_note="group commit"),
    Workload("32 concurrent writers, one process", 1, 32, 200, over_peer=20.0, raw_note="group commit"),
    Workload("4 processes × 2 writers (four services at once)", 4, 2, 300, over_peer=4.0,
             raw_note="group commit in each process"),
    Workload("4 processes × 8 writers", 4, 8, 150, over_peer=1.0, raw_note="group commit in each process"),
    Workload("100-event batches, 1 writer", 1, 1, 200, batch=100, over_peer=2.0, of_raw=0.8),
)
READ_ALL_TARGET = at_least(300_000, "≥ 300,000 events/s")
FOLD_EVENTS = 1000


@dataclass
class LogResults:
    rates: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    fold_ms: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    read_events: int = 0
    profiles: dict[str, str] = field(default_factory=dict)

    def median_rate(self, workload: str, engine: str) -> float | None:
        values = self.rates.get((workload, engine))
        return median(values) if values else None


def _say(line: str) -> None:
    print(line, flush=True)


def run(database: Callable[[str], str], *, scale: float, read_all_events: int) -> tuple[LogResults, dict[str, str]]:
    """Every workload, ROUNDS times, on a database of each engine's own. ``database(name)`` makes
    an empty database and gives its URL."""
    from shared.migrations import EVENTLOG_MIGRATIONS, upgrade

    urls = {}
    for engine in engines.ENGINES:
        urls[engine] = database(f"bench_log_{engine}")
        if engine == "project":
            upgrade(EVENTLOG_MIGRATIONS, urls[engine])
        engines.prepare(engine, urls[engine])

    results = LogResults()
    for round_number in range(ROUNDS):
        for workload in WORKLOADS:
            for engine in engines.sequence_of(engines.ENGINES, round_number):
                work = workload.work(engines.run_id(), scale)
                if workload.processes > 1:
                    seconds = engines.append_in_processes(engine, urls[engine], workload.processes, work)
                else:
                    seconds = engines.append(engine, urls[engine], work)
                events = workload.events(scale)
                results.rates[(workload.name, engine)].append(rate(events, seconds))
                _say(f"  round {round_number + 1}  {workload.name:<50} {engine:<14} "
                     f"{events:>7} events {rate(events, seconds):>10,.0f}/s")

    # The stream every engine folds, then each log filled up to the same size for reading.
    fold_stream = {}
    for engine in engines.ENGINES:
        work = engines.Work(engines.run_id(), 1, 1, FOLD_EVENTS)
        engines.append(engine, urls[engine], work)
        fold_stream[engine] = work.stream(0, 0)
        _fill(engine, urls[engine], read_all_events)
    results.read_events = read_all_events
    for round_number in range(ROUNDS):
        for engine in engines.sequence_of(engines.ENGINES, round_number):
            seen, seconds = engines.read_all(engine, urls[engine])
            results.rates[("read all", engine)].append(rate(seen, seconds))
            _say(f"  round {round_number + 1}  read all in order ({seen:,} events)  {engine:<14} "
                 f"{rate(seen, seconds):>10,.0f}/s")
        for engine in engines.sequence_of(engines.ENGINES, round_number):
            folded, seconds = engines.fold_stream(engine, urls[engine], fold_stream[engine])
            if folded != FOLD_EVENTS:
                raise RuntimeError(f"{engine} folded {folded} events of a {FOLD_EVENTS}-event stream")
            results.fold_ms[engine].append(seconds * 1000)
            _say(f"  round {round_number + 1}  fold a {FOLD_EVENTS}-event stream  {engine:<14} {seconds * 1000:8.1f} ms")
    return results, urls


def _fill(engine: str, url: str, events: int) -> None:
    """Top the log up to ``events`` events with 1,000-event appends (not timed)."""
    existing = _count(engine, url)
    missing = events - existing
    if missing <= 0:
        return
    appends = -(-missing // 1000)
    _say(f"  filling the {engine} log with {appends * 1000:,} more events to read ...")
    engines.append(engine, url, engines.Work(engines.run_id(), 1, appends, 1000))


def _count(engine: str, url: str) -> int:
    import asyncio

    import asyncpg

    table = {"project": "eventlog.events", "asyncpg": "raw_events", "eventsourcing": "stored_events"}[engine]

    async def count() -> int:
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetchval(f"SELECT count(*) FROM {table}")
        finally:
            await conn.close()

    return asyncio.run(count())


def targets(workload: Workload) -> list[tuple[str, Target, str]]:
    """(what is compared, the target, which figure it is judged on) for one workload."""
    found = []
    if workload.over_peer is not None:
        found.append(("peer", at_least(workload.over_peer, f"≥ {workload.over_peer:g}× eventsourcing"), "peer"))
    if workload.of_raw is not None:
        found.append(("raw", at_least(workload.of_raw, f"≥ {workload.of_raw:.0%} of raw asyncpg"), "raw"))
    return found


def table(results: LogResults, verdicts: Verdicts) -> str:
    t = Table(["workload", "this project", "eventsourcing", "raw asyncpg", "project ÷ eventsourcing",
               "project ÷ raw asyncpg"])
    for workload in WORKLOADS:
        project = results.median_rate(workload.name, "project")
        peer = results.median_rate(workload.name, "eventsourcing")
        raw = results.median_rate(workload.name, "asyncpg")
        over_peer, of_raw = ratio(project, peer), ratio(project, raw)
        peer_cell, raw_cell = number(over_peer, digits=2), number(of_raw, digits=2)
        for kind, target, _ in targets(workload):
            measured = over_peer if kind == "peer" else of_raw
            verdicts.judge(workload.name, target, measured)
            if kind == "peer":
                peer_cell = cell(peer_cell, target, measured)
            else:
                raw_cell = cell(raw_cell, target, measured)
        raw_figure = number(raw) + (f" ({workload.raw_note})" if workload.raw_note else "")
        t.add(workload.name, number(project), number(peer), raw_figure, peer_cell, raw_cell)
    project = results.median_rate("read all", "project")
    peer = results.median_rate("read all", "eventsourcing")
    raw = results.median_rate("read all", "asyncpg")
    name = f"read all in order, {results.read_events:,} events"
    verdicts.judge(name, READ_ALL_TARGET, project)
    t.add(name, cell(number(project), READ_ALL_TARGET, project), number(peer), number(raw),
          number(ratio(project, peer), digits=2), number(ratio(project, raw), digits=2))
    fold = {engine: median(ms) if ms else None for engine, ms in results.fold_ms.items()}
    t.add(f"fold a {FOLD_EVENTS:,}-event stream (ms)", number(fold.get("project"), digits=1),
          number(fold.get("eventsourcing"), digits=1), number(fold.get("asyncpg"), digits=1) + " (decode only)",
          "—", "—")
    return t.markdown()


def profile_misses(results: LogResults, verdicts: Verdicts, urls: dict[str, str], scale: float) -> dict[str, str]:
    """For each missed workload, this project's side run once more under cProfile in this process
    (the multi-process ones as one of their processes alone): the functions the time went to."""
    profiles = {}
    for workload in WORKLOADS:
        if workload.name not in verdicts.missed:
            continue
        work = workload.work(engines.run_id(), scale)
        profiles[workload.name] = cprofile(lambda w=work: engines.append("project", urls["project"], w))
    if f"read all in order, {results.read_events:,} events" in verdicts.missed:
        profiles["read all in order"] = cprofile(lambda: engines.read_all("project", urls["project"]))
    return profiles


def cprofile(work: Callable[[], object], top: int = 20) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        work()
    finally:
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats("tottime").print_stats(top)
    text = out.getvalue()
    # From the column headings on: the totals line above them names this machine's paths.
    return text[text.find("   ncalls"):].rstrip() if "   ncalls" in text else text.rstrip()
