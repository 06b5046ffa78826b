"""Every service's OpenAPI document says, for every operation, the problems it can answer with,
who may call it (from the very rule the route is guarded by) and a stable operationId
(shared/web/openapi.py). The routes and the callers come from the security tests' route table,
which walks every route of every app as every role: the document must agree with it."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
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
from shared.web.openapi import _operation_ids
from shared.web.problems import PROBLEM_JSON

sys.path.insert(0, str(Path(__file__).parents[1] / "security"))
from security_route_table import PEOPLE, GuardedRoute, app_factory, routes_of  # noqa: E402

PROBLEM_REF = "#/components/schemas/Problem"
# Answers that are not problems, declared so by their route: /ready's 503 is its readiness body.
NOT_PROBLEMS = frozenset({("GET", "/ready", "503")})
# The operations probes say themselves why their 503 has no Retry-After (restart, not retry).
NO_RETRY_AFTER = frozenset({("GET", "/health"), ("GET", "/ready")})


@pytest.fixture
def built(monkeypatch, signing_key):
    monkeypatch.setenv("DATABASE_URL", "postgresql://apps-are-built-not-started/none")
    return lambda spec: app_factory(spec)()


def operation_of(document: dict, method: str, path: str) -> dict:
    operation = document["paths"].get(path, {}).get(method.lower())
    assert operation is not None, f"{method} {path} is not in the document"
    return operation


def admitted_roles(route: GuardedRoute) -> list[str]:
    return sorted(c.role.value for c in PEOPLE if route.admits(c.principal()))


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_every_guarded_operation_documents_refusals_and_who_may_call_it(spec, built):
    app = built(spec)
    document = app.openapi()
    found = routes_of(spec.name, app)
    assert found.guarded
    problems = []
    for route in found.guarded:
        operation = operation_of(document, route.method, route.path)
        responses = operation["responses"]
        expected = {"401", "403", "503"}
        if "{" in route.path or (route.writes and "requestBody" in operation):
            expected.add("404")
        if "requestBody" in operation:
            expected.add("400")
        if operation.get("parameters") or "requestBody" in operation:
            expected.add("422")
        if route.writes:
            expected |= {"409", "429"}
            if "requestBody" in operation:
                expected |= {"413", "415"}
        if missing := expected - set(responses):
            problems.append(f"{route.label}: documents no {', '.join(sorted(missing))}")
        if not route.writes and {"409", "429", "413", "415"} & set(responses):
            problems.append(f"{route.label}: a read documents a write's refusals")

        roles = admitted_roles(route)
        if operation.get("x-roles") != roles:
            problems.append(f"{route.label}: x-roles {operation.get('x-roles')} but the rule admits {roles}")
        for caller in route.callers():
            principal = caller.principal()
            if principal is None or caller.role is not Role.SERVICE:
                continue
            documented = bool(operation.get("x-scopes")) and set(operation["x-scopes"]) <= caller.scopes
            if documented != route.admits(principal):
                problems.append(
                    f"{route.label}: x-scopes {operation.get('x-scopes')} disagrees with the rule for {caller.label}"
                )
        if "Who may call it: " not in operation.get("description", ""):
            problems.append(f"{route.label}: its description does not say who may call it")
        elif roles and not all(f"`{role}`" in operation["description"] for role in roles):
            problems.append(f"{route.label}: its description does not name every role admitted")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_every_documented_problem_uses_the_problem_schema(spec, built):
    document = built(spec).openapi()
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "field", "errors", "instance"}
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert "HTTPValidationError" not in document["components"]["schemas"]
    problems = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            responses = operation["responses"]
            if "503" not in responses:
                problems.append(f"{where}: documents no 503")
            for status, answer in responses.items():
                if not status.startswith(("4", "5")) or (method.upper(), path, status) in NOT_PROBLEMS:
                    continue
                content = answer.get("content", {})
                if set(content) != {PROBLEM_JSON} or content[PROBLEM_JSON]["schema"] != {"$ref": PROBLEM_REF}:
                    problems.append(f"{where} {status}: not an {PROBLEM_JSON} Problem: {content}")
                if status in ("429", "503") and (method.upper(), path) not in NO_RETRY_AFTER:
                    if "Retry-After" not in answer.get("headers", {}):
                        problems.append(f"{where} {status}: Retry-After is not documented")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_operation_ids_are_unique_and_the_same_in_every_build(spec, built):
    def operation_ids(document: dict) -> dict[tuple[str, str], str]:
        return {
            (method, path): operation["operationId"]
            for path, operations in document["paths"].items()
            for method, operation in operations.items()
        }

    app = built(spec)
    first = app.openapi()
    assert app.openapi() is first, "the document is built once and kept"
    ids = operation_ids(first)
    assert len(set(ids.values())) == len(ids), "an operationId is used twice"
    prefix = spec.name.replace("-", "_") + "_"
    assert all(name.startswith(prefix) and name.isidentifier() for name in ids.values()), ids
    again = built(spec).openapi()
    assert operation_ids(again) == ids
    assert again == first


# -- the rules themselves, on a small app -----------------------------------------------------

read_for_teachers = allow(Role.DESIGNATED_TEACHER, Role.AUDITOR, Role.VIRTUAL_SCHOOL_HEAD, scope="pep:read")
narrower = allow(Role.AUDITOR, Role.VIRTUAL_SCHOOL_HEAD)
write = allow(Role.VIRTUAL_SCHOOL_HEAD, scope="pep:write", writes=True)


def small_app():
    first = APIRouter()

    @first.get("/children/{child_id}")
    async def child(child_id: str, principal: Annotated[Principal, Depends(read_for_teachers)]) -> dict:
        """A child's record."""
        return {}

    @first.get("/both")
    async def both(
        principal: Annotated[Principal, Depends(read_for_teachers)], again: Annotated[Principal, Depends(narrower)]
    ) -> dict:
        return {}

    @first.post("/children")
    async def record(body: dict, principal: Annotated[Principal, Depends(write)]) -> dict:
        return {}

    return create_service_app(
        name="pep", title="pep", description="pep", settings=ServiceSettings(),
        catalogue=EventCatalogue("pep"), routers=[first],
    )


