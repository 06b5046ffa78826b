"""The services as they run: real uvicorn processes started as ``./scripts/run`` starts them
(shared/devserver.py: ``uvicorn --factory <app>``, each logged in as its own database role), on
loopback, under open-loop load.

Open loop: request *i* of a run at rate *r* is sent at *i / r* seconds whether or not the
earlier ones have been answered, as independent council officers would send them, and its
latency is counted from that moment. A service that falls behind therefore shows its queueing
in the latency instead of slowing the load down (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import io
import itertools
import os
import pstats
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from bench.figures import percentile
from bench.machine import ROOT, rss_mib
from shared.devserver import python_path
from shared.migrations import url_for_role
from shared.security.mint import ensure_dev_keys, mint_token
from shared.services import SERVICES, ServiceSpec
from shared.settings import ServiceSettings

# Far above any rate the run sends (200 requests a second is 12,000 a minute).
BENCH_WRITE_RATE_PER_MINUTE = 1_000_000
LOOPBACK = "127.0.0.1"
REQUEST_TIMEOUT = 30.0  # an answer later than this counts as an error


def free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Stack:
    """Every service, on free ports of 127.0.0.1, against one database."""

    def __init__(self, database_url: str, workdir: Path) -> None:
        self.database_url = database_url
        self.workdir = workdir
        self.keys = ensure_dev_keys(workdir / "keys")
        self.urls: dict[str, str] = {}
        self.processes: dict[str, subprocess.Popen] = {}
        self._settings = ServiceSettings()
        self._tokens: dict[tuple, str] = {}

    def env_common(self) -> dict[str, str]:
        """What every service is told besides its own database role: the run's throwaway keys,
        and a per-caller write limit out of the load's way. That limit (600 writes a minute by
        default) guards against one runaway caller; here one officer's token sends the whole
        load, so left as it is the run would measure the limit, not the service."""
        return {
            "ENVIRONMENT": "development",
            "DEV_PUBLIC_KEY_PATH": str(self.keys[1]),
            "WRITE_RATE_PER_MINUTE": str(BENCH_WRITE_RATE_PER_MINUTE),
        }

    def env(self, spec: ServiceSpec) -> dict[str, str]:
        return {
            **os.environ,
            **self.env_common(),
            "PYTHONPATH": python_path(),
            "DATABASE_URL": url_for_role(self.database_url, spec.db_role),
        }

    def start(self, spec: ServiceSpec, *, profile_to: Path | None = None) -> None:
        port = int(self.urls[spec.name].rsplit(":", 1)[1]) if spec.name in self.urls else free_port()
        self.urls[spec.name] = f"http://{LOOPBACK}:{port}"
        # The command shared/devserver.py runs; under cProfile only when profiling a miss.
        command = [sys.executable]
        if profile_to is not None:
            command += ["-m", "cProfile", "-o", str(profile_to)]
        command += ["-m", "uvicorn", "--factory", spec.app, "--host", LOOPBACK, "--port", str(port)]
        log = open(self.workdir / f"{spec.name}.log", "ab")
        self.processes[spec.name] = subprocess.Popen(command, env=self.env(spec), cwd=ROOT, stdout=log,
                                                     stderr=subprocess.STDOUT)

    def start_all(self) -> None:
        for spec in SERVICES:
            self.start(spec)
        self.wait_ready([s.name for s in SERVICES])

    def wait_ready(self, names: list[str], timeout: float = 120.0) -> None:
        deadline = time.monotonic() + timeout
        pending = set(names)
        with httpx.Client(timeout=2.0) as client:
            while pending and time.monotonic() < deadline:
                for name in list(pending):
                    if self.processes[name].poll() is not None:
                        log = (self.workdir / f"{name}.log").read_text()[-3000:]
                        raise RuntimeError(f"{name} exited while starting:\n{log}")
                    try:
                        if client.get(f"{self.urls[name]}/ready").status_code == 200:
                            pending.discard(name)
                    except httpx.HTTPError:
                        pass
                time.sleep(0.3)
        if pending:
            raise RuntimeError(f"not ready within {timeout:.0f} s: {sorted(pending)}")

    def stop(self, name: str, *, interrupt: bool = False) -> None:
        """``interrupt``: as Ctrl-C, for a process under cProfile. uvicorn re-raises the signal it
        stopped on once it has shut down; SIGTERM's default action would then end the process before
        cProfile writes its file, while SIGINT arrives as KeyboardInterrupt and cProfile still writes."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        if interrupt:
            process.send_signal(signal.SIGINT)
        else:
            process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.stop(name)

    def pid(self, name: str) -> int:
        return self.processes[name].pid

    def token(self, role: str, sub: str, urn: str | None = None) -> str:
        key = (role, sub, urn)
        if key not in self._tokens:
            self._tokens[key] = mint_token(
                role=role, subject=sub, issuer=self._settings.jwt_issuer, audience=self._settings.jwt_audience,
                private_key=self.keys[0].read_bytes(), urn=urn, lifetime_seconds=24 * 3600,
            )
        return self._tokens[key]


