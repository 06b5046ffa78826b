"""Every route of every service, with its declared access rule, the callers to try it with, and
what each caller must get back.

Expectations come from two places: the rule each route declares (``allow(...)``), and the table
below of things domain.md says must never (or always) happen whatever a route declares. The
second catches a wrong rule, not only a missing one.
"""

from __future__ import annotations

import asyncio
import enum
import importlib
import json
import re
import types
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from urllib.parse import quote, unquote

import httpx
from fastapi import FastAPI
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts
from starlette.routing import Route

from shared.security.access import AccessRule, access_rules_of
from shared.security.data_scope import OUTSIDE_SCOPE_DETAIL, OUTSIDE_SCOPE_FIELD
from shared.security.principal import Principal
from shared.security.roles import Role
from shared.services import SERVICES, ServiceSpec

# The only routes that answer without a token: the operations probes, the metrics Prometheus
# scrapes on the internal network (the gateway does not route them), the API description and the
# catalogue of problem types it refers to.
PUBLIC_OPERATIONS = frozenset({
    "/health", "/ready", "/metrics", "/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc", "/problems",
    "/problems/{slug}",
})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The school the designated teacher of these tests teaches at, and the URN put in paths.
SAMPLE_URN = "118000"
# The event log changes only through the data protection officer's records, kept under this prefix.
PRIVACY_PREFIX = "/privacy/"


def service_scopes() -> frozenset[str]:
    return frozenset(f"{s.name}:{access}" for s in SERVICES for access in ("read", "write"))


@dataclass(frozen=True)
class Caller:
    """Someone calling a route: a role (a designated teacher at SAMPLE_URN), a service account
    with some scopes, or nobody (no token)."""

    label: str
    role: Role | None
    scopes: frozenset[str] = frozenset()

    @property
    def urn(self) -> str | None:
        return SAMPLE_URN if self.role is Role.DESIGNATED_TEACHER else None

    def principal(self) -> Principal | None:
        if self.role is None:
            return None
        return Principal(subject=self.label, role=self.role, urn=self.urn, scopes=self.scopes)


NOBODY = Caller("no token", None)
# Every person, operators included: they are tried on every route, and must be refused all but
# the operations routes.
PEOPLE = tuple(Caller(role.value, role) for role in sorted(set(Role) - {Role.SERVICE}, key=lambda r: r.value))
# Where operators act on parked events (shared/web/dead_letters.py), on every service with a schema.
OPERATIONS_PREFIX = "/operations/"


@dataclass
class GuardedRoute:
    service: str
    method: str
    route: RouteContext
    rules: list[AccessRule]

    @property
    def path(self) -> str:
        return self.route.path

    @property
    def label(self) -> str:
        return f"{self.service} {self.method} {self.path}"

    @property
    def writes(self) -> bool:
        return self.method not in SAFE_METHODS

    def admits(self, principal: Principal) -> bool:
        return bool(self.rules) and all(rule.allows(principal) for rule in self.rules)

    def callers(self) -> list[Caller]:
        """Every role, a service account holding the route's scope (when it has one), one holding
        every other scope of every service, and nobody."""
        scopes = {rule.scope for rule in self.rules}
        callers = [*PEOPLE]
        if None not in scopes:
            callers.append(Caller("service with " + " ".join(sorted(scopes)), Role.SERVICE, frozenset(scopes)))
        others = service_scopes() - scopes
        callers.append(Caller("service with every other scope", Role.SERVICE, others))
        callers.append(NOBODY)
        return callers

    def url(self, string_value: str | None = None) -> str:
        """The path with plausible values for its parameters (``string_value`` instead for every
        free-text one, to probe them)."""
        path = self.path
        for param in self.route.dependant.path_params:
            plausible = sample_value(param.name, param.field_info.annotation)
            value = string_value if string_value is not None and is_free_text(param.field_info.annotation) else plausible
            path = re.sub(r"\{" + re.escape(param.name) + r"(:[^}]*)?\}", quote(value, safe=""), path)
        return path


def is_free_text(annotation: object) -> bool:
    if annotation is str:
        return True
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return str in typing.get_args(annotation)
    return False


