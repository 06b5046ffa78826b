"""Each part of the run: measure, write its section of the report, judge its targets, and
profile what missed."""

from __future__ import annotations

import os

from bench import log_bench

TITLES = {
    "log": "The event log against its peers",
    "rebuild": "Rebuilding read models",
    "services": "Through the services",
    "timeline": "A child's 1,000-event timeline",
    "council": "Queries as the council grows",
}


def log(server, report, args) -> None:
    quick = args.quick
    scale = 0.1 if quick else 1.0
    read_all_events = 50_000 if quick else 1_000_000
    results, urls = log_bench.run(server.database, scale=scale, read_all_events=read_all_events)
    report.section("\n\n".join([
        f"## {TITLES['log']}",
        "The same appends on each engine, each with its own database on the one server: this project's "
        "log (`shared/eventlog`, one `EventStore` per process), the `eventsourcing` library's PostgreSQL "
        "application recorder (psycopg; concurrent writers are threads) and plain asyncpg inserts. "
        "Processes are real OS processes. Rates are the median of three rounds.",
        log_bench.table(results, report.verdicts),
    ]))
    for figure, text in log_bench.profile_misses(results, report.verdicts, urls, scale).items():
        report.profile(figure, "cProfile of this project's side, top functions by own time", text)


# -- the services ---------------------------------------------------------------------------------

_STATE: dict[str, object] = {}


def _stack(server, quick: bool):
    """The services running on a council the services themselves set up; made once a run."""
    import asyncio
    import tempfile
    from pathlib import Path

    from bench import council_run
    from bench.services_load import Stack

    if "stack" not in _STATE:
        url = server.database("bench_services", migrated=True)
        stack = Stack(url, Path(tempfile.mkdtemp(prefix="bench-services-")))
        _STATE["stack"] = stack
        stack.start_all()
        rates, seconds, _ = _load(quick)
        # Enough children for every PP+ request of the load (the profile's too) to be for a child
        # and term still free (two terms each): as many as can be set up through the API in a few
        # minutes, the rest written to the log as the pep service writes them.
        needed = int((sum(rates) + rates[0]) * seconds / 2) + 10
        children = min(needed, 60 if quick else 600)
        print(f"  setting the council up: {children} children with PEPs, {needed - children} more by the log ...",
              flush=True)
        _STATE["council"] = asyncio.run(council_run.build(stack, schools=10 if quick else 60,
                                                          children=children, notices=10 if quick else 50,
                                                          log_children=needed - children))
    return _STATE["stack"], _STATE["council"]


def _load(quick: bool) -> tuple[tuple[float, ...], float, float]:
    """The rates, and the seconds each command and each query is sent at each: the issue's rates in
    a full run, a fifth of them for a moment in a quick one."""
    return ((10.0, 20.0, 40.0), 3.0, 2.0) if quick else ((50.0, 100.0, 200.0), 20.0, 10.0)


def services(server, report, args) -> None:
    quick = args.quick
    import asyncio

    from bench import council_run

    stack, council = _stack(server, quick)
    rates, seconds, query_seconds = _load(quick)
    figures = council_run.measure(stack, council, rates, seconds, query_seconds)
    asyncio.run(council_run.wait_caught_up(stack.database_url))
    held = asyncio.run(_budget_requests(stack.database_url, council.financial_year))
    report.section("\n\n".join([
        f"## {TITLES['services']}",
        f"Each service's representative command, then its query, open-loop on loopback for {seconds:g} s "
        f"(queries {query_seconds:g} s) at each rate, against the real uvicorn processes (started as "
        "`./scripts/run` starts them); latency is counted from when each request was due, so queueing shows. p50/p99 are of the answers that succeeded; errors "
        "are 4xx/5xx answers and requests unanswered within 30 s. RSS is the service process's peak resident "
        f"memory while measured. The PP+ budget held {held:,} requests at the end of the run.",
        council_run.table(figures, rates, report.verdicts),
    ]))
    for rep, rate in council_run.missed_services(figures, report.verdicts):
        text = _profile_service(stack, rep, rate, 3.0 if quick else 15.0)
        report.profile(f"{rep.service} {rep.command_name} at {rate:g} req/s",
                       "cProfile of the service process while under that load, by own time then cumulative", text)


