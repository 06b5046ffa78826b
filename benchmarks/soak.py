"""Soak test: every service under steady mixed traffic for a while, PostgreSQL restarted once in
the middle, then a consistency check. Not part of the test suite.

    .venv/bin/python benchmarks/soak.py                          (10 minutes, 20 requests a second)
    .venv/bin/python benchmarks/soak.py --duration 180 --rate 25 --restart-mode immediate

It starts its own embedded PostgreSQL 16 (``pgserver``) in a temp directory, applies every
migration, mints tokens with a throwaway key pair, and runs all five services as uvicorn
processes on free ports of 127.0.0.1 (nothing else is ever called). Virtual officers then work
through the council's day at a steady overall rate: schools registered, inspected, categorised
and visited; children entering care, placed at those schools and given a PEP from initiation to
quality assurance; PP+ requested for them and decided by the panel; warning notices drafted and
given; and the reads that go with each, plus the event-log service's feed, histories and
verification. Every write carries an Idempotency-Key; a 503 or 429 with Retry-After, or a
dropped connection, is retried after the pause it asks for with the same key, as a client would.

Half-way through (``--restart-at``) PostgreSQL is restarted (``pg_ctl restart -m fast``, or
``immediate``: a crash and recovery). At the end it reports each service's /ready outage, the
answers by kind (status and problem title), the latency p50/p95/p99 of each kind of request
(from first send to final answer, retries included), and then checks, with traffic stopped:

* every acknowledged write's idempotency key is in the log, each key's events exactly once;
* the hash chain verifies from the first event to the head;
* every subscription caught up, none parked an event;
* each read model equals a rebuild from the log (rebuilt in place, the services stopped).

It stops by itself (the duration, then at most a minute of draining and a couple of minutes of
checks) and exits non-zero if any request had a 500 or no answer, or a check failed.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIRS = ["schools", "pep", "pupil-premium", "notices", "event-log"]
for folder in [ROOT, *(ROOT / "services" / name for name in SERVICE_DIRS)]:
    sys.path.insert(0, str(folder))

import asyncpg  # noqa: E402
import httpx  # noqa: E402

from shared.eventlog import rebuild, verify_chain  # noqa: E402
from shared.eventlog.store import init_connection  # noqa: E402
from shared.migrations import upgrade_all, url_for_role  # noqa: E402
from shared.security.mint import ensure_dev_keys, mint_token  # noqa: E402
from shared.services import SERVICES, all_migrations  # noqa: E402
from shared.settings import ServiceSettings  # noqa: E402

LOOPBACK = "127.0.0.1"
DATABASE = "soak"
RETRY_WINDOW_SECONDS = 60.0  # a caller gives up on a request still refused after this long
REQUEST_TIMEOUT_SECONDS = 30.0  # no answer within this counts as a hang
DRAIN_SECONDS = 60.0
CATCH_UP_SECONDS = 120.0


# -- the stack ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Stack:
    """PostgreSQL in a temp directory and the five services, all on this machine only."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.keys = ensure_dev_keys(workdir / "keys")
        self.pgdata = workdir / "pgdata"
        self.server = None
        self.database_url = ""
        self.urls: dict[str, str] = {}
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def start_postgres(self) -> None:
        import pgserver

        self.pgdata.mkdir()
        # cleanup_mode=None: after a restart the server is no longer the process pgserver
        # started, so stopping it is done here (stop_postgres), not by pgserver at exit.
        self.server = pgserver.get_server(str(self.pgdata), cleanup_mode=None)
        admin = self.server.get_uri()

        async def create() -> None:
            conn = await asyncpg.connect(admin, timeout=10)
            try:
                await conn.execute(f'CREATE DATABASE "{DATABASE}"')
            finally:
                await conn.close()

        asyncio.run(create())
        self.database_url = admin.replace("/postgres?", f"/{DATABASE}?", 1)
        # pgserver listens on a Unix socket only (-h ""): no TCP port at all.
        assert "host=/" in self.database_url, self.database_url
        upgrade_all(all_migrations(), self.database_url)

    def _pg_ctl(self, *args: str) -> None:
        from pgserver import pg_ctl

        pg_ctl(list(args), pgdata=Path(self.server.pgdata), user=self.server.system_user, timeout=90)

    def restart_postgres(self, mode: str) -> None:
        # pg_ctl restart reuses the server's own options (postmaster.opts): same socket, same URL.
        self._pg_ctl("-w", "-t", "60", "-m", mode, "restart")

    def stop_postgres(self) -> None:
        if self.server is None:
            return
        try:
            self._pg_ctl("-w", "-t", "60", "-m", "fast", "stop")
        except Exception as exc:  # already stopped
            print(f"stopping PostgreSQL: {exc}", file=sys.stderr)

    def start_services(self) -> None:
        python_path = os.pathsep.join([str(ROOT), *(str(ROOT / "services" / s) for s in SERVICE_DIRS)])
        env = {
            **os.environ,
            "PYTHONPATH": python_path,
            "DATABASE_URL": self.database_url,
            "ENVIRONMENT": "development",
            "DEV_PUBLIC_KEY_PATH": str(self.keys[1]),
        }
        for spec in SERVICES:
            port = free_port()
            # Each service as its own database role, as in production (never the owner).
            env = {**env, "DATABASE_URL": url_for_role(self.database_url, spec.db_role)}
            self.urls[spec.name] = f"http://{LOOPBACK}:{port}"
            self.logs[spec.name] = self.workdir / f"{spec.name}.log"
            with open(self.logs[spec.name], "ab") as log:
                self.processes[spec.name] = subprocess.Popen(
                    [sys.executable, "-m", "uvicorn", "--factory", spec.app, "--host", LOOPBACK,
                     "--port", str(port), "--log-level", "warning"],
                    env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                )

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.urls)
        with httpx.Client(timeout=2.0) as client:
            while pending and time.monotonic() < deadline:
                for name in list(pending):
                    if self.processes[name].poll() is not None:
                        raise SystemExit(f"{name} exited at start:\n{self.logs[name].read_text()[-3000:]}")
                    try:
                        if client.get(f"{self.urls[name]}/ready").status_code == 200:
                            pending.discard(name)
                    except httpx.HTTPError:
                        pass
                time.sleep(0.3)
        if pending:
            raise SystemExit(f"not ready within {timeout}s: {sorted(pending)}")

    def stop_services(self) -> None:
        for proc in self.processes.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.processes.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


