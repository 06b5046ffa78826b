"""Making the story's calls: the four services' own apps, in this process, each logged in to the
database as its own role, called over HTTP in memory (httpx's ASGI transport) with tokens signed
by the development key. Every call goes through the route, its access rule, the request's
validation, the handler and the domain's ``decide``, exactly as an officer's would; every
subscription and policy runs as in the running service.

One clock stands for the whole council, set to each call's day, so "today" in every rule is the
day of the story. When the story reaches a new week every subscription catches up, the services'
deadline jobs run, and everything they caused is applied before the week's first call: a call
that needs another service to have heard of something (a PP+ request needs the pep service's
PEP) comes at least a week after it in the story.

What is deterministic: the calls (``steps.Fingerprint``) and the facts they record. What is not:
the values the services mint as they answer (a PP+ request's, a categorisation proposal's, a
warning notice's, a consultation's, a scheduled review's id), each event's id and the time it
was recorded, and the ciphertext of sealed personal fields.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from shared.clock import FixedClock
from shared.migrations import url_for_role
from shared.ops.service_app import service_code
from shared.security.mint import ensure_dev_keys, mint_token
from shared.services import service as service_spec
from shared.settings import ServiceSettings, settings_from

from .sizes import Size
from .steps import Call, Fingerprint, Minted, Officer
from .story import Story

# The services the story calls (the event-log service only reads, and keeps no read model).
STORY_SERVICES = ("schools", "pep", "pupil-premium", "notices")

# What a call may keep from its answer, by name.
KEEPERS: dict[str, Callable[[Any], str]] = {
    "request_id": lambda answer: answer["request_id"],
    "proposal_id": lambda answer: answer["pending_proposal"]["proposal_id"],
    "notice_id": lambda answer: answer["notice_id"],
    "consultation_id": lambda answer: answer["consultations"][-1]["consultation_id"],
    # The progress review the schools service scheduled by itself, from the school's profile.
    "open_review_id": lambda answer: next(
        review["review_id"] for review in answer["reviews"]
        if review["held_on"] is None and review["cancelled_on"] is None
    ),
}
# The apps' settings while the council is built: only the story's own calls fire deadlines, and
# a council's officers writing thousands of records an hour are not a runaway client.
BUILD_SETTINGS = {
    "SCHEDULER_INTERVAL_SECONDS": "86400",
    "SUBSCRIPTION_POLL_SECONDS": "0.25",
    "WRITE_RATE_PER_MINUTE": "100000000",
    # Each request's log line is for operators of a running service; a build reports its own progress.
    "LOG_LEVEL": "WARNING",
}
TOKEN_HOURS = 48


def _without_waiting_for_flush(url: str) -> str:
    """The build's sessions commit without waiting for the disk (``synchronous_commit=off``; asyncpg
    passes a URL's unknown parameters to the server as settings). Each commit is still written in
    order, so a crash can lose only the last moments of a build, never leave it inconsistent - and
    a council lost that way is built again. The running services keep the server's default."""
    parts = urlsplit(url)
    query = "&".join(p for p in (parts.query, "synchronous_commit=off") if p)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


class BuildStopped(Exception):
    """A call was not answered as the story expects: the council is not what the story says."""


@dataclass
class Built:
    calls: int = 0
    by_service: Counter = field(default_factory=Counter)
    deadlines_fired: int = 0
    events: int = 0
    seconds: float = 0.0
    fingerprint: str = ""


