"""The event-log service's app: `uvicorn --factory event_log.main:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.events import EventCatalogue
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

DESCRIPTION = """Read-only access to the council's event log: the feed, stream histories, timelines, replay and verification."""


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    spec = service("event-log")
    return create_service_app(
        name=spec.name,
        title="Event log",
        description=DESCRIPTION,
        settings=settings or ServiceSettings(),
        catalogue=EventCatalogue(spec.name),
        routers=[],
        migrations=[spec.migrations] if spec.migrations else [],
    )
