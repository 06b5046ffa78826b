"""What every route, handler and scheduled job of the event-log service works with, in one value.

Built from the app's state once the lifespan has opened the pool and the event store, so nothing
here exists at import time. The service reads the log, folds other services' streams with their
own code (``registry``), wakes the feed's followers (``watcher``) and signs checkpoints
(``checkpoint_signer``); the one thing it decides is the data protection officer's records (legal
holds, erasures, the retention schedule), loaded and appended through ``decisions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request

from shared.eventlog.checkpoints import CheckpointKeys, CheckpointSigner
from shared.eventlog.store import EventStore
from shared.observability.metrics import CheckpointMetrics
from shared.web.commands import Loaded, ServiceLog

from event_log.domain import retention
from event_log.follow import LogWatcher
from event_log.metrics import RetentionMetrics
from event_log.registry import Registry


@dataclass(frozen=True)
class EventLog:
    pool: asyncpg.Pool
    store: EventStore
    """For a stream's current version (its ETag)."""
    decisions: ServiceLog
    """The data protection officer's records, loaded, decided and appended like any service's."""
    clock: Any
    """The app's clock (``now()``, ``today()``), fixed in tests."""
    registry: Registry
    """Each service's catalogue and folds, read from its declared ``replay`` module."""
    watcher: LogWatcher
    """Woken when the log grows, so long-polling and streaming followers answer at once."""
    checkpoint_signer: CheckpointSigner
    """Signs the checkpoints this service publishes."""
    checkpoint_keys: CheckpointKeys
    """The public keys a checkpoint is checked against: the signer's and any retired ones."""
    checkpoint_metrics: CheckpointMetrics
    """Where the checkpoint job reports verifying the chain and failing to publish."""
    retention_metrics: RetentionMetrics
    """Where the retention review reports what it found due and the erasures it finished."""

    async def retention_schedules(self) -> Loaded[retention.RetentionSchedules]:
        """The council's retention schedule, every version of it."""
        return await self.decisions.load(retention.RETENTION_STREAM, retention.NO_SCHEDULES, retention.evolve)


def from_state(state: Any) -> EventLog:
    return EventLog(
        pool=state.pool,
        store=state.store,
        decisions=ServiceLog(state.store, state.catalogue),
        clock=state.clock,
        registry=state.registry,
        watcher=state.log_watcher,
        checkpoint_signer=state.checkpoint_signer,
        checkpoint_keys=state.checkpoint_keys,
        checkpoint_metrics=state.checkpoint_metrics,
        retention_metrics=state.retention_metrics,
    )


def _root(request: Request) -> EventLog:
    return from_state(request.app.state)


EventLogDep = Annotated[EventLog, Depends(_root)]
