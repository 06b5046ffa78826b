"""A council set up through the services' own HTTP APIs, then each service's representative
command and query at each rate, and a child's long timeline.

The council is made by the soak test's own officers (benchmarks/soak.py: schools registered and
inspected, children entering care with a quality-assured PEP and targets, warning notices), so
every event is one the services themselves recorded.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

import asyncpg

from bench.figures import Table, Verdicts, at_least, at_most, cell, number
from bench.machine import ROOT
from bench.services_load import Measured, Request, Stack, open_loop, send_all

sys.path.insert(0, str(ROOT / "benchmarks"))
import command_load
import soak

COMMAND_P99_TARGET = at_most(50, "p99 ≤ 50 ms")
PP_ACCEPTED_TARGET = at_least(200, "≥ 200 accepted/s")
TIMELINE_P99_TARGET = at_most(30, "p99 ≤ 30 ms")


@dataclass
class Council:
    """What the officers made, for the load to work on."""

    schools: list[str]
    children: list[tuple[str, str]]  # (child, urn), each with a quality-assured PEP and a target
    notices: list[str]
    financial_year: str
    pp_terms: list[str]
    requests: list[str] = field(default_factory=list)  # PP+ request ids accepted so far


async def build(stack: Stack, *, schools: int, children: int, notices: int, log_children: int = 0) -> Council:
    random.seed(1)  # the same council every run
    results = soak.Results()
    api = soak.Api(stack.urls, results, soak.Pacer(10_000), asyncio.Event())
    calendar = soak.Calendar(today=date.today())
    officers = soak.Council(api, stack.keys[0].read_bytes(), calendar, officers=8)
    # The council calendar is kept by the schools service, and every service reads it from the log.
    await send_all(stack.urls["schools"], [Request(
        "PUT", f"/council/term-dates/{calendar.academic_year}", stack.token("principal_adviser", "pa.bench"),
        calendar.term_dates(), key=f"bench-terms-{uuid.uuid4()}")])
    await wait_caught_up(stack.database_url)
    await officers.set_up()
    for first in range(0, schools, 8):
        await asyncio.gather(*(officers.schools_flow(o) for o in range(first, min(schools, first + 8))))
    for first in range(0, children, 8):
        await asyncio.gather(*(officers.pep_flow(o) for o in range(first, min(children, first + 8))))
    if not officers.children:
        refused = {f"{kind} {status} {title}": results.samples.get((kind, status, title), "")
                   for (kind, status, title) in results.answers if status != "no answer" and int(status) >= 400}
        raise RuntimeError(f"no child was given a quality-assured PEP; refusals: {refused}")
    await wait_caught_up(stack.database_url)
    notice_ids = []
    for i in range(notices):
        answer = await api.call("notices.draft", "notices", "POST", "/notices",
                                stack.token("school_improvement_adviser", "sia.bench"),
                                json_body=notice_body(officers.schools[i % len(officers.schools)]),
                                key=f"bench-notice-{uuid.uuid4()}")
        if answer is not None and answer.status_code == 201:
            notice_ids.append(answer.json()["notice_id"])
    await api.close()
    if results.failures:
        raise RuntimeError(f"setting the council up failed: {results.failures[:3]}")
    year = calendar.academic_year
    children_made = list(officers.children) + await children_by_log(stack, officers.schools, log_children)
    return Council(officers.schools, children_made, notice_ids, calendar.financial_year,
                   [f"autumn-{year}", f"spring-{year + 1}"])


async def children_by_log(stack: Stack, schools: list[str], count: int) -> list[tuple[str, str]]:
    """More children in care, each on roll at one of the council's schools with this term's PEP
    completed, written to the log as the pep service writes them (``benchmarks/command_load.py``):
    enough for every PP+ request of the load to be for a child and term with none yet, where
    setting each up through the API, as the officers do, would take the run an hour. Waits until
    the pupil-premium service's read model of children holds them."""
    if count <= 0:
        return []
    from shared.eventlog.store import EventStore, init_connection

    today = date.today()
    term_ref, _, _ = command_load.term_now(today)
    made = [(f"L{n:06d}", schools[n % len(schools)]) for n in range(count)]
    pool = await asyncpg.create_pool(stack.database_url, min_size=1, max_size=4, init=init_connection)
    store = EventStore(pool)
    store.start()
    try:
        for first in range(0, count, 50):
            await store.append_streams(
                [s for child, urn in made[first : first + 50] for s in command_load.child_events(child, urn, term_ref, today)],
                metadata={"actor": "pep-service", "role": "service", "service": "pep"},
            )
    finally:
        await store.close()
        await pool.close()
    await wait_caught_up(stack.database_url)
    return made


