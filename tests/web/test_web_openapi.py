"""Every service's OpenAPI document says, for every operation, the problems it can answer with,
who may call it (from the very rule the route is guarded by), a stable operationId and the
headers it honours and answers with (shared/web/openapi.py). The routes and the callers come from
the security tests' route table, which walks every route of every app as every role: the
document must agree with it."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, Response

from shared.events import EventCatalogue
from shared.security.access import allow
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.services import SERVICES
from shared.settings import ServiceSettings
from shared.web.app import create_service_app
from shared.web.context import IDEMPOTENCY_KEY, ContextDep, UnversionedContextDep
from shared.web.openapi import _operation_ids
from shared.web.problems import PROBLEM_JSON

sys.path.insert(0, str(Path(__file__).parents[1] / "security"))
from security_route_table import PEOPLE, GuardedRoute, app_factory, routes_of  # noqa: E402

PROBLEM_REF = "#/components/schemas/Problem"
# Answers that are not problems, declared so by their route: /ready's 503 is its readiness body.
NOT_PROBLEMS = frozenset({("GET", "/ready", "503")})
# The operations probes say themselves why their 503 has no Retry-After (restart, not retry).
NO_RETRY_AFTER = frozenset({("GET", "/health"), ("GET", "/ready")})

# Writes that change no one record a caller could hold the version of: If-Match is not read there
# (services/schools/tests/api/test_schools_declared_headers_api.py shows it), and no ETag is given.
DEAD_LETTER_ACTIONS = frozenset(
    {
        ("POST", "/operations/dead-letters/{letter_id}/retry"),
        ("POST", "/operations/dead-letters/{letter_id}/skip"),
    }
)
UNVERSIONED_WRITES = DEAD_LETTER_ACTIONS | {
    ("POST", "/schools/imports"),
    ("POST", "/schools/imports/national-register"),
    ("POST", "/schools/imports/register-links"),
    ("POST", "/attendance/marks"),
}
# The reads that answer with the version of the record they show as its ETag, found by reading
# every route (they set ``response.headers["ETag"]``).
ETAG_READS = frozenset(
    {
        ("schools", "/schools/{urn}"),
        ("schools", "/configuration"),
        ("schools", "/council/term-dates"),
        ("pep", "/children/{child_id}"),
        ("pep", "/children/{child_id}/peps"),
        ("pep", "/children/{child_id}/peps/{pep_id}"),
        ("pupil-premium", "/budgets/{financial_year}"),
        ("pupil-premium", "/budgets/{financial_year}/payment-runs/{run_id}"),
        ("notices", "/notices/{notice_id}"),
        ("notices", "/interventions/{urn}"),
        ("notices", "/interventions/{urn}/consultations/{consultation_id}"),
        ("notices", "/directions/{direction_id}"),
        ("notices", "/academy-concerns/{urn}"),
        ("notices", "/secretary-of-state-notices/{urn}"),
        ("notices", "/academy-orders/{urn}"),
        ("notices", "/academy-order-law"),
        ("event-log", "/streams/{stream_id}"),
        ("event-log", "/streams/{stream_id}/state"),
        ("event-log", "/privacy/retention-schedule"),
        ("event-log", "/privacy/children/{child_id}"),
    }
)


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


# The headers every service honours by rule (a route may take others of its own: the feed's
# Last-Event-ID).
RULED_HEADERS = frozenset({"Idempotency-Key", "If-Match", "Min-Log-Position"})


def header_parameters(operation: dict) -> dict[str, dict]:
    return {
        p["name"]: p
        for p in operation.get("parameters", [])
        if p["in"] == "header" and p["name"] in RULED_HEADERS
    }


def success_headers(operation: dict) -> dict[str, set[str]]:
    """The headers each success answer (2xx) declares, by status."""
    return {
        code: set(answer.get("headers", {}))
        for code, answer in operation["responses"].items()
        if code.startswith("2")
    }


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_the_headers_each_operation_honours_are_declared_on_it_and_nowhere_else(spec, built):
    """Idempotency-Key on every write; If-Match, and an ETag in the answer, on every write to one
    record; Log-Position in the answer of every write that records events; Min-Log-Position on
    every operation of the service's own routes (reads and writes: the dependency every one of
    them has); an ETag on the reads that give one; none of them anywhere else."""
    app = built(spec)
    document = app.openapi()
    found = routes_of(spec.name, app)
    problems = []
    for route in found.guarded:
        operation = operation_of(document, route.method, route.path)
        sent = header_parameters(operation)
        answered = success_headers(operation)
        key = (route.method, route.path)
        expected_sent = set()
        expected_answered = set()
        if route.writes:
            expected_sent.add("Idempotency-Key")
            if key not in UNVERSIONED_WRITES:
                expected_sent.add("If-Match")
                expected_answered.add("ETag")
            if key not in DEAD_LETTER_ACTIONS:
                expected_answered.add("Log-Position")
        elif (spec.name, route.path) in ETAG_READS:
            expected_answered.add("ETag")
        if not route.path.startswith("/operations/"):
            expected_sent.add("Min-Log-Position")
        if set(sent) != expected_sent:
            problems.append(
                f"{route.label}: declares the request headers {sorted(sent)}, not {sorted(expected_sent)}"
            )
        if not answered:
            problems.append(f"{route.label}: documents no success answer")
        for code, names in answered.items():
            if names != expected_answered:
                problems.append(
                    f"{route.label} {code}: declares the headers {sorted(names)}, not {sorted(expected_answered)}"
                )
        for name, parameter in sent.items():
            if parameter.get("required") or len(parameter.get("description", "")) < 80:
                problems.append(
                    f"{route.label}: {name} is required, or not described so a caller can act on it"
                )
        if (
            "Idempotency-Key" in sent
            and sent["Idempotency-Key"]["schema"].get("pattern") != IDEMPOTENCY_KEY.pattern
        ):
            problems.append(f"{route.label}: Idempotency-Key's pattern is not the one the service checks")
    assert not problems, "\n".join(problems)


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
        principal: Annotated[Principal, Depends(read_for_teachers)],
        again: Annotated[Principal, Depends(narrower)],
    ) -> dict:
        return {}

    @first.post("/children")
    async def record(body: dict, principal: Annotated[Principal, Depends(write)]) -> dict:
        return {}

    return create_service_app(
        name="pep",
        title="pep",
        description="pep",
        settings=ServiceSettings(),
        catalogue=EventCatalogue("pep"),
        routers=[first],
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
    assert set(write_op["responses"]) >= {
        "400",
        "401",
        "403",
        "404",
        "409",
        "413",
        "415",
        "422",
        "429",
        "503",
    }
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
        "pupil_premium_requests_approve",
        "pupil_premium_projects_approve",
        "pupil_premium_feed",
    ]
    with pytest.raises(RuntimeError, match="used twice"):
        _operation_ids("pep", [(route("record", "pep.api.x"), "POST")] * 2)


def headers_app():
    router = APIRouter()

    @router.post("/records/{record_id}/notes")
    async def write_one(
        record_id: str, body: dict, principal: Annotated[Principal, Depends(write)], ctx: ContextDep
    ):
        return {}

    @router.post("/imports")
    async def write_many(
        body: dict, principal: Annotated[Principal, Depends(write)], ctx: UnversionedContextDep
    ):
        return {}

    @router.get("/report")
    async def report(principal: Annotated[Principal, Depends(narrower)], ctx: ContextDep) -> dict:
        return {}  # a read that takes the context for today's date: it honours neither header

    @router.get("/records/{record_id}")
    async def one(
        record_id: str, principal: Annotated[Principal, Depends(narrower)], response: Response
    ) -> dict:
        response.headers["ETag"] = '"1"'
        return {}

    return create_service_app(
        name="pep",
        title="pep",
        description="pep",
        settings=ServiceSettings(),
        catalogue=EventCatalogue("pep"),
        routers=[router],
    )


def test_the_header_rules_on_a_small_app(monkeypatch, signing_key):
    monkeypatch.setenv("DATABASE_URL", "postgresql://apps-are-built-not-started/none")
    document = headers_app().openapi()

    one_record = operation_of(document, "POST", "/records/{record_id}/notes")
    assert set(header_parameters(one_record)) == {"Idempotency-Key", "If-Match", "Min-Log-Position"}
    assert success_headers(one_record) == {"200": {"ETag", "Log-Position"}}
    assert "409" in header_parameters(one_record)["If-Match"]["description"]

    many = operation_of(document, "POST", "/imports")
    assert set(header_parameters(many)) == {"Idempotency-Key", "Min-Log-Position"}
    assert success_headers(many) == {"200": {"Log-Position"}}

    report = operation_of(document, "GET", "/report")
    assert set(header_parameters(report)) == {"Min-Log-Position"}
    assert success_headers(report) == {"200": set()}

    record = operation_of(document, "GET", "/records/{record_id}")
    assert success_headers(record) == {"200": {"ETag"}}
    assert "If-Match" in record["responses"]["200"]["headers"]["ETag"]["description"]
