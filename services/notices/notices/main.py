"""The notices service's app: `uvicorn --factory notices.main:create_app`.

Wires the event catalogue, the routers, the subscriptions (read models and reactions) and the
deadline scheduler. The rule book (the legal regimes by date) and the working-day calendar are
passed in, so a council can be run under another rule book without changing code.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from shared.eventlog.subscriptions import Projection
from shared.services import service
from shared.settings import ServiceSettings
from shared.web.app import create_service_app
from notices.api import routers
from notices.deadlines import deadline_jobs
from notices.domain.catalogue import notices_catalogue, read_catalogue
from notices.domain.rules import DEFAULT_RULE_BOOK, RuleBook
from notices.domain.working_days import WorkingDayCalendar
from notices.policies import Reactions
from notices.projections import read_models
from notices.wiring import ENGLAND_WORKING_DAYS, from_state

DESCRIPTION = """Section 60 warning notices, eligibility for intervention and the powers that follow
(Education and Inspections Act 2006, Part 4): drafting and giving notices to maintained schools,
representations and Ofsted's decision (notices given before 18 April 2016), compliance and notice
of intention, consultations and the powers of sections 63 to 66, the Secretary of State's
directions, and letters of concern about academies. Deadlines fire as events on their own."""


def subscriptions(state: Any) -> list[Projection]:
    """The read models and the reactions, built once the app's lifespan has opened the pool and
    the store."""
    return [*read_models(state), Reactions(from_state(state))]


def create_app(
    settings: ServiceSettings | None = None,
    *,
    rule_book: RuleBook = DEFAULT_RULE_BOOK,
    working_days: WorkingDayCalendar = ENGLAND_WORKING_DAYS,
) -> FastAPI:
    spec = service("notices")
    app: FastAPI | None = None

    def app_subscriptions():
        assert app is not None
        return subscriptions(app.state)

    app = create_service_app(
        name=spec.name,
        title="Warning notices and intervention",
        description=DESCRIPTION,
        settings=settings or ServiceSettings(),
        catalogue=notices_catalogue(),
        routers=routers(),
        migrations=[spec.migrations] if spec.migrations else [],
        projections=app_subscriptions,
        jobs=deadline_jobs(),
    )
    app.state.read_catalogue = read_catalogue()
    app.state.rule_book = rule_book
    app.state.working_days = working_days
    return app
