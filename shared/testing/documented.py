"""Test clients' checks that every successful answer is as the app's OpenAPI document says:

* ``answers_as_documented``: a write answers with a status its route documents (``POST /children``
  once answered 201 while documenting 200);
* ``headers_as_documented``: a success answer carries an ``ETag`` exactly when the document
  declares one for its status, and a ``Log-Position`` only where the document declares it (both
  are declared by rule, shared/web/openapi.py). Every app a test runs in process has it
  (shared/testing/fixtures.py), so every API test of every service checks the rule.
"""

from __future__ import annotations

import re

import httpx

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def documented_operation(app, method: str, path: str) -> dict | None:
    """The operation of the app's OpenAPI document a request reaches; None when it has none."""
    templates = [
        (template, operations[method.lower()])
        for template, operations in app.openapi()["paths"].items()
        if method.lower() in operations and re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", template), path)
    ]
    if not templates:
        return None
    _, operation = min(templates, key=lambda found: found[0].count("{"))  # a literal segment wins
    return operation


def documented_statuses(app, method: str, path: str) -> set[int] | None:
    """The success (2xx) statuses the app's OpenAPI document gives for the operation a request
    reaches; None when the document has no such operation."""
    operation = documented_operation(app, method, path)
    if operation is None:
        return None
    return {int(code) for code in operation["responses"] if code.startswith("2")}


def answers_as_documented(app):
    """An httpx response hook: a write that succeeds answers with a status its route documents."""

    async def check(response: httpx.Response) -> None:
        request = response.request
        if request.method not in WRITES or not 200 <= response.status_code < 300:
            return
        documented = documented_statuses(app, request.method, request.url.path)
        assert documented is None or response.status_code in documented, (
            f"{request.method} {request.url.path} answered {response.status_code}; "
            f"its OpenAPI document gives {sorted(documented)}"
        )

    return check


def headers_as_documented(app):
    """An httpx response hook: a success answer's ``ETag`` and ``Log-Position`` are the ones its
    operation's OpenAPI document declares for that status."""

    async def check(response: httpx.Response) -> None:
        request = response.request
        if not 200 <= response.status_code < 300:
            return
        operation = documented_operation(app, request.method, request.url.path)
        if operation is None:
            return
        answer = operation["responses"].get(str(response.status_code))
        if answer is None:
            return  # a status the document does not give: answers_as_documented's business
        where = f"{request.method} {request.url.path} answered {response.status_code}"
        declared = set(answer.get("headers", {}))
        given = "etag" in response.headers
        assert given == ("ETag" in declared), (
            f"{where} {'with' if given else 'without'} an ETag; its OpenAPI document "
            f"{'declares' if 'ETag' in declared else 'does not declare'} one"
        )
        assert "log-position" not in response.headers or "Log-Position" in declared, (
            f"{where} with a Log-Position its OpenAPI document does not declare"
        )

    return check
