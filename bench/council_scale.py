"""Query latency as the council grows: the synthetic council generator (``python -m
synthetic_council``) builds the small council at 1x, 10x and 100x through the services' own
command handlers, then each service's reads are measured against it, open-loop."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import subprocess
import sys
import time

import asyncpg

from bench.figures import Table, number
from bench.machine import ROOT
from bench.services_load import Measured, Request, Stack, open_loop
from shared.devserver import python_path

GENERATOR = "synthetic_council"


def generator_present() -> bool:
    return importlib.util.find_spec(GENERATOR) is not None


def generate(url: str, scale: int) -> float:
    """The small council times ``scale``, seed 1, built into the database at ``url``; seconds taken."""
    command = [sys.executable, "-m", GENERATOR, "--size", "small", "--seed", "1", "--database-url", url]
    if scale != 1:
        command += ["--scale", str(scale)]
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": python_path()}, check=True)
    return time.monotonic() - started


async def sample_ids(url: str) -> dict[str, list[str]]:
    """Schools, children, notices and budgets the council holds, from the log's stream names."""
    conn = await asyncpg.connect(url)
    try:
        found = {}
        for category in ("school", "child", "notice", "ppbudget"):
            rows = await conn.fetch(
                "SELECT DISTINCT stream_id FROM eventlog.events WHERE stream_id LIKE $1 LIMIT 500", f"{category}-%")
            found[category] = sorted(r["stream_id"].split("-", 1)[1] for r in rows)
        return found
    finally:
        await conn.close()


def queries(stack: Stack, ids: dict[str, list[str]]) -> list[tuple[str, str, object]]:
    """(service, query, request for the i-th call) for each query measured."""
    sia = stack.token("school_improvement_adviser", "sia.bench")
    sw = stack.token("social_worker", "sw.bench")
    vsh = stack.token("virtual_school_head", "vsh.bench")
    schools, children, notices, budgets = ids["school"], ids["child"], ids["notice"], ids["ppbudget"]
    found = []
    if schools:
        found.append(("schools", "GET /schools/{urn}", lambda i: Request("GET", f"/schools/{schools[i % len(schools)]}", sia)))
        found.append(("schools", "GET /schools?limit=50", lambda i: Request("GET", "/schools?limit=50", sia)))
    if children:
        found.append(("pep", "GET /children/{id}", lambda i: Request("GET", f"/children/{children[i % len(children)]}", sw)))
        found.append(("pep", "GET /virtual-school/roll", lambda i: Request("GET", "/virtual-school/roll", vsh)))
    if notices:
        found.append(("notices", "GET /notices/{id}", lambda i: Request("GET", f"/notices/{notices[i % len(notices)]}", sia)))
    if budgets:
        found.append(("pupil-premium", "GET /budgets/{fy}", lambda i: Request("GET", f"/budgets/{budgets[-1]}", vsh)))
    return found


def measure(stack: Stack, ids: dict[str, list[str]], rate: float, seconds: float) -> dict[str, Measured]:
    measured = {}
    for service, name, request in queries(stack, ids):
        measured[f"{service} `{name}`"] = asyncio.run(open_loop(stack.urls[service], rate, seconds, request,
                                                                stack.pid(service)))
        m = measured[f"{service} `{name}`"]
        print(f"  {service:<14} {name:<28} p50 {number(m.p(50))} ms p99 {number(m.p(99))} ms errors {m.errors}",
              flush=True)
    return measured


def table(by_scale: dict[int, dict[str, Measured]], built_seconds: dict[int, float], rate: float) -> str:
    scales = sorted(by_scale)
    names = sorted({name for got in by_scale.values() for name in got})
    t = Table(["query", *(f"{s}× small: p50 / p99 ms (errors)" for s in scales)])
    for name in names:
        cells = []
        for s in scales:
            m = by_scale[s].get(name)
            cells.append("—" if m is None else f"{number(m.p(50))} / {number(m.p(99))} ({m.errors})")
        t.add(name, *cells)
    built = ", ".join(f"{s}×: {built_seconds[s] / 60:.1f} min" for s in scales)
    return t.markdown() + f"\n\nEach query at {rate:g} requests/s open-loop. Building each council took {built}."
