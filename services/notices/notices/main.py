"""The notices service's app: `uvicorn --factory notices.main:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.events import EventCatalogue
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

DESCRIPTION = """Section 60 warning notices, eligibility for intervention and the powers that follow."""


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    spec = service("notices")
    return create_service_app(
        name=spec.name,
        title="Warning notices and intervention",
        description=DESCRIPTION,
        settings=settings or ServiceSettings(),
        catalogue=EventCatalogue(spec.name),
        routers=[],
        migrations=[spec.migrations] if spec.migrations else [],
    )