async def wait_caught_up(database_url: str, timeout: float = 600.0) -> None:
    """Until every subscription of every service has read the log to its head."""
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    try:
        schemas = sorted(soak.projections_by_schema())
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            caught_up, _ = await soak.wait_caught_up(pool, schemas)
            if caught_up or asyncio.get_running_loop().time() > deadline:
                return
    finally:
        await pool.close()


def notice_body(urn: str) -> dict:
    return {
        "urn": urn,
        "grounds": ["low_standards"],
        "low_standards_basis": ["expected_attainment"],
        "concerns": ["Key stage 2 reading well below comparable schools for three years"],
        "required_actions": ["Put in place a costed plan to raise attainment in reading"],
        "powers_minded_to_use": ["s63_require_arrangements"],
        "compliance_period": {"working_days": 20},
    }


@dataclass(frozen=True)
class Representative:
    service: str
    command_name: str
    query_name: str
    command: Callable[[int], Request]
    query: Callable[[int], Request]


def representatives(stack: Stack, council: Council) -> list[Representative]:
    today = date.today().isoformat()
    pa = stack.token("principal_adviser", "pa.bench")
    sia = stack.token("school_improvement_adviser", "sia.bench")
    sw = stack.token("social_worker", "sw.bench")
    vsh = stack.token("virtual_school_head", "vsh.bench")
    fy = council.financial_year
    # Each PP+ request is for a child and term with no request yet: one open request per child
    # and term is the rule, and a refusal is not what this measures.
    # Each request takes the next slot, whatever number the load gives it (the profile's load
    # numbers its own): a slot is never used twice while there are slots left.
    slots = [(child, urn, term) for term in council.pp_terms for child, urn in council.children]
    next_slot = itertools.count()

    def pp_request(i: int) -> Request:
        child, urn, term = slots[next(next_slot) % len(slots)]
        return Request("POST", f"/budgets/{fy}/requests", stack.token("designated_teacher", f"dt.{urn}", urn=urn), {
            "child_id": child, "term": term, "amount_pence": 50_000, "target_ids": [f"{child}-T1"],
            "intervention_type": "tutoring", "intervention": "Weekly one-to-one reading tuition",
        }, key=f"bench-pp-{uuid.uuid4()}")

    return [
        Representative(
            "schools", "PATCH /schools/{urn}", "GET /schools/{urn}",
            lambda i: Request("PATCH", f"/schools/{council.schools[i % len(council.schools)]}", pa,
                              {"changed_on": today, "headteacher": f"Mx Head {i}"}, key=f"bench-{uuid.uuid4()}"),
            lambda i: Request("GET", f"/schools/{council.schools[i % len(council.schools)]}", sia),
        ),
        Representative(
            "pep", "POST /children/{id}/details", "GET /children/{id}",
            lambda i: Request("POST", f"/children/{council.children[i % len(council.children)][0]}/details", sw,
                              {"changed_on": today, "social_worker": f"Sam Jones {i}"}, key=f"bench-{uuid.uuid4()}"),
            lambda i: Request("GET", f"/children/{council.children[i % len(council.children)][0]}", sw),
        ),
        Representative(
            "notices", "POST /notices", "GET /notices/{id}",
            lambda i: Request("POST", "/notices", sia, notice_body(council.schools[i % len(council.schools)]),
                              key=f"bench-{uuid.uuid4()}"),
            lambda i: Request("GET", f"/notices/{council.notices[i % len(council.notices)]}", sia),
        ),
        Representative(
            "pupil-premium", "POST /budgets/{fy}/requests", "GET /budgets/{fy}",
            pp_request,
            lambda i: Request("GET", f"/budgets/{fy}", vsh),
        ),
    ]


@dataclass
class ServiceFigures:
    representative: Representative
    commands: dict[float, Measured] = field(default_factory=dict)
    queries: dict[float, Measured] = field(default_factory=dict)


def measure(stack: Stack, council: Council, rates: tuple[float, ...], seconds: float,
            query_seconds: float) -> list[ServiceFigures]:
    figures = []
    offset = 0
    for rep in representatives(stack, council):
        got = ServiceFigures(rep)
        for r in rates:
            start = offset
            got.commands[r] = asyncio.run(open_loop(stack.urls[rep.service], r, seconds,
                                                    lambda i, s=start, c=rep.command: c(s + i), stack.pid(rep.service)))
            offset += int(r * seconds)
            print(f"  {rep.service:<14} command {r:>5.0f}/s  {_line(got.commands[r])}", flush=True)
            got.queries[r] = asyncio.run(open_loop(stack.urls[rep.service], r, query_seconds, rep.query,
                                                   stack.pid(rep.service)))
            print(f"  {rep.service:<14} query   {r:>5.0f}/s  {_line(got.queries[r])}", flush=True)
        figures.append(got)
    return figures


