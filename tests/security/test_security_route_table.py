"""For every route of every service, every role gets what the route's declared rule and the
domain's never/always table say: allowed, 401 or 403. Routes are read from the apps themselves,
so a route added tomorrow is checked tomorrow, and one without a rule fails here."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends

from shared.events import EventCatalogue
from shared.security.access import allow
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.services import SERVICES
from shared.settings import ServiceSettings
from shared.web.app import create_service_app

sys.path.insert(0, str(Path(__file__).parent))
from security_route_table import (  # noqa: E402
    PEOPLE,
    PUBLIC_OPERATIONS,
    app_factory,
    check_answers,
    openapi_problems,
    routes_of,
    rule_problems,
)


def declared_problems(found) -> list[str]:
    problems = [f"{label}: declares no access rule" for label in found.unguarded]
    problems += [f"{label}: not an HTTP API route, so it cannot be checked" for label in found.uncheckable]
    for route in found.guarded:
        problems += rule_problems(route)
    return problems


def test_every_route_of_every_service_declares_a_rule_that_agrees_with_the_domain(monkeypatch, signing_key):
    monkeypatch.setenv("DATABASE_URL", "postgresql://apps-are-built-not-started/none")
    problems = []
    for spec in SERVICES:
        app = app_factory(spec)()
        found = routes_of(spec.name, app)
        assert set(found.public) <= PUBLIC_OPERATIONS
        problems += declared_problems(found) + openapi_problems(app, found)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
async def test_every_caller_gets_what_the_rule_and_the_domain_say_on_every_route(
    spec, service_client, token, monkeypatch
):
    monkeypatch.setenv("WRITE_RATE_PER_MINUTE", "1000000")
    async with service_client(app_factory(spec)) as client:
        found = routes_of(spec.name, client.app)
        problems = declared_problems(found)
        answers, calls = await check_answers(client, found, token)
        problems += answers
        for path in ("/health", "/openapi.json"):
            assert (await client.get(path)).status_code == 200, path
    assert not problems, f"{len(problems)} wrong answers in {calls} calls:\n" + "\n".join(problems)


# -- the checker itself catches wrong rules, not only missing ones ---------------------------


# Rules as a careless colleague might write them (module-level, as FastAPI resolves annotations here).
approve = allow(Role.VIRTUAL_SCHOOL_HEAD, Role.SOCIAL_WORKER, scope="pupil-premium:write", writes=True)
give = allow(Role.PRINCIPAL_ADVISER, Role.DESIGNATED_TEACHER, scope="notices:write", writes=True)
read_as_write = allow(Role.AUDITOR, Role.SCHOOL_IMPROVEMENT_ADVISER, scope="schools:read")
advisers_only = allow(Role.PRINCIPAL_ADVISER, scope="schools:read")
other_services_scope = allow(Role.AUDITOR, scope="pep:read")


def wrongly_guarded_apps() -> dict[str, object]:
    """Routes guarded by those rules, filed under the services they mimic."""
    finance = APIRouter()

    @finance.post("/requests/{request_id}/decision")
    async def decide(request_id: str, principal: Annotated[Principal, Depends(approve)]) -> dict:
        return {}

    notices = APIRouter()

    @notices.post("/notices")
    async def give_notice(principal: Annotated[Principal, Depends(give)]) -> dict:
        return {}

    schools = APIRouter()

    @schools.post("/schools/{urn}/visits")
    async def record_visit(urn: str, principal: Annotated[Principal, Depends(read_as_write)]) -> dict:
        return {}

    @schools.get("/schools/{urn}")
    async def school(urn: str, principal: Annotated[Principal, Depends(advisers_only)]) -> dict:
        return {}

    @schools.get("/schools/{urn}/children")
    async def children(urn: str, principal: Annotated[Principal, Depends(other_services_scope)]) -> dict:
        return {}

    @schools.get("/unguarded")
    async def unguarded() -> dict:
        return {}

    def app(name: str, router: APIRouter):
        return create_service_app(
            name=name, title=name, description=name, settings=ServiceSettings(),
            catalogue=EventCatalogue(name), routers=[router],
        )

    return {
        "pupil-premium": lambda: app("pupil-premium", finance),
        "notices": lambda: app("notices", notices),
        "schools": lambda: app("schools", schools),
    }


def test_the_table_catches_rules_that_admit_the_wrong_people(monkeypatch, signing_key):
    monkeypatch.setenv("DATABASE_URL", "postgresql://apps-are-built-not-started/none")
    problems = "\n".join(
        p for name, factory in wrongly_guarded_apps().items() for p in declared_problems(routes_of(name, factory()))
    )
    expected = [
        "pupil-premium POST /requests/{request_id}/decision: the rule admits social_worker, but social workers",
        "notices POST /notices: the rule admits designated_teacher, but designated teachers",
        "schools POST /schools/{urn}/visits: a write route declared with a read rule",
        "schools POST /schools/{urn}/visits: the rule admits auditor, but auditors write nothing",
        "schools GET /schools/{urn}: the rule refuses auditor, but auditors read everything",
        "schools GET /schools/{urn}/children: its service-account scope 'pep:read' names another service",
        "schools GET /unguarded: declares no access rule",
    ]
    for finding in expected:
        assert finding in problems, f"not caught: {finding}\n{problems}"


async def test_the_calls_catch_a_wrong_rule_from_the_answers_alone(service_client, token, monkeypatch):
    async with service_client(wrongly_guarded_apps()["pupil-premium"]) as client:
        problems, calls = await check_answers(client, routes_of("pupil-premium", client.app), token)
    assert calls == len(PEOPLE) + 3  # every role, a service account with and without the scope, nobody
    assert problems == [
        "pupil-premium POST /requests/{request_id}/decision as social_worker: 200, expected 403"
    ]
