"""The schools service's app: `uvicorn --factory schools.main:create_app`."""

from __future__ import annotations

from fastapi import FastAPI

from schools.api import routers
from schools.deadlines import JOBS
from schools.domain.catalogue import schools_catalogue
from schools.policies import SchoolsPolicies
from schools.projections import read_models
from schools.settings import SchoolsSettings
from shared.services import service
from shared.web.app import create_service_app

DESCRIPTION = """The register of schools, Ofsted inspections, the council's categorisation of each school and the support it allocates."""


def create_app(settings: SchoolsSettings | None = None) -> FastAPI:
    spec = service("schools")
    catalogue = schools_catalogue()

    def projections():
        # Called by the lifespan once the store exists. The policies come first so that, when
        # catching up, the events they append are there for the read models in the same pass.
        return [SchoolsPolicies(app.state), *read_models(catalogue)]

    app = create_service_app(
        name=spec.name,
        title="Schools",
        description=DESCRIPTION,
        settings=settings or SchoolsSettings(),
        catalogue=catalogue,
        routers=routers(),
        migrations=[spec.migrations] if spec.migrations else [],
        projections=projections,
        jobs=JOBS,
    )
    return app
