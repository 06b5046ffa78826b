"""The event-log service's app: `uvicorn --factory event_log.main:create_app`."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import timedelta

from fastapi import FastAPI

from shared.eventlog.subscriptions import LogNotifier
from shared.migrations import asyncpg_url
from shared.observability.metrics import CheckpointMetrics
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

from event_log.api import (
    catalogue,
    checkpoints,
    exports,
    feed,
    privacy,
    record_reads,
    state,
    streams,
    subject_access,
    timelines,
    verification,
)
from event_log.domain.catalogue import CATALOGUE
from event_log.follow import LogWatcher, closed_on_exit
from event_log.jobs import checkpoint_publication, retention_review
from event_log.metrics import RetentionMetrics
from event_log.registry import Registry, discover
from event_log.settings import EventLogSettings

DESCRIPTION = (
    "The council's event log: the feed, stream histories, timelines, replay and verification, read-only; "
    "and the data protection officer's records kept in it: legal holds, erasures and the retention schedule."
)

ROUTERS = (
    feed.router,
    streams.router,
    timelines.router,
    state.router,
    verification.router,
    checkpoints.router,
    exports.router,
    catalogue.router,
    record_reads.router,
    privacy.router,
    subject_access.router,
)


def create_app(settings: ServiceSettings | None = None, *, registry: Registry | None = None) -> FastAPI:
    spec = service("event-log")
    settings = _event_log_settings(settings)
    signer = settings.checkpoint_signer()
    app = create_service_app(
        name=spec.name,
        title="Event log",
        description=DESCRIPTION,
        settings=settings,
        catalogue=CATALOGUE,
        routers=ROUTERS,
        migrations=[spec.migrations] if spec.migrations else [],
        jobs=[
            checkpoint_publication(timedelta(seconds=settings.checkpoint_every_seconds)),
            retention_review(timedelta(seconds=settings.retention_review_every_seconds)),
        ],
    )
    app.state.registry = registry if registry is not None else discover()
    app.state.checkpoint_signer = signer
    app.state.checkpoint_keys = settings.checkpoint_keys(signer)
    app.state.checkpoint_metrics = CheckpointMetrics(app.state.metrics)
    app.state.retention_metrics = RetentionMetrics(app.state.metrics)
    app.state.log_watcher = LogWatcher()
    _follow_the_log(app, asyncpg_url(settings.database_url))
    return app


def _event_log_settings(settings: ServiceSettings | None) -> EventLogSettings:
    if settings is None:
        return EventLogSettings()
    if isinstance(settings, EventLogSettings):
        return settings
    return EventLogSettings(**settings.model_dump())


def _follow_the_log(app: FastAPI, dsn: str) -> None:
    """Around the shared lifespan: one listening connection that wakes the feed's followers, who
    are told to finish as soon as the service is told to stop."""
    shared_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI):
        async with shared_lifespan(app_):
            notifier = LogNotifier(dsn, [app_.state.log_watcher])
            notifier.start()
            app_.state.own_background_tasks = {"feed_listener": notifier}
            try:
                with closed_on_exit(app_.state.log_watcher):
                    yield
            finally:
                await notifier.stop()

    app.router.lifespan_context = lifespan
