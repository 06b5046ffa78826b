"""The OpenAPI document every service publishes, completed by rule in one place.

FastAPI writes each operation from its route: parameters, body, the success answers. This adds
what holds for every route of every service, read off the route itself, so no route has to
declare it and none can be forgotten:

* the problem answers it can give (``application/problem+json``, the ``Problem`` schema):
  400 where it takes a body (one that cannot be read at all); 401 and 403 where it has an
  access rule; 422 where it takes parameters or a body; 404 where its path has parameters, or
  on a write with a body (an id the body names); 409 on a write; 413 and 415 on a write with a
  body; 429 on a write; 503 on every route, with ``Retry-After``. Each names the catalogued problem types
  (``shared.web.problem_types``) it may carry;
* who may call it, from the same ``allow(...)`` rule object the route is guarded by: a line
  "Who may call it: ..." in its description, and ``x-roles`` / ``x-scopes``;
* a stable ``operationId``: ``<service>_<function>`` (``schools_register_school``), or
  ``<service>_<module>_<function>`` for functions of the same name in two modules
  (``pupil_premium_requests_approve``, ``pupil_premium_projects_approve``).

A status a route declares itself (``responses={503: ...}``) keeps its description, headers and
content; the Problem content is added to a 4xx or 5xx it declares without any. ``install_openapi`` is
called by ``create_service_app``; the document is built once, on first use, and kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from shared.security.access import AccessRule, Admitted, access_rules_of, admitted_by
from shared.security.roles import Role
from shared.web import problem_types
from shared.web.problems import PROBLEM_JSON

PROBLEM = "Problem"
PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM}"}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Where operators retry parked events (shared/web/dead_letters.py): a retry may fail again (409).
DEAD_LETTERS = "/operations/dead-letters"

PROBLEM_SCHEMAS: dict[str, dict[str, Any]] = {
    "ProblemFieldError": {
        "type": "object",
        "title": "ProblemFieldError",
        "description": "One field at fault, with a sentence naming it and the rule it breaks.",
        "required": ["field", "message"],
        "properties": {
            "field": {"type": "string", "description": "The field, as in the problem's `field`."},
            "message": {"type": "string", "description": "e.g. \"financial_year is required\""},
        },
    },
    PROBLEM: {
        "type": "object",
        "title": PROBLEM,
        "description": "An RFC 9457 problem (`application/problem+json`): every refusal and failure. "
        "Tell refusals apart by `type` (its last segment, the slug), never by `title` or "
        "`detail`. GET /problems lists every type. Members not listed here may be added.",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {
                "type": "string",
                "description": "`/problems/<slug>`, relative to the service's address; GET it to "
                "read what it means and what to do.",
                "examples": ["/problems/validation"],
            },
            "title": {"type": "string", "description": "A short summary, the same for every problem of the type."},
            "status": {"type": "integer", "minimum": 400, "maximum": 599, "description": "The HTTP status."},
            "detail": {"type": "string", "description": "What went wrong, in words a person can act on."},
            "field": {
                "type": "string",
                "description": "The input at fault: a body field's dotted path, a parameter's or "
                "header's name, or `body`.",
            },
            "errors": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/ProblemFieldError"},
                "description": "Every field at fault (validation problems).",
            },
            "instance": {"type": "string", "description": "The path the request was made to."},
        },
    },
}

RETRY_AFTER = {
    "description": "Seconds to wait before repeating the request (with the same Idempotency-Key).",
    "required": True,
    "schema": {"type": "integer", "minimum": 0},
}
WWW_AUTHENTICATE = {
    "description": "Why the token was refused: `Bearer realm=...` (none sent) or "
    "`Bearer error=\"invalid_token\"`.",
    "required": True,
    "schema": {"type": "string"},
}

# What each problem status means on an operation, and the slugs it may carry there.
_WHEN = {
    400: "The body cannot be read at all (it is not text in the encoding it declares).",
    401: "No bearer token, or one that is expired, wrongly signed, or for another audience or issuer.",
    403: "The caller's role (or a service account's scopes) does not admit this operation.",
    404: "A record the path names, or an id the body names, is not known (`field` says which).",
    409: "The record changed since it was read (the If-Match sent is stale), or the request "
    "clashes with its current state.",
    413: "The request body is larger than the service accepts.",
    415: "The body is not in a form this operation takes.",
    422: "A parameter, header or body field is invalid, or the request is refused by a rule "
    "(`field` names the input; `errors` lists each one).",
    429: "Too many writes from this caller in the last minute.",
    503: "Something the service depends on is away for now, or it could not catch up with "
    "Min-Log-Position in time. Nothing was changed that cannot safely be repeated.",
}
# A read answers 422 only for its input; the other 422 types refuse writes.
_READ_422 = frozenset({"validation", "invalid-input"})


def install_openapi(app: FastAPI, service: str) -> None:
    """Replace ``app.openapi`` with one that completes FastAPI's document, built once."""
    built: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if "document" not in built:
            app.openapi_schema = None
            document = FastAPI.openapi(app)
            complete(app, document, service)
            built["document"] = document
            app.openapi_schema = document
        return built["document"]

    app.openapi = openapi  # type: ignore[method-assign]


