"""The pep service's app: `uvicorn --factory pep.main:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.events import EventCatalogue
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

DESCRIPTION = """Looked-after children, their school places and their Personal Education Plans, for the virtual school."""


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    spec = service("pep")
    return create_service_app(
        name=spec.name,
        title="Personal Education Plans",
        description=DESCRIPTION,
        settings=settings or ServiceSettings(),
        catalogue=EventCatalogue(spec.name),
        routers=[],
        migrations=[spec.migrations] if spec.migrations else [],
    )
