"""Publishing signed checkpoints on a schedule: the service's only write, and not a route.

Each run signs the head of the log when the log has grown and the last checkpoint is at least
``every`` old. Run on several instances, only one of them publishes each checkpoint.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.eventlog.checkpoints import publish_checkpoint
from shared.scheduler import ScheduledJob


def checkpoint_publication(every: timedelta) -> ScheduledJob:
    async def run(state: Any) -> int:
        published = await publish_checkpoint(
            state.pool, state.checkpoint_signer, state.clock.now(), min_interval=every
        )
        return 1 if published is not None else 0

    return ScheduledJob("publish-signed-checkpoint", run)
