"""A PP+ funding request under open-loop load, on a year that already holds thousands. Not a test.

    .venv/bin/python benchmarks/command_load.py                      (4,000 requests first; 50, 100
                                                                     and 200 a second, 20 s each)
    .venv/bin/python benchmarks/command_load.py --prefill 4000 --rates 50,100,200 --seconds 20
    .venv/bin/python benchmarks/command_load.py --code /path/to/another/checkout   (its services)
    .venv/bin/python benchmarks/command_load.py --rates 50 --profile /tmp/pp.prof  (where the time goes)

It starts its own embedded PostgreSQL 16 (``pgserver``) in a temp directory, applies every
migration and runs the pupil-premium service as a uvicorn process on a free port of 127.0.0.1 as
its own database role (from ``--code``, a checkout of the project, to compare two versions of it
on the same machine and data). Children in care with a completed PEP are written to the log as
the pep service writes them, and the service is waited for until its read model of them is
complete. The year's grant is recorded, and the year is filled with ``--prefill`` requests
(copies of one real request's event, appended straight to the log: a council's year so far).

Then, for each rate, ``POST /budgets/{year}/requests`` is sent at that fixed rate for the given
seconds, each for a child with no request yet, by that child's school's designated teacher with
an Idempotency-Key: an open loop, so a slow answer never delays the next request. A latency runs
from the moment the request was due to be sent to its answer (a request that waited for a free
connection waited in the figures too). It reports, per rate, the answers by status, the requests
accepted a second, and p50/p99/max latency; and at the end how many events the year's stream
holds.

The load is made by this process on the same machine as the service and PostgreSQL: on a small
machine the three share its cores, so the figures are lower than the service alone would give.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in [ROOT, ROOT / "services" / "pep", ROOT / "services" / "pupil-premium"]:
    sys.path.insert(0, str(folder))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from pep.domain.child_events import (  # noqa: E402
    ChildEnteredCare,
    ChildPlacedAtSchool,
    LegalStatus,
    SenStatus,
    YearGroup,
)
from pep.domain.pep_events import (  # noqa: E402
    PepCompleted,
    PepInitiated,
    PepOccasion,
    PepQualityAssured,
    PepSubmitted,
    PepTargetsSet,
    Rag,
)
from pep.domain.targets import SmartTarget  # noqa: E402
from pep.domain.terms import Season, TermRef  # noqa: E402
from shared.eventlog.records import NewEvent, StreamAppend  # noqa: E402
from shared.eventlog.store import EventStore, init_connection  # noqa: E402
from shared.migrations import upgrade_all, url_for_role  # noqa: E402
from shared.security.mint import ensure_dev_keys, mint_token  # noqa: E402
from shared.services import all_migrations, service  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

LOOPBACK = "127.0.0.1"
DATABASE = "command_load"
SCHOOLS = [str(118000 + n) for n in range(20)]
TIMEOUT_SECONDS = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def term_now(today: date) -> tuple[TermRef, str, str]:
    """The term a request made today is for, as the pep and pupil-premium services name it, and
    the financial year."""
    academic = today.year if today.month >= 9 else today.year - 1
    season = Season.AUTUMN if today.month >= 9 else Season.SPRING if today.month <= 3 else Season.SUMMER
    calendar_year = academic if season is Season.AUTUMN else academic + 1
    start = today.year if today.month >= 4 else today.year - 1
    return TermRef(academic_year=academic, season=season), f"{season.value}-{calendar_year}", f"{start}-{(start + 1) % 100:02d}"


def child_events(child_id: str, urn: str, term: TermRef, today: date) -> list[StreamAppend]:
    """A child in care, on roll at ``urn``, with this term's PEP completed a week ago: the events
    the pep service records for them, each PEP started, submitted and quality assured in turn."""
    pep_id = f"PEP-{child_id}-1"
    set_on, completed_on = today - timedelta(days=14), today - timedelta(days=7)
    child = [
        ChildEnteredCare(
            child_id=child_id, name=f"Child {child_id}", date_of_birth=date(2015, 5, 1),
            entered_care_on=date(2024, 1, 10), legal_status=LegalStatus.FULL_CARE_ORDER,
            placing_authority="This council", social_worker="S. Worker", carer="A. Carer",
            independent_reviewing_officer="I. R. Officer", sen_status=SenStatus.NONE,
            year_group=YearGroup.YEAR_6,
        ),
        ChildPlacedAtSchool(
            child_id=child_id, urn=urn, start_date=date(2024, 1, 16), year_group=YearGroup.YEAR_6,
            looked_after=True,
        ),
    ]
    common = {"child_id": child_id, "urn": urn, "pep_id": pep_id, "term": term}
    pep = [
        PepInitiated(**common, occasion=PepOccasion.TERMLY_REVIEW, initiated_on=set_on - timedelta(days=7)),
        PepTargetsSet(
            **common, set_on=set_on,
            targets=(SmartTarget(target_id=f"{child_id}-T1", subject_or_area="Reading", baseline="Not yet",
                                 target="Read a Year 6 text aloud with fluency", by_when=today + timedelta(days=60),
                                 who="Class teacher"),),
        ),
        PepSubmitted(**common, occasion=PepOccasion.TERMLY_REVIEW, submitted_on=set_on),
        PepQualityAssured(**common, occasion=PepOccasion.TERMLY_REVIEW, quality_assured_on=completed_on,
                          rating=Rag.GREEN, comments="Good"),
        PepCompleted(**common, occasion=PepOccasion.TERMLY_REVIEW, completed_on=completed_on,
                     due_on=today + timedelta(days=30), completed_in_time=True, rating=Rag.GREEN,
                     target_ids=(f"{child_id}-T1",)),
    ]
    return [
        StreamAppend(f"child-{child_id}", tuple(NewEvent.from_event(e, default_effective_date=today) for e in child)),
        StreamAppend(f"pep-{child_id}", tuple(NewEvent.from_event(e, default_effective_date=today) for e in pep)),
    ]


async def wait_for(check, what: str, timeout: float = 600.0) -> None:
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise SystemExit(f"gave up waiting for {what}")
        await asyncio.sleep(0.5)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


async def load(
    client: httpx.AsyncClient, url: str, tokens: dict[str, str], children: list[tuple[str, str]],
    term: str, rate: float, seconds: float,
) -> tuple[Counter, list[float], float]:
    answers: Counter = Counter()
    latencies: list[float] = []

    async def one(due: float, child_id: str, urn: str) -> None:
        try:
            answer = await client.post(
                url,
                json={"child_id": child_id, "term": term, "amount_pence": 50_000, "target_ids": [f"{child_id}-T1"],
                      "intervention_type": "tutoring", "intervention": "Weekly one-to-one reading tuition"},
                headers={"Authorization": f"Bearer {tokens[urn]}", "Idempotency-Key": f"load-{uuid.uuid4().hex}"},
            )
            answers[str(answer.status_code)] += 1
            if answer.status_code != 201 and answers[str(answer.status_code)] == 1:
                print(f"    first {answer.status_code}: {answer.text[:300]}")
        except httpx.HTTPError as exc:
            answers[type(exc).__name__] += 1
        latencies.append(time.perf_counter() - due)

    count = int(rate * seconds)
    started = time.perf_counter()
    tasks = []
    for n in range(count):
        due = started + n / rate
        pause = due - time.perf_counter()
        if pause > 0:
            await asyncio.sleep(pause)
        child_id, urn = children.pop()
        tasks.append(asyncio.create_task(one(due, child_id, urn)))
    await asyncio.gather(*tasks)
    return answers, latencies, time.perf_counter() - started


async def run(args: argparse.Namespace, database_url: str, workdir: Path) -> None:
    code = Path(args.code).resolve()
    spec = service("pupil-premium")
    private_path, public_key = ensure_dev_keys(workdir / "keys")
    private_key = private_path.read_bytes()
    settings = ServiceSettings()
    today = date.today()
    term_ref, term, year = term_now(today)

    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(code), str(code / "services" / "pupil-premium")]),
        "DATABASE_URL": url_for_role(database_url, spec.db_role),
        "ENVIRONMENT": "development",
        "DEV_PUBLIC_KEY_PATH": str(public_key),
    }
    log_path = workdir / "pupil-premium.log"
    with open(log_path, "ab") as log:
        profile = ["-m", "cProfile", "-o", args.profile] if args.profile else []
        process = subprocess.Popen(
            [sys.executable, *profile, "-m", "uvicorn", "--factory", spec.app, "--host", LOOPBACK, "--port", str(port),
             "--log-level", "warning", "--no-access-log",
             # Requests still queued are dropped at the end, so a profile is written promptly.
             "--timeout-graceful-shutdown", "5"],
            env=env, cwd=code, stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://{LOOPBACK}:{port}"
    pool = await asyncpg.create_pool(database_url, min_size=2, max_size=8, init=init_connection)
    store = EventStore(pool)
    store.start()
    try:
        async with httpx.AsyncClient(
            base_url=base, timeout=TIMEOUT_SECONDS, limits=httpx.Limits(max_connections=400, max_keepalive_connections=400)
        ) as client:
            async def ready() -> bool:
                if process.poll() is not None:
                    raise SystemExit(f"the service exited:\n{log_path.read_text()[-3000:]}")
                try:
                    return (await client.get("/ready")).status_code == 200
                except httpx.HTTPError:
                    return False

            await wait_for(ready, "the service to be ready", 120)

            needed = sum(int(rate * args.seconds) for rate in args.rates) + 1
            children = [(f"L{n:06d}", SCHOOLS[n % len(SCHOOLS)]) for n in range(needed)]
            print(f"writing {needed} children in care with a completed PEP ...")
            for first in range(0, needed, 50):
                batch = children[first : first + 50]
                await store.append_streams(
                    [s for child_id, urn in batch for s in child_events(child_id, urn, term_ref, today)],
                    metadata={"actor": "pep-service", "role": "service", "service": "pep"},
                )

            async def facts_complete() -> bool:
                return await pool.fetchval("SELECT count(*) FROM pupil_premium.child_facts") >= needed

            await wait_for(facts_complete, "the service's read model of children")

            def token(role: str, urn: str | None = None) -> str:
                return mint_token(role=role, subject=f"{role}.{urn or 'la'}", issuer=settings.jwt_issuer,
                                  audience=settings.jwt_audience, private_key=private_key, urn=urn,
                                  lifetime_seconds=6 * 3600)

            vsh = {"Authorization": f"Bearer {token('virtual_school_head')}"}
            granted = await client.post(
                f"/budgets/{year}/grant/letter",
                json={"letter_reference": f"DfE PP+ {year}", "letter_date": f"{year[:4]}-06-12",
                      "grant_pence": 2_000_000_000},
                headers=vsh,
            )
            assert granted.status_code in (200, 201), granted.text
            teachers = {urn: token("designated_teacher", urn) for urn in SCHOOLS}
            requests_url = f"/budgets/{year}/requests"
            first_child, first_urn = children.pop()
            first = await client.post(
                requests_url,
                json={"child_id": first_child, "term": term, "amount_pence": 50_000,
                      "target_ids": [f"{first_child}-T1"], "intervention_type": "tutoring",
                      "intervention": "Weekly one-to-one reading tuition"},
                headers={"Authorization": f"Bearer {teachers[first_urn]}"},
            )
            assert first.status_code == 201, first.text

            stream_id = f"ppbudget-{year}"
            [template] = [r for r in await store.read_stream(stream_id) if r.event_type == "PupilPremiumPlusRequested"]
            print(f"filling {year} with {args.prefill} requests ...")
            for first_n in range(0, args.prefill, 200):
                copies = [
                    NewEvent(template.event_type,
                             {**template.data, "request_id": f"PPR-PRE{n:06d}", "child_id": f"P{n:06d}"},
                             template.effective_date, template.schema_version, (f"child:P{n:06d}",))
                    for n in range(first_n, min(args.prefill, first_n + 200))
                ]
                await store.append(stream_id, copies, metadata={"actor": "prefill", "role": "service"})
            head = await store.head_position()

            async def caught_up() -> bool:
                lowest = await pool.fetchval(
                    "SELECT min(position) FROM pupil_premium.subscription_checkpoints WHERE name = ANY($1)",
                    ["pp_requests", "pp_ledger"],
                )
                return lowest is not None and lowest >= head

            await wait_for(caught_up, "the request register to take in the year so far")

            print(f"\n{'rate/s':>7} {'sent':>6} {'201':>6} {'other':>6} {'ok/s':>7} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
            for rate in args.rates:
                answers, latencies, took = await load(
                    client, requests_url, teachers, children, term, rate, args.seconds
                )
                ok = answers.get("201", 0)
                other = sum(answers.values()) - ok
                print(
                    f"{rate:>7g} {sum(answers.values()):>6} {ok:>6} {other:>6} {ok / took:>7.1f} "
                    f"{percentile(latencies, 0.5) * 1000:>8.1f} {percentile(latencies, 0.99) * 1000:>8.1f} "
                    f"{max(latencies) * 1000:>8.1f}   {dict(answers)}"
                )
                await asyncio.sleep(2)
            version = await store.stream_version(stream_id)
            print(f"\n{stream_id} holds {version} events")
    finally:
        await store.close()
        await pool.close()
        # An interrupt, as at a terminal: uvicorn shuts down and returns, so cProfile writes its file
        # (on a terminate signal the process ends without writing it).
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prefill", type=int, default=4000, help="requests in the year before the load")
    parser.add_argument("--rates", type=lambda s: [float(r) for r in s.split(",")], default=[50.0, 100.0, 200.0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long each rate is held")
    parser.add_argument("--code", default=str(ROOT), help="the checkout whose service is run")
    parser.add_argument("--profile", help="run the service under cProfile, writing its profile to this file")
    args = parser.parse_args()
    # Stopped from outside, still stop the service and PostgreSQL it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    import pgserver

    workdir = Path(tempfile.mkdtemp(prefix="command-load-"))
    server = pgserver.get_server(str(workdir / "pgdata"), cleanup_mode="delete")
    admin = server.get_uri()

    async def create() -> None:
        conn = await asyncpg.connect(admin, timeout=10)
        try:
            await conn.execute(f'CREATE DATABASE "{DATABASE}"')
        finally:
            await conn.close()

    asyncio.run(create())
    database_url = admin.replace("/postgres?", f"/{DATABASE}?", 1)
    upgrade_all(all_migrations(), database_url)
    print(f"{date.today()} on {os.cpu_count()} cores; service from {Path(args.code).resolve()}")
    asyncio.run(run(args, database_url, workdir))


if __name__ == "__main__":
    main()
