"""Deadlines that fire on their own.

A job runs when the service starts and then every ``interval`` seconds. Each job asks its
domain which deadline events are now due (as of the clock's today) and appends them with an
idempotency key naming the deadline, so a deadline fires exactly once: after a restart, after a
missed day, or with several instances of the service running.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from shared.tasks import cancel_and_wait

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    run: Callable[[Any], Awaitable[int]]  # given the app state; returns how many events it appended


@dataclass(frozen=True)
class JobRun:
    """A job's last run that ended without an error: when it ended (seconds since the epoch, the
    real time whatever clock the domain is given) and how many events it appended."""

    finished_at: float
    appended: int


class Scheduler:
    def __init__(self, state: Any, jobs: Sequence[ScheduledJob], interval_seconds: float) -> None:
        self._state = state
        self._jobs = list(jobs)
        self._interval = interval_seconds
        self._task: asyncio.Task[None] | None = None
        # By job name; a job that has not yet succeeded in this process has none.
        self.last_successes: dict[str, JobRun] = {}

    @property
    def job_names(self) -> list[str]:
        return [job.name for job in self._jobs]

    @property
    def running(self) -> bool:
        return not self._jobs or (self._task is not None and not self._task.done())

    def start(self) -> None:
        if self._jobs and self._task is None:
            self._task = asyncio.create_task(self._run_forever(), name="deadline-scheduler")

    async def stop(self) -> None:
        await cancel_and_wait(self._task)
        self._task = None

    async def run_once(self) -> int:
        fired = 0
        for job in self._jobs:
            try:
                appended = await job.run(self._state)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("scheduled job %s failed; it runs again next interval", job.name)
                continue
            self.last_successes[job.name] = JobRun(finished_at=time.time(), appended=appended)
            fired += appended
        return fired

    async def _run_forever(self) -> None:
        while True:
            await self.run_once()
            await asyncio.sleep(self._interval)
