"""Every operation that takes a body shows an example of it in its service's OpenAPI document,
and every example is one the operation accepts: each is validated against the very model the
route reads its body with, so an example cannot drift from the schema. The examples live next to
the models (``json_schema_extra``), and a CSV upload's example is the text a caller would send,
read here by the same reader the import uses."""

from __future__ import annotations

import io

import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from shared.services import SERVICES

sys.path.insert(0, str(Path(__file__).parents[1] / "security"))
from security_route_table import app_factory

JSON = "application/json"
def resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def examples_in(document: dict, content: dict) -> list[Any]:
    """The examples a media type shows: its own (``example``, ``examples``), or its schema's
    (``examples``), looking through a body that may be left out (``anyOf [..., null]``)."""
    found = []
    if "example" in content:
        found.append(content["example"])
    found += [example["value"] for example in content.get("examples", {}).values() if "value" in example]
    schema = resolve(document, content.get("schema", {}))
    for option in [schema, *(resolve(document, o) for o in schema.get("anyOf", ()))]:
        found += option.get("examples", [])
    return found


def bodies_of(spec) -> list[tuple[str, str, APIRoute, dict, dict]]:
    """``(METHOD, path, route, operation, document)`` for every operation with a request body."""
    app = app_factory(spec)()
    document = app.openapi()
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in sorted(route.methods or ()):
            operation = document["paths"].get(context.path_format, {}).get(method.lower())
            if operation is not None and "requestBody" in operation:
                found.append((method, context.path_format, route, operation, document))
    return found


def refusals(route: APIRoute, media_type: str, example: Any) -> list[str]:
    """Why the route would refuse the example as its body (nothing: it is accepted)."""
    if route.path == "/attendance/marks":
        return attendance_refusals(media_type, example)
    if media_type == JSON:
        assert route.body_field is not None, "a JSON body with no model to read it"
        _, errors = route.body_field.validate(example, {}, loc=("body",))
        return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors]
    # The register import (text/csv, or the file part of a multipart upload): the import's own reader.
    from schools.domain.gias import parse_register

    text = example["file"] if media_type == "multipart/form-data" else example
    la_code = text.splitlines()[1].split(",")[1]
    read = parse_register(text, la_code)
    problems = [f"line {r.line}: {'; '.join(r.reasons)}" for r in read.rejected]
    return problems + ([] if read.rows else ["no row of the file is read"])


def attendance_refusals(media_type: str, example: Any) -> list[str]:
    """The pep service's attendance intake (CSV, or JSON marks), read by the intake's own reader."""
    from pep.domain.attendance_intake import LineProblem, csv_lines, json_items

    read = list(json_items(example) if media_type == JSON else csv_lines(io.StringIO(example, newline="")))
    problems = [f"line {r.line}: {r.field}: {r.reason}" for r in read if isinstance(r, LineProblem)]
    return problems + ([] if read else ["no line of the file is read"])


@pytest.mark.parametrize("spec", SERVICES, ids=lambda s: s.name)
def test_every_request_body_shows_an_example_its_route_accepts(spec, monkeypatch, signing_key):
    monkeypatch.setenv("DATABASE_URL", "postgresql://apps-are-built-not-started/none")
    problems = []
    checked = 0
    for method, path, route, operation, document in bodies_of(spec):
        where = f"{spec.name} {method} {path}"
        for media_type, content in operation["requestBody"]["content"].items():
            examples = examples_in(document, content)
            if not examples:
                problems.append(f"{where} ({media_type}): no example")
            for index, example in enumerate(examples):
                checked += 1
                for refusal in refusals(route, media_type, example):
                    problems.append(f"{where} ({media_type}) example {index + 1}: {refusal}")
    assert not problems, "\n".join(problems)
    assert checked, f"{spec.name} shows no example at all"


def test_an_example_the_model_refuses_is_caught(monkeypatch, signing_key):
    """The check itself: a wrong grade in an inspection's example is refused by the route's model."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://apps-are-built-not-started/none")
    spec = next(s for s in SERVICES if s.name == "schools")
    route = next(r for m, p, r, _, _ in bodies_of(spec) if (m, p) == ("POST", "/schools/{urn}/inspections"))
    example = {
        "inspection_id": "10245871", "inspected_on": "2023-03-08", "inspection_type": "graded",
        "framework": "ofsted_september_2012", "overall_effectiveness": "good",
        "judgements": {"quality_of_education": "strong_standard"}, "safeguarding": "effective",
    }
    assert refusals(route, JSON, example)
    assert not refusals(route, JSON, {**example, "judgements": {"quality_of_education": "good"}})
