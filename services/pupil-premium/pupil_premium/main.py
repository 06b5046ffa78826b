"""The pupil-premium service's app: `uvicorn --factory pupil_premium.main:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.events import EventCatalogue
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

DESCRIPTION = """PP+ budgets, requests against PEP targets, panel decisions and payments."""


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    spec = service("pupil-premium")
    return create_service_app(
        name=spec.name,
        title="Pupil Premium Plus",
        description=DESCRIPTION,
        settings=settings or ServiceSettings(),
        catalogue=EventCatalogue(spec.name),
        routers=[],
        migrations=[spec.migrations] if spec.migrations else [],
    )