def sample_value(name: str, annotation: object) -> str:
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if args and typing.get_origin(annotation) is not typing.Literal:
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Literal:
        return str(typing.get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str(next(iter(annotation)).value)
    if annotation is bool:
        return "true"
    if annotation is int:
        return "2026" if "year" in name else "1"
    if annotation is float:
        return "1.0"
    if annotation is uuid.UUID:
        return "6f1c2d3e-4b5a-4c6d-8e7f-901234567890"
    if annotation is datetime:
        return "2026-11-02T10:00:00Z"
    if annotation is date:
        return "2026-11-02"
    lowered = name.lower()
    if "urn" in lowered:
        return SAMPLE_URN
    if "financial_year" in lowered:
        return "2026-27"
    if "year" in lowered:
        return "2026"
    if "term" in lowered:
        return "autumn"
    if "date" in lowered or lowered.endswith("_on"):
        return "2026-11-02"
    return "C000001"


@dataclass
class ServiceRoutes:
    service: str
    guarded: list[GuardedRoute] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    unguarded: list[str] = field(default_factory=list)  # no rule: a failure
    uncheckable: list[str] = field(default_factory=list)  # not an HTTP API route: a failure


def app_factory(spec: ServiceSpec) -> Callable[[], FastAPI]:
    module_name, factory = spec.app.split(":")
    return getattr(importlib.import_module(module_name), factory)


def routes_of(service: str, app: FastAPI) -> ServiceRoutes:
    """The app's routes as served: included routers walked, with their prefixes and their own
    dependencies (``iter_route_contexts`` gives each route as the app really runs it)."""
    found = ServiceRoutes(service)
    for route in iter_route_contexts(app.routes):
        original = route.original_route
        path = route.path or repr(original)
        if path in PUBLIC_OPERATIONS and isinstance(original, (APIRoute, Route)):
            found.public.append(path)
        elif not isinstance(original, APIRoute):
            found.uncheckable.append(f"{service} {type(original).__name__} {path}")
        else:
            rules = access_rules_of(route.dependant)
            for method in sorted(set(route.methods or ()) - {"HEAD", "OPTIONS"}):
                if not rules:
                    found.unguarded.append(f"{service} {method} {path}")
                else:
                    found.guarded.append(GuardedRoute(service, method, route, rules))
    return found


# -- what domain.md says, whatever a route declares ------------------------------------------


@dataclass(frozen=True)
class Expectation:
    reason: str
    applies: Callable[[GuardedRoute, Caller], bool]
    admitted: bool


def _writes_to_finance(route: GuardedRoute) -> bool:
    return route.service == "pupil-premium" and route.writes


def _categorisation_or_notice_write(route: GuardedRoute) -> bool:
    return route.writes and (route.service == "notices" or (route.service == "schools" and "categor" in route.path))


def _operations(route: GuardedRoute) -> bool:
    return route.path.startswith(OPERATIONS_PREFIX)


def _privacy_records(route: GuardedRoute) -> bool:
    """The data protection officer's records: legal holds, erasures, the retention schedule."""
    return route.service == "event-log" and route.path.startswith(PRIVACY_PREFIX)


EXPECTATIONS: tuple[Expectation, ...] = (
    Expectation(
        "auditors write nothing, anywhere",
        lambda r, c: c.role is Role.AUDITOR and r.writes,
        admitted=False,
    ),
    Expectation(
        "auditors read everything, including the log",
        lambda r, c: c.role is Role.AUDITOR and not r.writes,
        admitted=True,
    ),
    Expectation(
        "social workers are read-only on finance: no PP+ request, approval or payment",
        lambda r, c: c.role is Role.SOCIAL_WORKER and _writes_to_finance(r),
        admitted=False,
    ),
    Expectation(
        "designated teachers neither categorise schools nor give or act on warning notices",
        lambda r, c: c.role is Role.DESIGNATED_TEACHER and _categorisation_or_notice_write(r),
        admitted=False,
    ),
    Expectation(
        "operators run the services: they see nothing about children, schools or casework",
        lambda r, c: c.role is Role.OPERATOR and not _operations(r),
        admitted=False,
    ),
    Expectation(
        "operators see parked events and retry or skip them",
        lambda r, c: c.role is Role.OPERATOR and _operations(r),
        admitted=True,
    ),
    Expectation(
        "only operators retry or skip parked events",
        lambda r, c: c.role is not Role.OPERATOR and _operations(r) and r.writes,
        admitted=False,
    ),
    Expectation(
        "only the data protection officer places legal holds, erases personal data and sets the retention "
        "schedule",
        lambda r, c: c.role is not Role.DATA_PROTECTION_OFFICER and _privacy_records(r) and r.writes,
        admitted=False,
    ),
    Expectation(
        "the data protection officer keeps the privacy records: legal holds, erasure, retention",
        lambda r, c: c.role is Role.DATA_PROTECTION_OFFICER and _privacy_records(r),
        admitted=True,
    ),
    Expectation(
        "the data protection officer does no casework: they write nothing but the privacy records",
        lambda r, c: c.role is Role.DATA_PROTECTION_OFFICER and r.writes and not _privacy_records(r),
        admitted=False,
    ),
    Expectation(
        "a service account without a write scope for the service writes nothing there",
        lambda r, c: c.role is Role.SERVICE and r.writes and f"{r.service}:write" not in c.scopes,
        admitted=False,
    ),
)


def rule_problems(route: GuardedRoute) -> list[str]:
    """What is wrong with a route's declared rules, before anyone calls it."""
    problems = []
    if route.service == "event-log" and route.writes and not _privacy_records(route):
        problems.append(
            f"{route.label}: the event log changes only through the data protection officer's records "
            f"({PRIVACY_PREFIX}...)"
        )
    if route.writes and not any(rule.writes for rule in route.rules):
        problems.append(f"{route.label}: a write route declared with a read rule (allow(..., writes=True))")
    if not route.writes and any(rule.writes for rule in route.rules):
        problems.append(f"{route.label}: a read route declared with a write rule")
    for rule in route.rules:
        if rule.scope is not None and rule.scope.partition(":")[0] != route.service:
            problems.append(f"{route.label}: its service-account scope {rule.scope!r} names another service")
    for caller in route.callers():
        principal = caller.principal()
        if principal is None:
            continue
        for expectation in EXPECTATIONS:
            if expectation.applies(route, caller) and route.admits(principal) != expectation.admitted:
                verb = "admits" if route.admits(principal) else "refuses"
                problems.append(f"{route.label}: the rule {verb} {caller.label}, but {expectation.reason}")
    return problems


def expected_admitted(route: GuardedRoute, caller: Caller) -> bool:
    """The table wins over the rule, so a wrong rule shows up as a wrong HTTP answer too."""
    principal = caller.principal()
    if principal is None:
        return False
    for expectation in EXPECTATIONS:
        if expectation.applies(route, caller):
            return expectation.admitted
    return route.admits(principal)


def answer_problem(route: GuardedRoute, caller: Caller, status: int, body: object, headers) -> str | None:
    """Why an HTTP answer is wrong for this caller, or None when it is right."""
    where = f"{route.label} as {caller.label}: {status}"
    if status >= 500:
        return f"{where} (a server error)"
    if "x-content-type-options" not in headers:
        return f"{where} without security headers"
    if caller.role is None:
        if status != 401 or "www-authenticate" not in headers:
            return f"{where}, expected 401 with WWW-Authenticate"
        return None
    if expected_admitted(route, caller):
        if status == 401:
            return f"{where}, expected to be admitted"
        if status == 403 and not is_outside_data_scope(caller, body):
            return f"{where}, expected to be admitted"
        return None
    if status != 403:
        return f"{where}, expected 403"
    return None


def is_outside_data_scope(caller: Caller, body: object) -> bool:
    """A designated teacher admitted by role may still be refused one child (not on roll at
    their school): that refusal is the data scope working, not the rule failing."""
    return (
        caller.role is Role.DESIGNATED_TEACHER
        and isinstance(body, dict)
        and body.get("field") == OUTSIDE_SCOPE_FIELD
        and body.get("detail") == OUTSIDE_SCOPE_DETAIL
    )


def preferred_caller(route: GuardedRoute) -> Caller | None:
    """Someone the route admits, to reach its code (auditors first: they may read anything)."""
    for caller in route.callers():
        principal = caller.principal()
        if principal is not None and expected_admitted(route, caller) and route.admits(principal):
            if caller.role is Role.AUDITOR:
                return caller
    for caller in route.callers():
        principal = caller.principal()
        if principal is not None and expected_admitted(route, caller) and route.admits(principal):
            return caller
    return None


# -- calling every route as every caller -----------------------------------------------------

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
ANSWER_SECONDS = 20.0


def headers_for(caller: Caller, mint) -> dict[str, str]:
    """``mint`` is the ``token`` fixture."""
    if caller.role is None:
        return {}
    token = mint(caller.role.value, sub=caller.label, urn=caller.urn, scopes=sorted(caller.scopes) or None)
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Answer:
    status: int
    headers: httpx.Headers
    body: bytes

    def json(self) -> object:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


async def call(app, method: str, url: str, headers: dict[str, str], json_body: object = None) -> Answer:
    """One request straight into the ASGI app, returning as soon as the answer's first part is
    out: a route that streams (the event feed) or holds the request open is judged by its status
    without waiting for an end that never comes."""
    path, _, query = url.partition("?")
    body = json.dumps(json_body).encode() if json_body is not None else b""
    wire_headers = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    if json_body is not None:
        wire_headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": unquote(path), "raw_path": path.encode(), "root_path": "",
        "query_string": query.encode(), "headers": [(b"host", b"testserver"), *wire_headers],
        "client": ("127.0.0.1", 50000), "server": ("testserver", 80),
    }
    answered, finished = asyncio.Event(), asyncio.Event()
    sent_body = False
    start: dict = {}
    chunks: list[bytes] = []

    async def receive() -> dict:
        nonlocal sent_body
        if not sent_body:
            sent_body = True
            return {"type": "http.request", "body": body, "more_body": False}
        await finished.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False) or start.get("status") == 200:
                answered.set()

    task = asyncio.create_task(app(scope, receive, send))
    waiting = asyncio.create_task(answered.wait())
    await asyncio.wait({task, waiting}, timeout=ANSWER_SECONDS, return_when=asyncio.FIRST_COMPLETED)
    finished.set()
    waiting.cancel()
    if not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=ANSWER_SECONDS)  # never hang on an app that ignores it
    elif task.exception() is not None:
        raise task.exception()
    if not start:
        raise AssertionError(f"{method} {url} gave no answer in {ANSWER_SECONDS}s")
    return Answer(start["status"], httpx.Headers([(k.decode(), v.decode()) for k, v in start["headers"]]), b"".join(chunks))


def minimal_body(route: GuardedRoute) -> object:
    """An empty JSON object for a write: a permitted caller then gets 422 or 404."""
    return {} if route.method in BODY_METHODS else None


async def check_answers(client, found: ServiceRoutes, mint) -> tuple[list[str], int]:
    """Every guarded route called by every caller; the wrong answers, and how many calls."""
    problems: list[str] = []
    calls = 0
    for route in found.guarded:
        for caller in route.callers():
            answer = await call(client.app, route.method, route.url(), headers_for(caller, mint), minimal_body(route))
            calls += 1
            problem = answer_problem(route, caller, answer.status, answer.json(), answer.headers)
            if problem:
                problems.append(problem)
    return problems, calls


def openapi_problems(app: FastAPI, found: ServiceRoutes) -> list[str]:
    """Integrators read the rules from the OpenAPI document: every guarded route it lists must
    say it takes a bearer token."""
    paths = app.openapi().get("paths", {})
    problems = []
    for route in found.guarded:
        operation = paths.get(route.path, {}).get(route.method.lower())
        if operation is not None and {"bearer": []} not in operation.get("security", []):
            problems.append(f"{route.label}: the OpenAPI document does not show it needs a bearer token")
    return problems