# -- what the callers saw -----------------------------------------------------------------------


@dataclass
class Results:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    answers: Counter = field(default_factory=Counter)  # (kind, status, title)
    retries: Counter = field(default_factory=Counter)  # (kind, why)
    samples: dict[tuple, str] = field(default_factory=dict)  # one problem detail per refused kind
    failures: list[str] = field(default_factory=list)  # 500s and hangs: what the soak must not see
    acknowledged: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, key, stream hint)
    not_ready: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))


def only_loopback(url: str) -> str:
    host = urlsplit(url).hostname
    if host != LOOPBACK:
        raise SystemExit(f"refusing to call {url}: the soak only ever calls {LOOPBACK}")
    return url


class Pacer:
    """Hands out request slots at a steady rate across all virtual officers."""

    def __init__(self, rate: float) -> None:
        self.interval = 1.0 / rate
        self.next = time.monotonic()
        self.lock = asyncio.Lock()

    async def slot(self) -> None:
        async with self.lock:
            now = time.monotonic()
            # After a stall (the restart) carry on at the rate, without a burst to catch up.
            self.next = max(self.next, now - 1.0)
            wait = self.next - now
            self.next += self.interval
        if wait > 0:
            await asyncio.sleep(wait)


class Api:
    def __init__(self, urls: dict[str, str], results: Results, pacer: Pacer, stop: asyncio.Event) -> None:
        self.urls = {name: only_loopback(url) for name, url in urls.items()}
        self.results = results
        self.pacer = pacer
        self.stop = stop
        self.http = httpx.AsyncClient(timeout=REQUEST_TIMEOUT_SECONDS, limits=httpx.Limits(max_connections=200))

    async def call(
        self,
        kind: str,
        service: str,
        method: str,
        path: str,
        token: str,
        *,
        json_body: Any = None,
        key: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response | None:
        if self.stop.is_set():
            return None
        await self.pacer.slot()
        headers = {"Authorization": f"Bearer {token}"}
        if key is not None:
            headers["Idempotency-Key"] = key
        url = self.urls[service] + path
        started = time.monotonic()
        while True:
            try:
                answer = await self.http.request(method, url, headers=headers, json=json_body, params=params)
            except httpx.TimeoutException:
                self.results.failures.append(f"{kind}: no answer within {REQUEST_TIMEOUT_SECONDS}s")
                self.results.answers[(kind, "no answer", "")] += 1
                return None
            except httpx.TransportError as exc:
                # The connection dropped: a client cannot know whether a write happened, so it
                # repeats it with the same key. Counted as a retry, and a failure if it persists.
                self.results.retries[(kind, type(exc).__name__)] += 1
                if time.monotonic() - started > RETRY_WINDOW_SECONDS:
                    self.results.failures.append(f"{kind}: {type(exc).__name__} for {RETRY_WINDOW_SECONDS}s")
                    self.results.answers[(kind, "no answer", "")] += 1
                    return None
                await asyncio.sleep(0.5 + random.random() * 0.5)
                continue
            retry_after = answer.headers.get("retry-after")
            if answer.status_code in (429, 503) and retry_after is not None:
                self.results.retries[(kind, str(answer.status_code))] += 1
                if time.monotonic() - started < RETRY_WINDOW_SECONDS:
                    await asyncio.sleep(float(retry_after) * (0.8 + random.random() * 0.4))
                    continue
            break
        elapsed = time.monotonic() - started
        self.results.latencies[kind].append(elapsed)
        title = ""
        if answer.status_code >= 400:
            try:
                title = answer.json().get("title", "")
                detail = answer.json().get("detail", "")
            except ValueError:
                title, detail = answer.text[:60], ""
            self.results.samples.setdefault((kind, answer.status_code, title), detail[:160])
        self.results.answers[(kind, answer.status_code, title)] += 1
        if answer.status_code >= 500:
            self.results.failures.append(f"{kind}: {answer.status_code} {answer.text[:200]}")
        elif answer.status_code < 300 and key is not None:
            self.results.acknowledged.append((kind, key, path))
        return answer

    async def close(self) -> None:
        await self.http.aclose()


# -- the council's day --------------------------------------------------------------------------


def weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


@dataclass
class Calendar:
    today: date

    @property
    def academic_year(self) -> int:
        return self.today.year if self.today.month >= 9 else self.today.year - 1

    @property
    def season(self) -> str:
        if self.today.month >= 9:
            return "autumn"
        return "spring" if self.today.month <= 3 else "summer"

    @property
    def financial_year(self) -> str:
        start = self.today.year if self.today.month >= 4 else self.today.year - 1
        return f"{start}-{(start + 1) % 100:02d}"

    @property
    def pp_term(self) -> str:
        year = self.academic_year if self.season == "autumn" else self.academic_year + 1
        return f"{self.season}-{year}"

    def term_dates(self) -> dict[str, Any]:
        y = self.academic_year
        return {
            "council": "Medway",
            "autumn": {"start": f"{y}-09-03", "half_term_start": f"{y}-10-26",
                       "half_term_end": f"{y}-10-30", "end": f"{y}-12-18"},
            "spring": {"start": f"{y + 1}-01-05", "half_term_start": f"{y + 1}-02-15",
                       "half_term_end": f"{y + 1}-02-19", "end": f"{y + 1}-03-25"},
            "summer": {"start": f"{y + 1}-04-12", "half_term_start": f"{y + 1}-05-31",
                       "half_term_end": f"{y + 1}-06-04", "end": f"{y + 1}-07-21"},
        }


class Council:
    """Tokens for everyone, the schools and children made so far, and the flows."""

    def __init__(self, api: Api, private_key: bytes, calendar: Calendar, officers: int) -> None:
        self.api = api
        self.key = private_key
        self.cal = calendar
        self.run = uuid.uuid4().hex[:6]
        self.ids = itertools.count(1)
        self.schools: list[str] = []  # registered (answered 201)
        self.categorised: list[str] = []  # category approved
        self.children: list[tuple[str, str]] = []  # (child, urn) with a quality-assured PEP
        self.officers = officers
        self._tokens: dict[tuple, str] = {}

    def token(self, role: str, sub: str, urn: str | None = None) -> str:
        cache_key = (role, sub, urn)
        if cache_key not in self._tokens:
            settings = ServiceSettings()
            self._tokens[cache_key] = mint_token(
                role=role, subject=sub, issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                private_key=self.key, urn=urn, lifetime_seconds=24 * 3600,
            )
        return self._tokens[cache_key]

    def key_for(self, what: str) -> str:
        return f"soak-{self.run}-{what}"

    def new_urn(self) -> str:
        return str(200000 + next(self.ids))

    # Setup, once.
    async def set_up(self) -> None:
        vsh = self.token("virtual_school_head", "vsh.soak")
        await self.api.call("pep.term-dates", "pep", "PUT", f"/council/term-dates/{self.cal.academic_year}",
                            vsh, json_body=self.cal.term_dates(), key=self.key_for("terms"))
        await self.api.call(
            "pp.grant-letter", "pupil-premium", "POST", f"/budgets/{self.cal.financial_year}/grant/letter",
            self.token("finance_officer", "finance.soak"),
            json_body={"letter_reference": f"DfE PP+ {self.cal.financial_year}",
                       "letter_date": f"{self.cal.financial_year[:4]}-06-12", "grant_pence": 500_000_000},
            key=self.key_for("grant"),
        )

    # Schools: register, inspect, read; sometimes categorise and visit.
    async def schools_flow(self, officer: int) -> None:
        pa = self.token("principal_adviser", f"pa.{officer}")
        sia = self.token("school_improvement_adviser", f"sia.{officer}")
        urn = self.new_urn()
        registered = await self.api.call("schools.register", "schools", "POST", "/schools", pa, json_body={
            "urn": urn, "name": f"Soak Primary School {urn}", "la_code": "887", "la_name": "Medway",
            "establishment_type": "community", "phase": "primary", "opened_on": "1990-09-01",
            "headteacher": "Mrs A Patel",
        }, key=self.key_for(f"register-{urn}"))
        if registered is None or registered.status_code != 201:
            return
        self.schools.append(urn)
        grade = random.choice(["good", "requires_improvement", "good", "outstanding"])
        await self.api.call("schools.inspect", "schools", "POST", f"/schools/{urn}/inspections", sia, json_body={
            "inspection_id": f"9{urn}", "inspected_on": "2019-10-01", "inspection_type": "graded",
            "framework": "ofsted_september_2012", "overall_effectiveness": grade,
            "judgements": {j: grade for j in ("quality_of_education", "behaviour_and_attitudes",
                                               "personal_development", "leadership_and_management")},
            "safeguarding": "effective",
        }, key=self.key_for(f"inspect-{urn}"))
        await self.api.call("schools.profile", "schools", "GET", f"/schools/{urn}", sia)
        await self.api.call("schools.list", "schools", "GET", "/schools", sia, params={"limit": 50})
        if random.random() < 0.5:
            category = "requires_improvement" if grade == "requires_improvement" else "good"
            proposed = await self.api.call(
                "schools.propose-category", "schools", "POST", f"/schools/{urn}/categorisation/proposals", sia,
                json_body={"category": category, "reasons": ["latest inspection"]},
                key=self.key_for(f"propose-{urn}"),
            )
            if proposed is not None and proposed.status_code == 201:
                proposal = proposed.json()["pending_proposal"]["proposal_id"]
                other = self.token("principal_adviser", f"pa.{(officer + 1) % self.officers}")
                approved = await self.api.call(
                    "schools.approve-category", "schools", "POST",
                    f"/schools/{urn}/categorisation/proposals/{proposal}/approval", other,
                    key=self.key_for(f"approve-{urn}"),
                )
                if approved is not None and approved.status_code == 200:
                    self.categorised.append(urn)
        # A visit uses the support the policy allocated once the school was categorised: an
        # earlier school's, so the policy has had time to act.
        if len(self.categorised) > 3 and random.random() < 0.5:
            visited = random.choice(self.categorised[:-3])
            await self.api.call("schools.visit", "schools", "POST", f"/schools/{visited}/support/visits", sia, json_body={
                "visited_on": weekday_on_or_before(self.cal.today).isoformat(), "days": 0.5,
                "purpose": "Termly conversation",
            }, key=self.key_for(f"visit-{visited}-{next(self.ids)}"))

    # PEP: a child enters care, joins a school, and has a PEP from initiation to QA.
    async def pep_flow(self, officer: int) -> None:
        if not self.schools:
            return
        sw = self.token("social_worker", f"sw.{officer}")
        vso = self.token("virtual_school_officer", f"vso.{officer}")
        child = f"S{self.run}{next(self.ids)}"
        urn = random.choice(self.schools)
        today = self.cal.today
        steps = [
            ("pep.enter-care", "POST", "/children", sw, {
                "child_id": child, "name": f"Child {child}", "date_of_birth": "2014-05-01",
                "entered_care_on": (today - timedelta(days=60)).isoformat(),
                "legal_status": "interim_care_order", "placing_authority": "Medway",
                "social_worker": "Sam Jones", "carer": "Pat Brown", "independent_reviewing_officer": "Jo Green",
                "sen_status": "sen_support", "year_group": "year_7",
            }),
            ("pep.place", "POST", f"/children/{child}/school-placement", sw,
             {"urn": urn, "start_date": (today - timedelta(days=58)).isoformat()}),
            ("pep.initiate", "POST", f"/children/{child}/peps", sw, {
                "pep_id": f"{child}-P1", "term": {"academic_year": self.cal.academic_year, "season": self.cal.season},
                "occasion": "termly_review",
            }),
            ("pep.targets", "POST", f"/children/{child}/peps/{child}-P1/targets", sw, {"targets": [{
                "target_id": f"{child}-T1", "subject_or_area": "Reading", "baseline": "Reading age 10 years",
                "target": "Reading age 12 years", "by_when": (today + timedelta(days=90)).isoformat(),
                "who": "Designated teacher with the reading tutor",
            }]}),
            ("pep.review", "POST", f"/children/{child}/peps/{child}-P1/review", sw, {
                "meeting_date": today.isoformat(),
                "attendance": {"percentage": "95.0", "period_start": f"{self.cal.academic_year}-09-03",
                               "period_end": today.isoformat()},
                "attainment": [{"subject": "English", "attainment": "Working towards", "progress": "expected"}],
                "child_voice": "I like art and want help with reading.",
                "attendees": [{"name": "Sam Jones", "role": "social_worker"},
                              {"name": "Dee Teacher", "role": "designated_teacher"}],
            }),
            ("pep.submit", "POST", f"/children/{child}/peps/{child}-P1/submission", sw, {}),
            ("pep.quality-assure", "POST", f"/children/{child}/peps/{child}-P1/quality-assurance", vso,
             {"rating": "green"}),
        ]
        for kind, method, path, token, body in steps:
            answer = await self.api.call(kind, "pep", method, path, token, json_body=body,
                                         key=self.key_for(f"{kind}-{child}"))
            if answer is None or answer.status_code >= 300:
                return
        self.children.append((child, urn))
        await self.api.call("pep.record", "pep", "GET", f"/children/{child}", sw)
        await self.api.call("pep.roll", "pep", "GET", "/virtual-school/roll",
                            self.token("virtual_school_head", "vsh.soak"))

    # PP+: a designated teacher asks for a child with a quality-assured PEP; the panel decides.
    async def pp_flow(self, officer: int) -> None:
        if not self.children:
            return
        child, urn = self.children.pop(random.randrange(len(self.children)))
        fy = self.cal.financial_year
        teacher = self.token("designated_teacher", f"dt.{urn}", urn=urn)
        requested = await self.api.call("pp.request", "pupil-premium", "POST", f"/budgets/{fy}/requests", teacher,
                                        json_body={
            "child_id": child, "term": self.cal.pp_term, "amount_pence": 50_000,
            "target_ids": [f"{child}-T1"], "intervention_type": "tutoring",
            "intervention": "Weekly one-to-one reading tuition",
        }, key=self.key_for(f"pp-request-{child}"))
        if requested is None or requested.status_code != 201:
            return
        request_id = requested.json()["request_id"]
        await self.api.call("pp.request-read", "pupil-premium", "GET", f"/budgets/{fy}/requests/{request_id}", teacher)
        vsh = self.token("virtual_school_head", "vsh.soak")
        await self.api.call("pp.approve", "pupil-premium", "POST", f"/budgets/{fy}/requests/{request_id}/approval",
                            vsh, json_body={"panel_members": ["Virtual School Head", "Finance officer"]},
                            key=self.key_for(f"pp-approve-{request_id}"))
        await self.api.call("pp.budget", "pupil-premium", "GET", f"/budgets/{fy}", vsh)

    # Notices: a warning notice drafted for a school the notices service knows, then given.
    async def notices_flow(self, officer: int) -> None:
        if len(self.schools) < 3:
            return
        urn = random.choice(self.schools[: max(1, len(self.schools) - 5)])  # not the newest: known by now
        sia = self.token("school_improvement_adviser", f"sia.{officer}")
        pa = self.token("principal_adviser", f"pa.{officer}")
        drafted = await self.api.call("notices.draft", "notices", "POST", "/notices", sia, json_body={
            "urn": urn,
            "grounds": ["low_standards"],
            "low_standards_basis": ["expected_attainment"],
            "concerns": ["Key stage 2 reading well below comparable schools for three years"],
            "required_actions": ["Put in place a costed plan to raise attainment in reading"],
            "powers_minded_to_use": ["s63_require_arrangements"],
            "compliance_period": {"working_days": 20},
        }, key=self.key_for(f"notice-{urn}-{next(self.ids)}"))
        if drafted is None or drafted.status_code != 201:
            return
        notice = drafted.json()["notice_id"]
        await self.api.call("notices.give", "notices", "POST", f"/notices/{notice}/give", pa,
                            json_body={"given_on": self.cal.today.isoformat()},
                            key=self.key_for(f"give-{notice}"))
        await self.api.call("notices.read", "notices", "GET", f"/notices/{notice}", sia)

    # Auditors and other systems follow the log.
    async def event_log_flow(self, officer: int) -> None:
        auditor = self.token("auditor", f"auditor.{officer}")
        # Somewhere in the log written so far (about a dozen events per school and child).
        after = random.randint(0, 12 * (len(self.schools) + len(self.children)))
        await self.api.call("event-log.feed", "event-log", "GET", "/feed", auditor,
                            params={"after": after, "limit": 100})
        if self.schools:
            urn = random.choice(self.schools)
            await self.api.call("event-log.stream", "event-log", "GET", f"/streams/school-{urn}", auditor)
            await self.api.call("event-log.school-timeline", "event-log", "GET", f"/schools/{urn}/timeline", auditor)
        if random.random() < 0.05:
            await self.api.call("event-log.verify", "event-log", "GET", "/verification", auditor)

    async def officer(self, n: int, stop: asyncio.Event) -> None:
        flows = [self.schools_flow, self.pep_flow, self.pp_flow, self.notices_flow, self.event_log_flow]
        weights = [3, 3, 2, 1, 2]
        while not stop.is_set():
            flow = random.choices(flows, weights)[0]
            try:
                await flow(n)
            except Exception as exc:  # a bug in the soak itself must not stop the others
                self.api.results.failures.append(f"soak flow {flow.__name__}: {type(exc).__name__}: {exc}")
            await asyncio.sleep(0)


# -- watching readiness and the restart ---------------------------------------------------------


async def watch_ready(urls: dict[str, str], results: Results, stop: asyncio.Event) -> None:
    """Poll every service's /ready each half second; record when each was not ready."""
    async with httpx.AsyncClient(timeout=5.0) as client:
        while not stop.is_set():
            for name, url in urls.items():
                try:
                    ok = (await client.get(only_loopback(url) + "/ready")).status_code == 200
                except httpx.HTTPError:
                    ok = False
                if not ok:
                    results.not_ready[name].append(time.monotonic())
            await asyncio.sleep(0.5)


def outage_seconds(samples: list[float]) -> float:
    """The longest run of not-ready samples (half a second apart), in seconds."""
    longest, start, last = 0.0, None, None
    for t in samples:
        if last is None or t - last > 1.5:
            start = t
        last = t
        longest = max(longest, last - start + 0.5)
    return longest


# -- the checks ---------------------------------------------------------------------------------


def projections_by_schema() -> dict[str, list]:
    from notices.domain.catalogue import read_catalogue
    from notices.projections import read_models as notices_models
    from pep.domain.catalogue import pep_reading_catalogue
    from pep.projections import read_models as pep_models
    from pupil_premium.projections import read_models as pp_models
    from schools.domain.catalogue import schools_catalogue
    from schools.projections import read_models as schools_models

    return {
        "schools": schools_models(schools_catalogue()),
        "pep": pep_models(pep_reading_catalogue()),
        "pupil_premium": pp_models(),
        "notices": notices_models(SimpleNamespace(read_catalogue=read_catalogue())),
    }


async def wait_caught_up(pool: asyncpg.Pool, schemas: list[str]) -> tuple[bool, dict[str, int]]:
    """Every subscription of every service at the head, and the head still (policies append)."""
    deadline = time.monotonic() + CATCH_UP_SECONDS
    steady = 0
    behind: dict[str, int] = {}
    while time.monotonic() < deadline:
        head = await pool.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events")
        behind = {}
        for schema in schemas:
            for row in await pool.fetch(f'SELECT name, position FROM "{schema}".subscription_checkpoints'):
                if row["position"] < head:
                    behind[row["name"]] = head - row["position"]
        steady = steady + 1 if not behind else 0
        if steady >= 3:
            return True, {}
        await asyncio.sleep(1.0)
    return False, behind


async def table_rows(pool: asyncpg.Pool, projection) -> dict[str, list]:
    found = {}
    for table in projection.tables:
        rows = await pool.fetch(f'SELECT * FROM "{projection.schema}"."{table}"')
        found[table] = sorted((tuple(r.values()) for r in rows), key=repr)
    return found


async def check_consistency(database_url: str, results: Results, stack: Stack) -> list[str]:
    problems: list[str] = []
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=4, init=init_connection, timeout=10)
    try:
        models = projections_by_schema()
        caught_up, behind = await wait_caught_up(pool, list(models))
        if not caught_up:
            problems.append(f"subscriptions still behind after {CATCH_UP_SECONDS}s: {behind}")
        print("stopping the services for the rebuild comparison ...", flush=True)
        stack.stop_services()

        head = await pool.fetchval("SELECT coalesce(max(position), 0) FROM eventlog.events")
        chain = await verify_chain(pool)
        print(f"hash chain: {'verifies' if chain.ok else 'BROKEN'} ({chain.checked} of {head} events)")
        if not chain.ok or chain.checked != head:
            problems.append(f"hash chain: {chain}")

        stored = {r["key"].rsplit(":", 1)[-1]: r for r in await pool.fetch(
            "SELECT key, first_position, last_position FROM eventlog.idempotency_keys")}
        missing = [key for _, key, _ in results.acknowledged if key not in stored]
        # Writes whose decision recorded nothing (a repeat of the same settings) leave no key.
        print(f"acknowledged writes: {len(results.acknowledged)}; keys in the log: "
              f"{len(results.acknowledged) - len(missing)}")
        if missing:
            problems.append(f"{len(missing)} acknowledged writes have no key in the log: {missing[:5]}")
        doubled = await pool.fetch(
            "SELECT e.metadata->>'idempotency_key' AS key FROM eventlog.events e "
            "LEFT JOIN eventlog.idempotency_keys k ON k.key = e.metadata->>'idempotency_key' "
            "WHERE e.metadata ? 'idempotency_key' GROUP BY 1 "
            "HAVING count(*) <> coalesce(min(k.last_position - k.first_position + 1), -1) "
            "    OR bool_or(e.position NOT BETWEEN k.first_position AND k.last_position)"
        )
        print(f"keys appended more than once: {len(doubled)}")
        if doubled:
            problems.append(f"appended more than once: {[r['key'] for r in doubled][:5]}")

        for schema, projections in models.items():
            parked = await pool.fetchval(f'SELECT count(*) FROM "{schema}".dead_letters')
            if parked:
                problems.append(f"{schema}: {parked} events parked in dead_letters")
            for projection in projections:
                live = await table_rows(pool, projection)
                await rebuild(pool, projection)
                again = await table_rows(pool, projection)
                rows = sum(len(v) for v in live.values())
                same = live == again
                print(f"read model {projection.name:<34} {rows:>7} rows  "
                      f"{'equals its rebuild' if same else 'DIFFERS FROM ITS REBUILD'}")
                if not same:
                    problems.append(f"{projection.name} differs from its rebuild")
    finally:
        await pool.close()
    return problems


