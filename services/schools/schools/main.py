"""The schools service's app: `uvicorn --factory schools.main:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from shared.events import EventCatalogue
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

DESCRIPTION = """The register of schools, Ofsted inspections, the council's categorisation of each school and the support it allocates."""


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    spec = service("schools")
    return create_service_app(
        name=spec.name,
        title="Schools",
        description=DESCRIPTION,
        settings=settings or ServiceSettings(),
        catalogue=EventCatalogue(spec.name),
        routers=[],
        migrations=[spec.migrations] if spec.migrations else [],
    )
