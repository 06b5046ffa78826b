"""The service's scheduled job: publishing signed checkpoints, its only write, and not a route.

Each run signs the head of the log when the log has grown and the last checkpoint is at least
``every`` old, after verifying the chain since the last one. Run on several instances, only one of
them publishes each checkpoint. Its outcomes are the service's checkpoint metrics.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from shared.eventlog.checkpoints import ChainBroken, publish_checkpoint
from shared.scheduler import ScheduledJob

from event_log.wiring import from_state


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