def complete(app: FastAPI, document: dict[str, Any], service: str) -> dict[str, Any]:
    """Add the problem answers, who may call each operation and stable operation ids, in place."""
    paths = document.get("paths", {})
    operations = []
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute) or not getattr(route, "include_in_schema", True):
            continue
        path = route.path_format
        for method in sorted(route.methods or ()):
            operation = paths.get(path, {}).get(method.lower())
            if operation is not None:
                operations.append((route, method, path, operation))

    names = _operation_ids(service, [(r, m) for r, m, _, _ in operations])
    for (route, method, path, operation), name in zip(operations, names):
        rules = access_rules_of(route.dependant)
        if not getattr(route, "operation_id", None):
            operation["operationId"] = name
        _document_access(operation, rules)
        _document_problems(operation, route, method, path, rules, service)

    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(PROBLEM_SCHEMAS)
    _drop_unreferenced(document, ("HTTPValidationError", "ValidationError"))
    return document


# -- who may call it -------------------------------------------------------------------------


def who_may_call(admitted: Admitted) -> str:
    """The sentence for an operation's description."""
    parts = []
    if admitted.roles:
        parts.append("roles " + ", ".join(f"`{r.value}`" for r in sorted(admitted.roles, key=lambda r: r.value)))
    if admitted.scopes:
        parts.append("service accounts holding " + " and ".join(f"`{s}`" for s in sorted(admitted.scopes)))
    if not parts:
        return "Who may call it: nobody (no role or scope is admitted)."
    line = "Who may call it: " + "; ".join(parts) + "."
    if Role.DESIGNATED_TEACHER in admitted.roles:
        line += " A designated teacher only for their own school's records."
    return line


def _document_access(operation: dict[str, Any], rules: list[AccessRule]) -> None:
    if not rules:
        line = "Who may call it: anyone, without a token."
    else:
        admitted = admitted_by(rules)
        operation["x-roles"] = sorted(r.value for r in admitted.roles)
        operation["x-scopes"] = sorted(admitted.scopes)
        line = who_may_call(admitted)
    described = operation.get("description", "").rstrip()
    operation["description"] = f"{described}\n\n{line}" if described else line


# -- the problem answers ---------------------------------------------------------------------


def problem_statuses(
    *, method: str, path: str, rules: list[AccessRule], takes_input: bool, has_body: bool
) -> list[int]:
    """The problem statuses an operation can answer with, by rule."""
    writes = any(rule.writes for rule in rules) if rules else method not in SAFE_METHODS
    statuses = []
    if has_body:
        statuses.append(400)  # a body that cannot be read at all (not text in its encoding)
    if rules:
        statuses += [401, 403]
    if "{" in path or (writes and has_body):
        statuses.append(404)  # a record the path names, or an id the body names
    if writes:
        statuses.append(409)
        if has_body:
            statuses += [413, 415]
    if takes_input:
        statuses.append(422)
    if writes:
        statuses.append(429)
    statuses.append(503)
    return statuses


