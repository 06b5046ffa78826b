"""A test client's check that every successful write answers with a status its route documents
in the app's OpenAPI document (``POST /children`` once answered 201 while documenting 200)."""

from __future__ import annotations

import re

import httpx

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def documented_statuses(app, method: str, path: str) -> set[int] | None:
    """The success (2xx) statuses the app's OpenAPI document gives for the operation a request
    reaches; None when the document has no such operation."""
    templates = [
        (template, operations[method.lower()])
        for template, operations in app.openapi()["paths"].items()
        if method.lower() in operations and re.fullmatch(re.sub(r"\{[^/]+\}", "[^/]+", template), path)
    ]
    if not templates:
        return None
    _, operation = min(templates, key=lambda found: found[0].count("{"))  # a literal segment wins
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
