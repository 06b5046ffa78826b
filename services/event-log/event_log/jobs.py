"""The service's scheduled jobs, neither a statutory deadline (hence not ``deadlines.py``):

* publishing signed checkpoints: each run signs the head of the log when the log has grown and
  the last checkpoint is at least ``every`` old, after verifying the chain since the last one.
  Run on several instances, only one of them publishes each checkpoint. Its outcomes are the
  service's checkpoint metrics.
* the retention review, daily: it counts the children whose records the retention schedule says
  are due for erasure today, and those a legal hold stops, for the data protection officer's
  dashboards (the list itself is ``GET /privacy/retention/due``); and it finishes every erasure
  recorded in the log whose key was not destroyed (an erasure interrupted between its two
  steps). Its log line and metrics are counts: never a child's id or anything about them.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

from shared.eventlog.checkpoints import ChainBroken, publish_checkpoint
from shared.scheduler import ScheduledJob

from event_log.handlers.privacy import finish_erasures
from event_log.queries.privacy import due_for_erasure_on
from event_log.wiring import from_state

log = logging.getLogger(__name__)


def checkpoint_publication(every: timedelta) -> ScheduledJob:
    async def run(state: Any) -> int:
        log = from_state(state)
        metrics = log.checkpoint_metrics
        try:
            published = await publish_checkpoint(
                log.pool, log.checkpoint_signer, log.clock.now(), min_interval=every, keys=log.checkpoint_keys
            )
        except ChainBroken:
            metrics.chain_verified(ok=False)
            metrics.publication_failed()
            raise
        except Exception:
            metrics.publication_failed()
            raise
        if published is None:
            return 0  # nothing new to sign (or another instance signed it): nothing was verified
        metrics.chain_verified(ok=True)
        return 1

    return ScheduledJob("publish-signed-checkpoint", run)


def retention_review(every: timedelta) -> ScheduledJob:
    """Runs at start-up and then once ``every`` (a day), on the scheduler's ticks. Each instance
    of the service reviews for itself: finishing an erasure twice changes nothing."""
    last_run: float | None = None

    async def run(state: Any) -> int:
        nonlocal last_run
        if last_run is not None and time.monotonic() - last_run < every.total_seconds():
            return 0
        event_log = from_state(state)
        finished = await finish_erasures(event_log)
        schedules = (await event_log.retention_schedules()).state
        due = await due_for_erasure_on(event_log.pool, schedules, event_log.clock.today())
        held = sum(1 for d in due if d.held)
        event_log.retention_metrics.reviewed(due=len(due), held=held, finished=finished)
        log.info(
            "retention review: %d children's records due for erasure, %d of them under a legal hold; "
            "%d interrupted erasures finished",
            len(due),
            held,
            finished,
        )
        last_run = time.monotonic()
        return finished

    return ScheduledJob("retention-review", run)
