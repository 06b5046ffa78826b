"""The pupil-premium service's app: `uvicorn --factory pupil_premium.main:create_app`.

It owns the PP+ budget streams (``ppbudget-<financial year>``) and the council's PP+ settings
(``ppconfig-council``), reads the pep service's events about children and PEPs, keeps its read
models in the ``pupil_premium`` schema, and links the outcome of funded targets to the spend when
the pep service completes a PEP review.
"""

from __future__ import annotations

from fastapi import FastAPI

from shared.eventlog.subscriptions import Projection
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

from pupil_premium.api import routers
from pupil_premium.domain.catalogue import reading_catalogue
from pupil_premium.policies import ImpactAtNextReview
from pupil_premium.projections import read_models
from pupil_premium.wiring import from_state

DESCRIPTION = """PP+ budgets, requests against PEP targets, panel decisions and payments.

Money is always whole pence. Every POST accepts an `Idempotency-Key`; decisions on a budget
honour `If-Match` with the budget's ETag (a stale one is refused with 409)."""


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    spec = service("pupil-premium")

    def projections() -> list[Projection]:
        # Called by the lifespan once the event store exists: the policy appends through it.
        return [*read_models(), ImpactAtNextReview(from_state(app.state))]

    app = create_service_app(
        name=spec.name,
        title="Pupil Premium Plus",
        description=DESCRIPTION,
        settings=settings or ServiceSettings(),
        catalogue=reading_catalogue(),
        routers=routers(),
        migrations=[spec.migrations] if spec.migrations else [],
        projections=projections,
    )
    return app
