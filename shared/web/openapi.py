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
  (``pupil_premium_requests_approve``, ``pupil_premium_projects_approve``);
* the headers it honours, from the dependency that reads them (``shared.web.context``):
  ``Idempotency-Key`` on every write that takes a command context; ``If-Match`` on those whose
  context is ``command_context`` (a write to one record, whose version ``ServiceLog.execute``
  matches), not ``unversioned_command_context`` (the register import, the operators' actions on
  parked events); ``Min-Log-Position`` is declared by FastAPI itself, from the dependency every
  service route has (``shared.web.consistency.applied_up_to``). And the headers its success
  answers carry: ``Log-Position`` on a write that records events (every write with a command
  context but the operators' actions on parked events, which change no stream); ``ETag`` on a
  write to one record (``answered`` sets it) and on a read that takes the ``Response`` (the one
  header a read sets is the version of the record it shows).

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
from shared.web.consistency import LOG_POSITION
from shared.web.context import IDEMPOTENCY_KEY, command_context, unversioned_command_context
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

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IF_MATCH_HEADER = "If-Match"
ETAG_HEADER = "ETag"
IDEMPOTENCY_KEY_PARAMETER = {
    "name": IDEMPOTENCY_KEY_HEADER,
    "in": "header",
    "required": False,
    "description": "A key of your own choosing (8 to 128 letters, digits or `. _ : -`) that makes "
    "this write safe to repeat: send the same request with the same key after a timeout, a 503 or "
    "a dropped connection, and it is recorded once; the repeat gets the first answer back. The same "
    "key with a different request is refused (422, `idempotency-key-reused`). Keys are scoped to "
    "the caller and the operation.",
    "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY.pattern},
    "example": "pep-review-C000123-2026-autumn",
}
IF_MATCH_PARAMETER = {
    "name": IF_MATCH_HEADER,
    "in": "header",
    "required": False,
    "description": "The `ETag` of the record as you last read or wrote it, e.g. `\"7\"`: if the "
    "record has changed since, the write is refused (409, `version-conflict`) and nothing is "
    "written; read it again and decide again. Without it, the write is decided on the record as it "
    "stands when it arrives.",
    "schema": {"type": "string", "pattern": '^(W/)?"[0-9]+"$'},
    "example": '"7"',
}
LOG_POSITION_HEADER = {
    "description": "The position in the event log of the last event this request recorded (on a "
    "repeat with the same Idempotency-Key, of the first request's). Send it as `Min-Log-Position` "
    "on your next request, to any service, to read what this write caused. Absent when the request "
    "recorded nothing.",
    "schema": {"type": "integer", "minimum": 1},
}
WRITE_ETAG_HEADER = {
    "description": "The record's version after this write, e.g. `\"8\"`: send it as `If-Match` on "
    "your next write to the record.",
    "schema": {"type": "string"},
}
READ_ETAG_HEADER = {
    "description": "The version of the record shown, e.g. `\"7\"`: send it as `If-Match` on a write "
    "to the record, to have the write refused (409) if someone changed the record in between.",
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
        _document_headers(operation, route, method, path, rules)

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


# -- the headers -----------------------------------------------------------------------------


def _calls(dependant, wanted: Iterable[Any]) -> set[Any]:
    """Which of ``wanted`` the route's dependencies (at any depth) call."""
    wanted = set(wanted)
    found = set()
    for dependency in dependant.dependencies:
        if dependency.call in wanted:
            found.add(dependency.call)
        found |= _calls(dependency, wanted)
    return found


def _takes_response(dependant) -> bool:
    return bool(dependant.response_param_name) or any(_takes_response(d) for d in dependant.dependencies)


def honoured_headers(route, method: str, path: str, rules: list[AccessRule]) -> dict[str, list[str]]:
    """The headers an operation honours, by rule from the dependencies its route takes:
    ``{"request": [...], "response": [...]}`` (the response headers of its success answers)."""
    writes = any(rule.writes for rule in rules) if rules else method not in SAFE_METHODS
    contexts = _calls(route.dependant, (command_context, unversioned_command_context))
    request: list[str] = []
    response: list[str] = []
    if writes and contexts:
        request.append(IDEMPOTENCY_KEY_HEADER)
        if command_context in contexts:
            request.append(IF_MATCH_HEADER)
            response.append(ETAG_HEADER)
        if not path.startswith(DEAD_LETTERS):  # an operator's action on a parked event records no event
            response.append(LOG_POSITION)
    elif not writes and _takes_response(route.dependant):
        response.append(ETAG_HEADER)
    return {"request": request, "response": response}


def _document_headers(operation: dict[str, Any], route, method: str, path: str, rules: list[AccessRule]) -> None:
    honoured = honoured_headers(route, method, path, rules)
    parameters = operation.get("parameters", [])
    declared = {(p.get("in"), p.get("name", "").lower()) for p in parameters}
    for name, parameter in ((IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PARAMETER), (IF_MATCH_HEADER, IF_MATCH_PARAMETER)):
        if name in honoured["request"] and ("header", name.lower()) not in declared:
            parameters.append(dict(parameter))
    if parameters:
        operation["parameters"] = parameters
    if not honoured["response"]:
        return
    writes = bool(honoured["request"])
    for code, answer in operation.get("responses", {}).items():
        if not code.startswith("2"):
            continue
        headers = answer.setdefault("headers", {})
        for name in honoured["response"]:
            if name == ETAG_HEADER:
                headers.setdefault(name, dict(WRITE_ETAG_HEADER if writes else READ_ETAG_HEADER))
            elif name == LOG_POSITION:
                headers.setdefault(name, dict(LOG_POSITION_HEADER))


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
