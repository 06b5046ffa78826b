"""The pep service's app: `uvicorn --factory pep.main:create_app`.

Wires the service's catalogue (its own events, and the schools and notices events its policy
reads), the routers, the read-model projections, the school-concern policy and the PEP deadline
scheduler. Nothing touches the database until the app's lifespan starts.
"""

from __future__ import annotations

from fastapi import FastAPI

from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

from pep.api import alerts, attendance, children, council, peps, reports, virtual_school
from pep.deadlines import MISSING_EDUCATION, PEP_DEADLINES
from pep.domain.catalogue import pep_reading_catalogue
from pep.policies import SchoolConcernPolicy
from pep.projections import read_models
from pep.wiring import from_state

DESCRIPTION = """Looked-after children, their school places and their Personal Education Plans, for the
virtual school.

Children's care and school places, each PEP from initiation to quality assurance, the council's
term dates and PEP timing policy, the virtual school's roll and reports, overdue PEPs recorded by
the deadline scheduler, and alerts when a school with looked-after children on roll gives cause
for concern."""


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    spec = service("pep")
    catalogue = pep_reading_catalogue()

    def subscriptions():
        # Called by the lifespan, once the store and the clock are in place. The policy comes
        # first, so catching up in order also brings the alerts it appends into the read models.
        return [
            SchoolConcernPolicy(from_state(app.state)),
            *read_models(catalogue),
        ]

    app = create_service_app(
        name=spec.name,
        title="Personal Education Plans",
        description=DESCRIPTION,
        settings=settings or ServiceSettings(),
        catalogue=catalogue,
        routers=[
            children.router,
            peps.router,
            virtual_school.router,
            reports.router,
            alerts.router,
            council.router,
            attendance.router,
        ],
        migrations=[spec.migrations] if spec.migrations else [],
        projections=subscriptions,
        jobs=[PEP_DEADLINES, MISSING_EDUCATION],
    )
    return app
