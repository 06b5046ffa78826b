"""The facts a figure means nothing without: the machine, the server, the code and the command."""

from __future__ import annotations

import os
import platform
import shlex
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Machine:
    cores: int
    memory_gib: float
    cpu_model: str
    python: str
    load_average: str
    postgres: str
    date: str
    commit: str
    command: str

    def markdown(self) -> str:
        return "\n".join([
            f"- **Date**: {self.date}",
            f"- **Command**: `{self.command}`",
            f"- **Commit**: `{self.commit}`",
            f"- **Machine**: {self.cores} cores, {self.memory_gib:.1f} GiB memory, {self.cpu_model}",
            f"- **Load average when the run began** (1, 5, 15 min): {self.load_average}",
            f"- **PostgreSQL**: {self.postgres} (embedded, one server for the whole run, default settings)",
            f"- **Python**: {self.python}",
        ])


def _first(path: str, key: str) -> str:
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(key):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


def memory_gib() -> float:
    total = _first("/proc/meminfo", "MemTotal")
    return int(total.split()[0]) / 1024 / 1024 if total != "unknown" else 0.0


def commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    head = git("rev-parse", "HEAD") or "unknown"
    # Only tracked files count: the run writes BENCHMARKS.md itself.
    changed = [line for line in git("status", "--porcelain", "--untracked-files=no").splitlines()
               if not line.endswith("BENCHMARKS.md")]
    return head + (" with uncommitted changes" if changed else "")


def describe(postgres_version: str, argv: list[str]) -> Machine:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return Machine(
        cores=os.cpu_count() or 0,
        memory_gib=memory_gib(),
        cpu_model=_first("/proc/cpuinfo", "model name"),
        python=f"{platform.python_implementation()} {platform.python_version()}",
        load_average=load,
        postgres=postgres_version,
        date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        commit=commit(),
        command=shlex.join(["bench/run", *argv]),
    )


def rss_mib(pid: int) -> float | None:
    """A process's resident memory now, from /proc (None once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def python() -> str:
    return sys.executable