def _document_problems(
    operation: dict[str, Any], route, method: str, path: str, rules: list[AccessRule], service: str
) -> None:
    has_body = "requestBody" in operation
    takes_input = has_body or bool(operation.get("parameters"))
    writes = any(rule.writes for rule in rules) if rules else method not in SAFE_METHODS
    declared = {str(code) for code in (getattr(route, "responses", None) or {})}
    responses = operation.setdefault("responses", {})
    admitted = admitted_by(rules) if rules else None
    by_rule = problem_statuses(method=method, path=path, rules=rules, takes_input=takes_input, has_body=has_body)
    own = {int(code) for code in declared if code.isdigit() and int(code) >= 400}
    # A problem no rule foresees is declared by its route (``responses={404: {...}}``), kept here.
    for status in sorted({*by_rule, *own}):
        code = str(status)
        if code in declared:
            answer = responses.setdefault(code, {"description": _WHEN.get(status, "")})
            answer.setdefault("content", {PROBLEM_JSON: {"schema": PROBLEM_REF}})
            continue
        slugs = _slugs(status, service, path, writes, admitted)
        answer = {
            "description": _WHEN[status] + " Problem types: " + ", ".join(f"`{s}`" for s in slugs) + ".",
            "content": {PROBLEM_JSON: {"schema": PROBLEM_REF}},
        }
        if status in (429, 503):
            answer["headers"] = {"Retry-After": RETRY_AFTER}
        elif status == 401:
            answer["headers"] = {"WWW-Authenticate": WWW_AUTHENTICATE}
        responses[code] = answer
    operation["responses"] = dict(sorted(responses.items(), key=lambda item: item[0]))


def _slugs(status: int, service: str, path: str, writes: bool, admitted: Admitted | None) -> list[str]:
    """The catalogued problem types an operation may answer with at this status."""
    slugs = [
        e.slug
        for e in problem_types.CATALOGUE.values()
        if e.status == status and e.service in (None, service)
    ]
    if status == 422 and not writes:
        slugs = [s for s in slugs if s in _READ_422]
    if status == 403 and (admitted is None or Role.DESIGNATED_TEACHER not in admitted.roles):
        slugs = [s for s in slugs if s != "out-of-data-scope"]
    if status == 409 and not path.startswith(DEAD_LETTERS):
        slugs = [s for s in slugs if s != "still-failing"]
    return slugs


# -- operation ids ---------------------------------------------------------------------------


def _identifier(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()


def _operation_ids(service: str, routes: Iterable[tuple[Any, str]]) -> list[str]:
    """``<service>_<name>`` (the route's name: its function's unless given another);
    ``<service>_<module>_<name>`` for a name more than one operation has; the method added if
    that still does not tell them apart."""
    routes = list(routes)
    prefix = _identifier(service)

    def function(route) -> str:
        # The route's name: its function's, unless the route was given one (routes made by a
        # factory are: ``router.post(path, name=...)``).
        return route.name or getattr(route.endpoint, "__name__", None) or "operation"

    def module(route) -> str:
        return (getattr(route.endpoint, "__module__", "") or "").rpartition(".")[2]

    short = [f"{prefix}_{_identifier(function(r))}" for r, _ in routes]
    names = [
        name if short.count(name) == 1 else f"{prefix}_{_identifier(module(r))}_{_identifier(function(r))}"
        for name, (r, _) in zip(short, routes)
    ]
    names = [
        name if names.count(name) == 1 else f"{name}_{method.lower()}"
        for name, (_, method) in zip(names, routes)
    ]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise RuntimeError(f"operation ids used twice in the {service} API description: {', '.join(repeated)}")
    return names


def _drop_unreferenced(document: dict[str, Any], names: Iterable[str]) -> None:
    schemas = document.get("components", {}).get("schemas", {})
    for name in names:
        if name in schemas:
            others = {k: v for k, v in schemas.items() if k != name}
            text = repr({"paths": document.get("paths"), "schemas": others})
            if f"#/components/schemas/{name}'" not in text:
                del schemas[name]
