"""Fault tests run on a PostgreSQL of their own, which they restart and cut off at will.

The shared test server (``shared.testing.fixtures``) must never be restarted: other tests run on
it at the same time. So each test worker starts one more embedded PostgreSQL 16 (``pgserver``)
in a temp data directory, applies every migration to a template database, and gives each fault
test a fresh copy of it. ``fault_pg`` can restart that server (``pg_ctl restart -m fast`` or
``-m immediate``, the latter being a crash and recovery) and terminate every client backend of
a database (``pg_terminate_backend``), which is what a failover, a network cut or an operator's
``pg_terminate_backend`` looks like to a service.

Every wait here has a limit: a fault test that hangs is a failure, never a stuck run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest

from shared.eventlog.store import init_connection
from shared.migrations import REPO_ROOT, upgrade_all, url_for_role
from shared.services import SERVICES, all_migrations
from shared.testing.fixtures import in_process, service_of_factory, with_database

# pg_ctl waits at most this long for the server to stop or start (-t), and we wait a little
# longer for pg_ctl itself.
PG_CTL_WAIT_SECONDS = 30


@dataclass
class FaultPostgres:
    """A dedicated embedded PostgreSQL that tests may restart or cut off."""

    data_dir: Path
    admin_url: str
    system_user: str | None
    socket_dir: Path
    restarts: int = 0
    _server: Any = field(default=None, repr=False)

    def url(self, database: str) -> str:
        return with_database(self.admin_url, database)

    def _pg_ctl(self, *args: str) -> None:
        from pgserver import pg_ctl

        pg_ctl(list(args), pgdata=self.data_dir, user=self.system_user, timeout=PG_CTL_WAIT_SECONDS + 15)

    def restart(self, mode: str = "fast") -> None:
        """Restart the server: ``fast`` rolls back open transactions and disconnects everyone;
        ``immediate`` is a crash (no shutdown checkpoint) followed by recovery on start."""
        # pg_ctl restart reuses the options the server was started with (postmaster.opts), so
        # it comes back on the same socket and every client's URL stays valid.
        self._pg_ctl("-w", "-t", str(PG_CTL_WAIT_SECONDS), "-m", mode, "restart")
        self.restarts += 1

    def stop(self, mode: str = "fast") -> None:
        self._pg_ctl("-w", "-t", str(PG_CTL_WAIT_SECONDS), "-m", mode, "stop")

    def start(self) -> None:
        self._pg_ctl(
            "-w", "-t", str(PG_CTL_WAIT_SECONDS),
            "-o", '-h ""', "-o", f"-k {self.socket_dir}",
            "-l", str(self.data_dir / "log"),
            "start",
        )

    def running(self) -> bool:
        from pgserver import pg_ctl

        try:
            pg_ctl(["status"], pgdata=self.data_dir, user=self.system_user, timeout=15)
            return True
        except subprocess.CalledProcessError:
            return False

    async def terminate_backends(self, database: str) -> int:
        """End every client connection to ``database``; returns how many were ended."""
        conn = await asyncpg.connect(self.admin_url, timeout=10)
        try:
            return await conn.fetchval(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
                database,
                timeout=10,
            )
        finally:
            await conn.close()

    async def wait_accepting(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                conn = await asyncpg.connect(self.admin_url, timeout=5)
                await conn.close()
                return
            except (OSError, asyncpg.PostgresError):
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)

    def shut_down(self) -> None:
        try:
            self._pg_ctl("-w", "-t", str(PG_CTL_WAIT_SECONDS), "-m", "immediate", "stop")
        except Exception:  # already stopped; the data directory goes either way
            pass
        shutil.rmtree(self.data_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def fault_pg() -> FaultPostgres:
    import pgserver

    # Outside pytest's pruned temp folders, as for the shared test server.
    data_dir = Path(tempfile.mkdtemp(prefix="edu-fault-pg-"))
    # cleanup_mode=None: pgserver's own clean-up at exit follows the process it started, which
    # after a restart is no longer the server's; stopping and deleting is done here instead.
    server = pgserver.get_server(str(data_dir), cleanup_mode=None)
    info = server.get_postmaster_info()
    pg = FaultPostgres(
        data_dir=Path(server.pgdata),
        admin_url=server.get_uri(),
        system_user=server.system_user,
        socket_dir=Path(info.socket_dir),
        _server=server,
    )
    yield pg
    pg.shut_down()


@pytest.fixture(scope="session")
def fault_template(fault_pg: FaultPostgres) -> str:
    name = f"edu_fault_template_{os.getpid()}"

    async def create() -> None:
        conn = await asyncpg.connect(fault_pg.admin_url, timeout=10)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    asyncio.run(create())
    upgrade_all(all_migrations(), fault_pg.url(name))
    return name


@dataclass(frozen=True)
class FaultDatabase:
    name: str
    url: str


@pytest.fixture
async def fault_db(fault_pg: FaultPostgres, fault_template: str) -> AsyncIterator[FaultDatabase]:
    """A fresh, fully migrated database on the restartable server."""
    # A previous test may have left the server stopped or still recovering.
    if not await asyncio.to_thread(fault_pg.running):
        await asyncio.to_thread(fault_pg.start)
    await fault_pg.wait_accepting()
    name = f"edu_fault_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(fault_pg.admin_url, timeout=10)
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{fault_template}"')
    finally:
        await admin.close()
    yield FaultDatabase(name, fault_pg.url(name))
    if not await asyncio.to_thread(fault_pg.running):
        await asyncio.to_thread(fault_pg.start)
    await fault_pg.wait_accepting()
    admin = await asyncpg.connect(fault_pg.admin_url, timeout=10)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


@pytest.fixture
async def observer(fault_db: FaultDatabase) -> AsyncIterator[Callable[[], Any]]:
    """``async with observer() as pool:`` a pool of the test's own, opened after the fault, to
    look at what the log and the read models hold."""

    @asynccontextmanager
    async def open_pool():
        pool = await asyncpg.create_pool(
            fault_db.url, min_size=1, max_size=4, init=init_connection, timeout=10
        )
        try:
            yield pool
        finally:
            async with asyncio.timeout(15):
                await pool.close()

    yield open_pool


def service_environment(database_url: str, public_key: Path) -> dict[str, str]:
    """What every service under test is configured with, in-process or as a subprocess."""
    return {
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "DEV_PUBLIC_KEY_PATH": str(public_key),
        "SUBSCRIPTION_POLL_SECONDS": "0.05",
        "SCHEDULER_INTERVAL_SECONDS": "3600",
        # Short enough that a connection attempt to a server that is down fails quickly.
        "DATABASE_CONNECT_TIMEOUT": "3",
        # The tests act as a handful of officers making many writes each.
        "WRITE_RATE_PER_MINUTE": "100000",
    }


@pytest.fixture
def fault_service(fault_db: FaultDatabase, clock, monkeypatch: pytest.MonkeyPatch, signing_keys):
    """``async with fault_service(create_app) as client:`` a service's app running its lifespan
    on the restartable server, called in-process through httpx (as ``service_client`` does)."""
    for key, value in service_environment(fault_db.url, signing_keys[1]).items():
        monkeypatch.setenv(key, value)

    @asynccontextmanager
    async def running(create_app: Callable[[], Any]) -> AsyncIterator[httpx.AsyncClient]:
        spec = service_of_factory(create_app)
        # Each service as its own database role, as in production (never the owner).
        with monkeypatch.context() as env:
            if spec is not None:
                env.setenv("DATABASE_URL", url_for_role(fault_db.url, spec.db_role))
            app = create_app()
        async with in_process(app, clock) as client:
            yield client

    return running


# -- services as real processes ---------------------------------------------------------------


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def python_path() -> str:
    paths = [str(REPO_ROOT)] + [str(REPO_ROOT / "services" / s.name) for s in SERVICES]
    return os.pathsep.join(paths)


@dataclass
class ServiceProcess:
    """One service run by uvicorn in its own process, on a loopback port."""

    name: str
    app: str
    env: dict[str, str]
    port: int = field(default_factory=free_loopback_port)
    process: subprocess.Popen | None = None
    log_path: Path | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        self.log_path = Path(tempfile.mkstemp(prefix=f"edu-fault-{self.name}-", suffix=".log")[1])
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--factory", self.app, "--host", "127.0.0.1",
                 "--port", str(self.port), "--log-level", "warning"],
                env={**os.environ, **self.env, "PYTHONPATH": python_path()},
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.base_url, timeout=2.0) as client:
            while True:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n{self.output()}")
                try:
                    answer = await client.get("/ready")
                    if answer.status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"{self.name} not ready within {timeout}s:\n{self.output()}")
                await asyncio.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no clean-up, open transactions abandoned mid-way."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def output(self) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return self.log_path.read_text(errors="replace")[-4000:]


@pytest.fixture
def service_processes(fault_db: FaultDatabase, signing_keys):
    """``service_processes("schools")``: a real service process against the restartable server;
    every one started is stopped (or killed) when the test ends."""
    started: list[ServiceProcess] = []

    def make(name: str) -> ServiceProcess:
        spec = next(s for s in SERVICES if s.name == name)
        own_url = url_for_role(fault_db.url, spec.db_role)
        proc = ServiceProcess(name, spec.app, service_environment(own_url, signing_keys[1]))
        started.append(proc)
        return proc

    yield make
    for proc in started:
        proc.stop()
        if proc.log_path is not None:
            proc.log_path.unlink(missing_ok=True)