def test_the_rules_on_a_small_app(monkeypatch, signing_key):
    monkeypatch.setenv("DATABASE_URL", "postgresql://apps-are-built-not-started/none")
    document = small_app().openapi()
    child = operation_of(document, "GET", "/children/{child_id}")
    assert child["operationId"] == "pep_child"
    assert child["x-roles"] == ["auditor", "designated_teacher", "virtual_school_head"]
    assert child["x-scopes"] == ["pep:read"]
    assert child["description"].startswith("A child's record.\n\nWho may call it: roles `auditor`")
    assert "`out-of-data-scope`" in child["responses"]["403"]["description"]
    assert set(child["responses"]) == {"200", "401", "403", "404", "422", "503"}

    both = operation_of(document, "GET", "/both")
    assert both["x-roles"] == ["auditor", "virtual_school_head"]  # every rule must admit the caller
    assert both["x-scopes"] == []  # one rule admits no service account
    assert "`out-of-data-scope`" not in both["responses"]["403"]["description"]

    write_op = operation_of(document, "POST", "/children")
    assert set(write_op["responses"]) >= {"400", "401", "403", "404", "409", "413", "415", "422", "429", "503"}
    assert "`idempotency-key-reused`" in write_op["responses"]["422"]["description"]
    assert "`idempotency-key-reused`" not in child["responses"]["422"]["description"]

    health = operation_of(document, "GET", "/health")
    assert "x-roles" not in health and "anyone, without a token" in health["description"]
    assert set(health["responses"]) == {"200", "503"}


def test_a_name_two_operations_share_is_qualified_by_its_module():
    def route(name: str, module: str):
        async def endpoint() -> None: ...

        endpoint.__module__ = module
        return SimpleNamespace(name=name, endpoint=endpoint)

    routes = [
        (route("approve", "pupil_premium.api.requests"), "POST"),
        (route("approve", "pupil_premium.api.projects"), "POST"),
        (route("feed", "event_log.api.feed"), "GET"),
    ]
    assert _operation_ids("pupil-premium", routes) == [
        "pupil_premium_requests_approve", "pupil_premium_projects_approve", "pupil_premium_feed",
    ]
    with pytest.raises(RuntimeError, match="used twice"):
        _operation_ids("pep", [(route("record", "pep.api.x"), "POST")] * 2)