class Council:
    """The four services running in this process on one database, and the officers calling them."""

    def __init__(self, owner_url: str, *, passwords: dict[str, str] | None = None,
                 keys: tuple[Path, Path] | None = None) -> None:
        self.owner_url = owner_url
        self.passwords = passwords or {}
        self.keys = keys or ensure_dev_keys()
        self.clock = FixedClock(datetime(2000, 1, 1, 10, tzinfo=timezone.utc))
        self.clients: dict[str, httpx.AsyncClient] = {}
        self._tokens: dict[Officer, dict[str, str]] = {}
        self._settings = ServiceSettings()
        self._private_key = self.keys[0].read_bytes()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Council]:
        async with AsyncExitStack() as stack:
            for name in STORY_SERVICES:
                spec = service_spec(name)
                own_url = _without_waiting_for_flush(
                    url_for_role(self.owner_url, spec.db_role, self.passwords.get(spec.db_role))
                )
                with settings_from(**{**BUILD_SETTINGS, "DATABASE_URL": own_url,
                                   "DEV_PUBLIC_KEY_PATH": str(self.keys[1])}):
                    app = service_code(spec, spec.app)()
                app.state.clock = self.clock
                await stack.enter_async_context(app.router.lifespan_context(app))
                client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}",
                                           timeout=60.0)
                client.app = app  # type: ignore[attr-defined]
                self.clients[name] = await stack.enter_async_context(client)
            yield self

    def apps(self) -> list[Any]:
        return [client.app for client in self.clients.values()]  # type: ignore[attr-defined]

    def headers(self, officer: Officer) -> dict[str, str]:
        if officer not in self._tokens:
            token = mint_token(role=officer.role, subject=officer.sub, issuer=self._settings.jwt_issuer,
                               audience=self._settings.jwt_audience, private_key=self._private_key,
                               urn=officer.urn, lifetime_seconds=TOKEN_HOURS * 3600)
            self._tokens[officer] = {"Authorization": f"Bearer {token}"}
        return self._tokens[officer]

    def today(self, day: date) -> None:
        self.clock.set(datetime(day.year, day.month, day.day, 10, tzinfo=timezone.utc))

    async def head(self) -> int:
        return await next(iter(self.apps())).state.store.head_position()

    async def settle(self) -> None:
        """Every subscription of every service has applied the whole log, including what the
        policies appended as they reacted."""
        while True:
            head = await self.head()
            for app in self.apps():
                for subscription in app.state.subscriptions:
                    await _caught_up(subscription)
            if await self.head() == head:
                return

    async def fire_deadlines(self) -> int:
        fired = 0
        for app in self.apps():
            scheduler = getattr(app.state, "scheduler", None)
            if scheduler is not None:
                fired += await scheduler.run_once()
        return fired


async def _caught_up(subscription: Any) -> None:
    """The subscription's own task may be applying a long batch while holding its checkpoint's
    lock past the database's lock timeout: then it is getting there, and this asks again."""
    while True:
        try:
            await subscription.catch_up()
            return
        except asyncpg.LockNotAvailableError:
            await asyncio.sleep(0.5)


def _resolved(value: Any, kept: dict[str, str]) -> Any:
    if isinstance(value, Minted):
        try:
            return kept[value.name]
        except KeyError:
            raise BuildStopped(f"nothing was kept as {value.name!r}: the call that mints it did not run") from None
    if isinstance(value, dict):
        return {key: _resolved(item, kept) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolved(item, kept) for item in value]
    return value


def _stream_of(call: Call) -> str:
    """What a call changes, as far as ordering goes: calls about one child, one school or one
    budget are made one after another, in the story's order; calls about different ones at once."""
    path = "".join(part if isinstance(part, str) else "" for part in call.path).split("/")
    if call.service == "pupil-premium":
        return call.service  # one budget stream a year: its requests queue rather than race
    if call.service in ("pep", "schools") and len(path) > 2 and path[1] in ("children", "schools"):
        return f"{call.service}:{path[2]}"
    if call.service == "schools" and call.method == "POST" and path[1:] == ["schools"]:
        return f"schools:{call.body['urn']}"
    if call.service == "pep" and path[1:] == ["children"]:
        return f"pep:{call.body['child_id']}"
    if call.service == "notices" and isinstance(call.body, dict) and "urn" in call.body:
        return f"notices:{call.body['urn']}"
    if call.service == "notices" and len(path) > 2 and path[1] == "interventions":
        return f"notices:{path[2]}"
    return call.service


def _days(calls: Iterable[Call]) -> Iterator[list[Call]]:
    day: list[Call] = []
    for call in calls:
        if day and call.on != day[0].on:
            yield day
            day = []
        day.append(call)
    if day:
        yield day