# -- the report ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(results: Results, elapsed: float, restart: dict[str, Any]) -> dict[str, Any]:
    total = sum(len(v) for v in results.latencies.values())
    print(f"\n{total} requests answered in {elapsed:.0f}s ({total / elapsed:.1f}/s)")
    print(f"PostgreSQL restart ({restart.get('mode')}) at {restart.get('at', 0):.0f}s took "
          f"{restart.get('took', 0):.1f}s")
    for name, samples in sorted(results.not_ready.items()):
        print(f"  {name:<14} /ready not 200 for {outage_seconds(samples):.1f}s at the longest")
    print("\nanswers by kind (status, problem title):")
    for (kind, status, title), n in sorted(results.answers.items(), key=lambda x: (x[0][0], str(x[0][1]))):
        print(f"  {kind:<28} {status!s:<10} {n:>6}  {title}")
        if (kind, status, title) in results.samples:
            print(f"  {'':<28} {'':<10} {'':>6}  e.g. {results.samples[(kind, status, title)]}")
    if results.retries:
        print("\nretried (same Idempotency-Key):")
        for (kind, why), n in sorted(results.retries.items()):
            print(f"  {kind:<28} {why:<18} {n:>6}")
    print("\nlatency by kind, first send to final answer (ms):")
    print(f"  {'kind':<28} {'n':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}")
    table = {}
    for kind, values in sorted(results.latencies.items()):
        row = {
            "n": len(values),
            "p50": percentile(values, 50) * 1000,
            "p95": percentile(values, 95) * 1000,
            "p99": percentile(values, 99) * 1000,
            "max": max(values) * 1000,
        }
        table[kind] = row
        print(f"  {kind:<28} {row['n']:>6} {row['p50']:>8.1f} {row['p95']:>8.1f} {row['p99']:>8.1f} {row['max']:>8.1f}")
    return {
        "requests": total,
        "seconds": elapsed,
        "restart": restart,
        "ready_outage_seconds": {n: outage_seconds(s) for n, s in results.not_ready.items()},
        "answers": [[k, str(s), t, n] for (k, s, t), n in results.answers.items()],
        "retries": [[k, w, n] for (k, w), n in results.retries.items()],
        "latency_ms": table,
        "failures": results.failures[:50],
    }