async def _budget_requests(database_url: str, financial_year: str) -> int:
    import asyncpg

    conn = await asyncpg.connect(database_url)
    try:
        return await conn.fetchval(
            "SELECT count(*) FROM eventlog.events WHERE event_type = 'PupilPremiumPlusRequested' "
            "AND data->>'financial_year' = $1", financial_year)
    finally:
        await conn.close()


def _profile_service(stack, rep, rate: float, seconds: float) -> str:
    """The service restarted under cProfile, the missed load again, and where its time went."""
    import asyncio

    from bench.services_load import cprofile_top, open_loop
    from shared.services import service

    spec = service(rep.service)
    profile = stack.workdir / f"{rep.service}.prof"
    stack.stop(rep.service)
    stack.start(spec, profile_to=profile)
    stack.wait_ready([rep.service])
    asyncio.run(open_loop(stack.urls[rep.service], rate, seconds, lambda i: rep.command(10_000_000 + i)))
    stack.stop(rep.service, interrupt=True)  # cProfile writes the profile as the process exits
    stack.start(spec)
    stack.wait_ready([rep.service])
    return cprofile_top(profile)


def timeline(server, report, args) -> None:
    quick = args.quick
    import asyncio

    from bench import council_run
    from bench.figures import number

    stack, council = _stack(server, quick)
    events = 100 if quick else 1000
    child = asyncio.run(council_run.long_timeline(stack, council, events))
    got = asyncio.run(council_run.timeline_latency(stack, child, 20 if quick else 200))
    p99 = got.p99
    verdict = report.verdicts.judge("a child's timeline p99", council_run.TIMELINE_P99_TARGET, p99)
    shown = "**missed**" if verdict == "missed" else verdict
    report.section("\n\n".join([
        f"## {TITLES['timeline']}",
        f"`GET /children/{{id}}/timeline` from the event-log service, one request after another ({got.requests} of "
        f"them), for a child whose record has {events:,} details changes on top of entering care, a school place "
        f"and a PEP. The timeline is paged: each answer is its first page, {got.events:,} events (the default "
        "page; `next_cursor` gives the next), as a reader opening the child's timeline gets it.",
        f"- p50 {number(got.p50, digits=1)} ms, p99 {number(p99, digits=1)} ms "
        f"(target {council_run.TIMELINE_P99_TARGET.what}: {shown}); answer {got.size / 1024:,.0f} kB",
    ]))
    if verdict == "missed":
        report.profile("a child's timeline", "cProfile of the event-log service while answering it",
                       _profile_timeline(stack, child, 10 if quick else 50))


def _profile_timeline(stack, child: str, requests: int) -> str:
    import asyncio

    from bench import council_run
    from bench.services_load import cprofile_top
    from shared.services import service

    spec = service("event-log")
    profile = stack.workdir / "event-log.prof"
    stack.stop("event-log")
    stack.start(spec, profile_to=profile)
    stack.wait_ready(["event-log"])
    asyncio.run(council_run.timeline_latency(stack, child, requests))
    stack.stop("event-log", interrupt=True)
    stack.start(spec)
    stack.wait_ready(["event-log"])
    return cprofile_top(profile)


def stop_services() -> None:
    import shutil

    stack = _STATE.pop("stack", None)
    if stack is not None:
        stack.stop_all()
        shutil.rmtree(stack.workdir, ignore_errors=True)  # its logs, keys and profiles, read by now


# -- rebuilding read models -----------------------------------------------------------------------