# -- one open-loop run ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    token: str
    body: Any = None
    key: str | None = None  # Idempotency-Key


@dataclass
class Measured:
    rate: float
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)  # of answers below 400
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0  # 4xx and 5xx answers, and no answer within REQUEST_TIMEOUT
    max_rss_mib: float | None = None

    @property
    def sent(self) -> int:
        return sum(self.statuses.values())

    @property
    def ok_per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds

    def p(self, q: float) -> float | None:
        return percentile(self.latencies_ms, q) if self.latencies_ms else None


async def open_loop(base_url: str, rate: float, seconds: float, next_request: Callable[[int], Request],
                    pid: int | None = None) -> Measured:
    measured = Measured(rate, seconds)
    count = int(rate * seconds)
    limits = httpx.Limits(max_connections=2000, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=base_url, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        sampling = asyncio.create_task(_sample_rss(pid, measured)) if pid else None
        start = time.perf_counter() + 0.05

        async def send(i: int, request: Request) -> None:
            due = start + i / rate
            headers = {"Authorization": f"Bearer {request.token}"}
            if request.key:
                headers["Idempotency-Key"] = request.key
            try:
                answer = await client.request(request.method, request.path, headers=headers, json=request.body)
                status = answer.status_code
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            elapsed_ms = (time.perf_counter() - due) * 1000
            measured.statuses[status] += 1
            if isinstance(status, int) and status < 400:
                measured.latencies_ms.append(elapsed_ms)
            else:
                measured.errors += 1

        tasks = []
        for i in range(count):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(send(i, next_request(i))))
        await asyncio.gather(*tasks)
        if sampling:
            sampling.cancel()
    return measured


async def _sample_rss(pid: int, measured: Measured) -> None:
    while True:
        rss = rss_mib(pid)
        if rss is not None:
            measured.max_rss_mib = max(measured.max_rss_mib or 0.0, rss)
        await asyncio.sleep(0.25)


async def send_all(base_url: str, requests: list[Request], concurrency: int = 8) -> list[httpx.Response]:
    """Requests that set the council up (not measured), a few at a time; any refusal stops the run,
    since the figures would then be of the wrong thing."""
    answers: list[httpx.Response] = [None] * len(requests)  # type: ignore[list-item]
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base_url, timeout=120.0) as client:
        async def one(i: int, request: Request) -> None:
            headers = {"Authorization": f"Bearer {request.token}"}
            if request.key:
                headers["Idempotency-Key"] = request.key
            async with gate:
                answer = await client.request(request.method, request.path, headers=headers, json=request.body)
            if answer.status_code >= 400:
                raise RuntimeError(f"{request.method} {request.path}: {answer.status_code} {answer.text[:300]}")
            answers[i] = answer

        await asyncio.gather(*(one(i, r) for i, r in enumerate(requests)))
    return answers


def cprofile_top(path: Path, top: int = 25) -> str:
    """The top functions of a saved profile by their own time, then by time including callees."""
    parts = []
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(str(path), stream=out).strip_dirs().sort_stats(order).print_stats(top)
        text = out.getvalue()
        # From the column headings on: the lines above them name the file and this machine's paths.
        parts.append(f"-- by {order}\n" + text[text.find("   ncalls"):].rstrip())
    return "\n\n".join(parts)


def unique(prefix: str) -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"{prefix}{next(counter)}"


def run(coroutine: Awaitable) -> Any:
    return asyncio.run(coroutine)  # type: ignore[arg-type]


def today() -> date:
    return date.today()