async def make_calls(council: Council, calls: Iterable[Call], *, say: Callable[[str], None] = print,
                     report_every: int = 2_000, at_once: int = 16) -> Built:
    """Every call, a day at a time; ``say`` hears a line of progress now and then (no personal data).

    Within a day, the calls about one child, school or budget are made in order, and up to
    ``at_once`` such queues at the same time, as a council's officers work side by side."""
    built = Built()
    fingerprint = Fingerprint()
    kept: dict[str, str] = {}
    started = time.monotonic()
    reported = 0
    last: date | None = None
    for calls_of_day in _days(calls):
        day = calls_of_day[0].on
        if last is None or day - timedelta(days=day.weekday()) > last - timedelta(days=last.weekday()):
            await council.settle()
            council.today(day)
            built.deadlines_fired += await council.fire_deadlines()
            await council.settle()
        council.today(day)
        last = day
        queues: dict[str, list[Call]] = {}
        for call in calls_of_day:
            fingerprint.add(call)
            queues.setdefault(_stream_of(call), []).append(call)
        gate = asyncio.Semaphore(at_once)

        # A call answered otherwise than the story expects stops the others at once.
        try:
            async with asyncio.TaskGroup() as group:
                for queue in queues.values():
                    group.create_task(_in_order(council, queue, kept, gate))
        except ExceptionGroup as failed:
            stopped = [exc for exc in failed.exceptions if isinstance(exc, BuildStopped)]
            if not stopped:
                raise
            raise stopped[0] from None
        for call in calls_of_day:
            built.by_service[call.service] += 1
        built.calls += len(calls_of_day)
        if built.calls - reported >= report_every:
            reported = built.calls
            rate = built.calls / (time.monotonic() - started)
            say(f"  {day.isoformat()}: {built.calls:,} calls made ({rate:,.0f} a second)")
    await council.settle()
    built.deadlines_fired += await council.fire_deadlines()
    await council.settle()
    built.events = await council.head()
    built.seconds = time.monotonic() - started
    built.fingerprint = fingerprint.hexdigest()
    return built


async def _in_order(council: Council, queue: list[Call], kept: dict[str, str], gate: asyncio.Semaphore) -> None:
    async with gate:
        for call in queue:
            await _make(council, call, kept)


async def _make(council: Council, call: Call, kept: dict[str, str]) -> None:
    client = council.clients[call.service]
    path = "".join(_resolved(part, kept) for part in call.path)
    answer = await client.request(call.method, path, json=_resolved(call.body, kept),
                                  headers=council.headers(call.officer))
    if answer.status_code not in call.expect:
        raise BuildStopped(f"{call.describe()} was answered {answer.status_code}: {answer.text[:600]}")
    if call.keep is not None:
        name, what = call.keep
        try:
            kept[name] = KEEPERS[what](answer.json())
        except (KeyError, IndexError, StopIteration):
            raise BuildStopped(f"{call.describe()} answered without the {what} the story keeps") from None


async def events_in(owner_url: str) -> int:
    conn = await asyncpg.connect(owner_url)
    try:
        return int(await conn.fetchval("SELECT count(*) FROM eventlog.events"))
    finally:
        await conn.close()


async def build(owner_url: str, size: Size, seed: int, until: date, *, say: Callable[[str], None] = print,
                passwords: dict[str, str] | None = None, keys: tuple[Path, Path] | None = None) -> Built:
    """The council of ``size`` told from ``seed`` up to ``until``, into a database whose log is
    empty (migrated to head; a council is never built on top of another's records)."""
    held = await events_in(owner_url)
    if held:
        raise BuildStopped(f"the database already holds {held:,} events: a council is built into an empty one")
    written = Story(size, seed, until)
    say(f"building the {size.name} council (seed {seed}): {size.schools:,} schools, {size.children:,} children, "
        f"academic years {written.first_year}/{str(written.first_year + 1)[2:]} to "
        f"{written.last_year}/{str(written.last_year + 1)[2:]}, up to {until.isoformat()}")
    council = Council(owner_url, passwords=passwords, keys=keys)
    async with council.running():
        return await make_calls(council, written.calls(), say=say)