def rebuild(server, report, args) -> None:
    quick = args.quick
    import asyncio
    import cProfile
    import io
    import pstats

    from bench import rebuild_bench

    stack, _ = _stack(server, quick)
    # The operator's command runs with a service's settings: these are the services' own here.
    for name, value in stack.env_common().items():
        os.environ[name] = value
    # A rebuild logs each event it parks: the table counts them, and the run's output stays readable.
    os.environ["LOG_LEVEL"] = "CRITICAL"
    events = 20_000 if quick else 1_000_000
    # A rebuild still running after this long is cut short and judged on how far it got: its rate
    # is as true a figure as a finished one's, and fourteen read models fit in the run's time.
    allowed = 10.0 if quick else 25.0
    records = asyncio.run(rebuild_bench.templates(stack.database_url))
    url = server.database("bench_rebuild", migrated=True)
    print(f"  copying the services' {len(records):,} events to a log of {events:,} ...", flush=True)
    held = asyncio.run(rebuild_bench.fill(url, records, events))
    rebuilt = asyncio.run(rebuild_bench.rebuild_all(url, allowed))
    report.section("\n\n".join([
        f"## {TITLES['rebuild']}",
        f"Each read model rebuilt by the operator's rebuild (`shared/ops`, `rebuild_and_record`) over a log of "
        f"{held:,} events: the {len(records):,} events the services recorded in this run, copied with new "
        "schools, children, notices and requests until the log was that size (personal fields sealed as the "
        f"services seal them). A rebuild still running after {allowed:g} s is cut short (its transaction rolls "
        "back) and its rate is how far through the log it had got.",
        rebuild_bench.table(rebuilt, held, allowed, report.verdicts),
    ]))
    # The slowest three that missed, each profiled for a while: enough to show where the time goes.
    missed = sorted((r for r in rebuilt if f"rebuild {r.service} {r.read_model}" in report.verdicts.missed),
                    key=lambda r: r.rate)[:3]
    for r in missed:
        profiler = cProfile.Profile()
        asyncio.run(rebuild_bench.rebuild_all(url, 5.0 if quick else 20.0, only=f"{r.service} {r.read_model}",
                                              profiler=profiler))
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime").print_stats(25)
        text = out.getvalue()
        report.profile(f"rebuild {r.service} {r.read_model}", "cProfile of the rebuild, top functions by own time",
                       text[text.find("   ncalls"):].rstrip())


# -- queries as the council grows ----------------------------------------------------------------


def council(server, report, args) -> None:
    quick = args.quick
    import asyncio
    import shutil
    import tempfile
    from pathlib import Path

    from bench import council_run, council_scale
    from bench.services_load import Stack

    title = f"## {TITLES['council']}"
    stop_services()  # the council's own services are started on each council below
    if not council_scale.generator_present():
        report.section(f"{title}\n\nNot measured: the synthetic council generator (`python -m "
                       f"{council_scale.GENERATOR}`) is not in this checkout.")
        return
    scales = args.council_scales
    rate, seconds = (20.0, 2.0) if quick else (50.0, 10.0)
    by_scale, built = {}, {}
    for scale in scales:
        url = server.database(f"bench_council_{scale}", migrated=True)
        print(f"  building the small council × {scale} ...", flush=True)
        built[scale] = council_scale.generate(url, scale)
        stack = Stack(url, Path(tempfile.mkdtemp(prefix=f"bench-council-{scale}-")))
        try:
            stack.start_all()
            asyncio.run(council_run.wait_caught_up(url))
            ids = asyncio.run(council_scale.sample_ids(url))
            by_scale[scale] = council_scale.measure(stack, ids, rate, seconds)
        finally:
            stack.stop_all()
            shutil.rmtree(stack.workdir, ignore_errors=True)
    report.section("\n\n".join([
        title,
        "Each service's reads against the small council (`python -m synthetic_council --size small --seed 1`), "
        f"built {' and '.join(f'{s}×' for s in scales)} over, all through the services' own commands.",
        council_scale.table(by_scale, built, rate),
    ]))
