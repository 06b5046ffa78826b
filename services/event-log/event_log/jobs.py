"""The service's scheduled job: publishing signed checkpoints, its only write, and not a route.

Each run signs the head of the log when the log has grown and the last checkpoint is at least
``every`` old. Run on several instances, only one of them publishes each checkpoint.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.eventlog.checkpoints import publish_checkpoint
from shared.scheduler import ScheduledJob

from event_log.wiring import from_state


def checkpoint_publication(every: timedelta) -> ScheduledJob:
    async def run(state: Any) -> int:
        log = from_state(state)
        published = await publish_checkpoint(
            log.pool, log.checkpoint_signer, log.clock.now(), min_interval=every
        )
        return 1 if published is not None else 0

    return ScheduledJob("publish-signed-checkpoint", run)
