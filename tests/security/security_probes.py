"""SQL-injection-shaped input in every free-text input of every GET route: string query filters
(read from the app's OpenAPI document) and free-text path parameters.

    problems, probes = await probe_string_inputs(app, routes_of("pep", app), token)
    assert not problems

Each input gets each payload, sent by someone the route admits; the answer must not be a server
error and must not show SQL, a PostgreSQL error or a traceback. A 4xx naming the field is fine.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from security_route_table import ServiceRoutes, call, headers_for, is_free_text, preferred_caller

INJECTION_PAYLOADS = (
    "'",
    "O'Brien",
    "' OR 1=1 --",
    '"; DROP TABLE x; --',
    "%' UNION SELECT NULL, version() --",
    "1); SELECT pg_sleep(0); --",
    "\\' OR ''='",
    "%_%\\",
    "$1 $$ ; COMMIT; --",
)

# What a body must never contain, once the caller's own payload is taken out of it.
LEAK_SIGNS = (
    re.compile(r"\bSELECT\b[\s\S]{0,200}\bFROM\b", re.IGNORECASE),
    re.compile(r"\b(INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET)\b", re.IGNORECASE),
    re.compile(r"\bUNION\b|\bpg_sleep\b|\bversion\(\)", re.IGNORECASE),
    re.compile(
        r"syntax error at or near|unterminated quoted|invalid input syntax|SQLSTATE|"
        r"column \"?\w+\"? does not exist|operator does not exist|must have the same number of columns",
        re.IGNORECASE,
    ),
    re.compile(r"asyncpg|psycopg|sqlalchemy|PostgresError|pg_catalog|relation \"", re.IGNORECASE),
    re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\", line \d+"),
    re.compile(r"\beventlog\.events\b|\bWHERE\b[^\"]{0,80}\$\d", re.IGNORECASE),
)


def string_query_parameters(openapi: dict, path: str, method: str) -> list[str]:
    operation = openapi.get("paths", {}).get(path, {}).get(method.lower(), {})
    return [
        p["name"] for p in operation.get("parameters", [])
        if p.get("in") == "query" and takes_text(p.get("schema", {}))
    ]


def takes_text(schema: dict) -> bool:
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        return True
    if schema.get("type") == "array":
        return takes_text(schema.get("items", {}))
    return any(takes_text(option) for option in schema.get("anyOf", []) + schema.get("oneOf", []))


def leak_in(text: str, payload: str) -> str | None:
    cleaned = text
    for echoed in {payload, payload.replace("\\", "\\\\").replace('"', '\\"')}:
        cleaned = cleaned.replace(echoed, "")
    for sign in LEAK_SIGNS:
        found = sign.search(cleaned)
        if found:
            return found.group(0)
    return None


async def probe_string_inputs(app, found: ServiceRoutes, mint) -> tuple[list[str], int]:
    """Every payload in every free-text input of every GET route; the problems found, and how
    many requests were made."""
    openapi = app.openapi()
    problems: list[str] = []
    probes = 0
    for route in found.guarded:
        if route.method != "GET":
            continue
        caller = preferred_caller(route)
        if caller is None:
            continue
        headers = headers_for(caller, mint)
        names = string_query_parameters(openapi, route.path, route.method)
        free_path = any(is_free_text(p.field_info.annotation) for p in route.route.dependant.path_params)
        for payload in INJECTION_PAYLOADS:
            urls = [f"{route.url()}?{urlencode({name: payload})}" for name in names]
            if free_path:
                urls.append(route.url(string_value=payload))
            for url in urls:
                answer = await call(app, "GET", url, headers)
                probes += 1
                where = f"{route.label} with {url!r} as {caller.label}: {answer.status}"
                if answer.status >= 500:
                    problems.append(f"{where} (a server error)")
                elif leaked := leak_in(answer.text, payload):
                    problems.append(f"{where} shows {leaked!r}")
    return problems, probes