# -- main ---------------------------------------------------------------------------------------


async def drive(stack: Stack, args: argparse.Namespace) -> tuple[Results, float, dict[str, Any]]:
    results = Results()
    stop = asyncio.Event()
    api = Api(stack.urls, results, Pacer(args.rate), stop)
    council = Council(api, stack.keys[0].read_bytes(), Calendar(date.today()), args.officers)
    watcher_stop = asyncio.Event()
    watcher = asyncio.create_task(watch_ready(stack.urls, results, watcher_stop))
    restart: dict[str, Any] = {"mode": args.restart_mode}
    started = time.monotonic()
    try:
        await council.set_up()
        officers = [asyncio.create_task(council.officer(n, stop)) for n in range(args.officers)]

        async def restart_once() -> None:
            await asyncio.sleep(args.duration * args.restart_at)
            print(f"restarting PostgreSQL ({args.restart_mode}) ...", flush=True)
            t0 = time.monotonic()
            await asyncio.to_thread(stack.restart_postgres, args.restart_mode)
            restart.update(at=t0 - started, took=time.monotonic() - t0)
            print(f"PostgreSQL back after {restart['took']:.1f}s", flush=True)

        restarter = asyncio.create_task(restart_once()) if args.restart_at < 1 else None
        progress_every = max(10.0, args.duration / 20)
        while time.monotonic() - started < args.duration:
            await asyncio.sleep(min(progress_every, args.duration - (time.monotonic() - started)))
            done = sum(len(v) for v in results.latencies.values())
            print(f"  {time.monotonic() - started:6.0f}s  {done} answered, {len(results.failures)} failures",
                  flush=True)
        stop.set()
        elapsed = time.monotonic() - started
        # Requests in flight finish (each is bounded by its timeout and retry window).
        _, pending = await asyncio.wait(officers, timeout=DRAIN_SECONDS + RETRY_WINDOW_SECONDS)
        for task in pending:
            task.cancel()
            results.failures.append("an officer was still waiting when the soak ended")
        if restarter is not None:
            await restarter
    finally:
        watcher_stop.set()
        await watcher
        await api.close()
    return results, elapsed, restart


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of traffic (default 600)")
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second, all services (default 20)")
    parser.add_argument("--officers", type=int, default=24, help="virtual officers working at once")
    parser.add_argument("--restart-at", type=float, default=0.5,
                        help="when to restart PostgreSQL, as a fraction of the duration (1 or more: never)")
    parser.add_argument("--restart-mode", choices=["fast", "immediate"], default="fast")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temp directory (data, service logs)")
    args = parser.parse_args(argv)

    workdir = Path(tempfile.mkdtemp(prefix="edu-soak-"))
    stack = Stack(workdir)
    interrupted = False

    def on_signal(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    problems: list[str] = []
    try:
        print(f"starting PostgreSQL and applying migrations in {workdir} ...", flush=True)
        stack.start_postgres()
        stack.start_services()
        stack.wait_ready()
        for name, url in stack.urls.items():
            print(f"  {name:<14} {url}")
        print(f"traffic: {args.rate}/s for {args.duration:.0f}s by {args.officers} officers", flush=True)
        results, elapsed, restart = asyncio.run(drive(stack, args))
        figures = report(results, elapsed, restart)
        print("\nconsistency, traffic stopped:")
        problems = asyncio.run(check_consistency(stack.database_url, results, stack))
        problems = [*results.failures[:20], *problems]
        figures["problems"] = problems
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2, default=str))
    except KeyboardInterrupt:
        interrupted = True
        print("interrupted; stopping", file=sys.stderr)
    finally:
        stack.stop_services()
        stack.stop_postgres()
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if interrupted:
        return 130
    if problems:
        print(f"\nFAILED: {len(problems)} problems")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("\nOK: nothing acknowledged lost or doubled, no 500s, no hangs, every read model equals its rebuild")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
