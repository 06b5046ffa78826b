"""A service run the way production runs it: uvicorn loading the service's app factory in a process
of its own (deploy/Dockerfile's command, on a loopback port), its output kept in a file, so a test
can send it signals and read the lines it writes.

Every wait here has a limit: a service that does not start or stop in time fails the test."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from shared.migrations import REPO_ROOT
from shared.services import SERVICES
from shared.services import service as service_spec


@dataclass
class ServedService:
    name: str
    port: int
    process: subprocess.Popen
    output: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def lines(self) -> list[str]:
        """What the process has written so far (standard output and error), line by line."""
        return [line for line in self.output.read_text(errors="replace").splitlines() if line.strip()]

    async def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.base_url, timeout=2.0) as client:
            while True:
                if self.process.poll() is not None:
                    raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n{self.tail()}")
                try:
                    if (await client.get("/ready")).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"{self.name} was not ready within {timeout}s:\n{self.tail()}")
                await asyncio.sleep(0.1)

    async def stopped(self, timeout: float) -> int:
        """Wait for the process to end by itself; its exit code."""
        try:
            async with asyncio.timeout(timeout):
                while self.process.poll() is None:
                    await asyncio.sleep(0.05)
        except TimeoutError:
            raise AssertionError(f"{self.name} was still running {timeout}s later:\n{self.tail()}") from None
        return self.process.returncode

    def tail(self) -> str:
        return "\n".join(self.lines()[-40:])


@asynccontextmanager
async def served(name: str, environment: dict[str, str]) -> AsyncIterator[ServedService]:
    """``async with served("schools", {"DATABASE_URL": ..., ...}) as service:`` - started with
    ``environment`` over this process's own, ready when entered; killed on leaving if it is still
    running."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    output = Path(tempfile.mkstemp(prefix=f"edu-served-{name}-", suffix=".log")[1])
    process = await asyncio.to_thread(_start, name, environment, port, output)
    running = ServedService(name, port, process, output)
    try:
        await running.wait_ready()
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        output.unlink(missing_ok=True)


def _start(name: str, environment: dict[str, str], port: int, output: Path) -> subprocess.Popen:
    paths = [REPO_ROOT] + [REPO_ROOT / "services" / spec.name for spec in SERVICES]
    python_path = os.pathsep.join(str(path) for path in paths)
    with open(output, "ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", service_spec(name).app,
             "--host", "127.0.0.1", "--port", str(port), "--proxy-headers"],
            env={**os.environ, **environment, "PYTHONPATH": python_path},
            cwd=REPO_ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