def _line(m: Measured) -> str:
    return (f"p50 {number(m.p(50), digits=0)} ms  p99 {number(m.p(99), digits=0)} ms  "
            f"ok/s {m.ok_per_second:,.1f}  errors {m.errors}  {dict(m.statuses)}")


def _latencies(m: Measured) -> str:
    return f"{number(m.p(50))}/{number(m.p(99))}"


def table(figures: list[ServiceFigures], rates: tuple[float, ...], verdicts: Verdicts) -> str:
    top = max(rates)
    rates_text = " → ".join(f"{r:g}" for r in rates)
    t = Table(["service", "what", f"p50 / p99 at {rates_text} req/s (ms)", f"ok/s at {top:g}",
               f"errors at {rates_text}", "peak RSS (MiB)", f"target at {top:g} req/s"])
    for got in figures:
        rep = got.representative
        for kind, name, runs in (("command", rep.command_name, got.commands), ("query", rep.query_name, got.queries)):
            at_top = runs[top]
            judged = []
            if kind == "command":
                p99 = at_top.p(99) if at_top.errors == 0 else None
                verdict = verdicts.judge(f"{rep.service} {name} p99 at {top:g}/s with 0 errors", COMMAND_P99_TARGET,
                                         p99 if at_top.latencies_ms else None)
                if at_top.errors:
                    # Errors fail the target whatever the latency of the answers that were fine.
                    verdicts.judged[-1] = (verdicts.judged[-1][0], verdicts.judged[-1][1], "missed")
                    verdict = "missed"
                judged.append(f"{COMMAND_P99_TARGET.what}, 0 errors: {'**missed**' if verdict == 'missed' else verdict}")
                if rep.service == "pupil-premium":
                    ok = at_top.ok_per_second
                    judged.append(cell(number(ok, digits=1), PP_ACCEPTED_TARGET, ok))
                    verdicts.judge(f"pupil-premium accepted requests/s at {top:g}/s", PP_ACCEPTED_TARGET, ok)
            rss = max((m.max_rss_mib or 0) for m in runs.values())
            t.add(rep.service, f"{kind} `{name}`", " → ".join(_latencies(runs[r]) for r in rates),
                  number(at_top.ok_per_second, digits=1), " → ".join(str(runs[r].errors) for r in rates),
                  number(rss), "; ".join(judged) or "—")
    return t.markdown()


def missed_services(figures: list[ServiceFigures], verdicts: Verdicts) -> list[tuple[Representative, float]]:
    """(service, lowest rate its command missed at) for each service whose command missed."""
    missed = []
    for got in figures:
        rep = got.representative
        if any(name.startswith(rep.service + " ") for name in verdicts.missed):
            failing = [r for r, m in sorted(got.commands.items())
                       if m.errors or (m.p(99) or 0) > 50]
            missed.append((rep, failing[0] if failing else max(got.commands)))
    return missed


# -- a child's long timeline ----------------------------------------------------------------------


async def long_timeline(stack: Stack, council: Council, events: int) -> str:
    """A child whose record has ``events`` events: the one timeline the table reports on."""
    child, _ = council.children[0]
    sw = stack.token("social_worker", "sw.bench")
    today = date.today().isoformat()
    # One after another: each details change is a new version of the child's one stream.
    for i in range(events):
        await send_all(stack.urls["pep"], [Request("POST", f"/children/{child}/details", sw,
                                                    {"changed_on": today, "carer": f"Carer {i}"},
                                                    key=f"bench-timeline-{uuid.uuid4()}")], concurrency=1)
    return child


async def timeline_latency(stack: Stack, child: str, requests: int) -> SimpleNamespace:
    import time

    import httpx

    from bench.figures import percentile

    auditor = stack.token("auditor", "auditor.bench")
    times, size, events = [], 0, 0
    async with httpx.AsyncClient(base_url=stack.urls["event-log"], timeout=60.0) as client:
        for _ in range(requests):
            started = time.perf_counter()
            answer = await client.get(f"/children/{child}/timeline", headers={"Authorization": f"Bearer {auditor}"})
            times.append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
            size = len(answer.content)
    async with httpx.AsyncClient(base_url=stack.urls["event-log"], timeout=60.0) as client:
        body = (await client.get(f"/children/{child}/timeline", headers={"Authorization": f"Bearer {auditor}"})).json()
        events = len(body["items"])
    return SimpleNamespace(p50=percentile(times, 50), p99=percentile(times, 99), size=size, events=events,
                           requests=requests)

