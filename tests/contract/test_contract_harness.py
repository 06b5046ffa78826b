"""The fuzzing harness catches what it is there to catch.

A green contract run is only worth something if a service that misbehaved would have turned it
red. These tests aim the same harness (requests, checks, grouping of failures) at a small app
that misbehaves on purpose, one way per route, and at one that behaves, and check that each
misbehaviour is reported - once, with a reproduction - and that good behaviour is not.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import pytest
import schemathesis
from fastapi import FastAPI, HTTPException, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from shared.errors import Forbidden, InvalidInput, NotFound
from shared.web.middleware import UnhandledErrorMiddleware
from shared.web.openapi import install_openapi
from shared.web.problems import install_problem_handlers

sys.path.insert(0, str(Path(__file__).parent))
from contract_checks import CHECKS  # noqa: E402
from contract_fuzzing import OperationFuzz, reporting_config  # noqa: E402

pytestmark = pytest.mark.contract

TOKEN = {"Authorization": "Bearer a-token-this-app-does-not-check"}


class Thing(BaseModel):
    id: int
    name: str


class NewThing(BaseModel):
    name: str = Field(min_length=1, max_length=20)
    size: int = Field(ge=1, le=10)


def misbehaving_app() -> FastAPI:
    # Errors are answered as the services answer them (shared.web.app): problem details, and
    # an unhandled exception logged and turned into a 500.
    app = FastAPI(title="Things")
    install_problem_handlers(app)
    install_openapi(app, "things")
    app.add_middleware(UnhandledErrorMiddleware)

    @app.post("/things", status_code=201)
    async def create(thing: NewThing) -> Thing:
        return Thing(id=1, name=thing.name)

    @app.get("/things/{thing_id}")
    async def read(thing_id: int) -> Thing:
        if thing_id == 1:
            return Thing(id=1, name="one")
        raise NotFound("no such thing", field="thing_id")

    @app.get("/crashes")
    async def crashes(name: Annotated[str, Query(max_length=20)] = "x") -> dict:
        raise RuntimeError("a bug in a query module")

    @app.get("/plain-not-found/{thing_id}")
    async def plain_not_found(thing_id: int) -> JSONResponse:
        return JSONResponse({"detail": "not found"}, status_code=404)

    @app.get("/lost")
    async def lost() -> dict:
        raise NotFound("a 404 where its operation documents none", field="thing")

    @app.get("/refuses-everyone")
    async def refuses_everyone() -> dict:
        raise Forbidden("the auditor role may not do this", field="authorization")

    @app.get("/undocumented-shape", response_model=Thing)
    async def undocumented_shape() -> JSONResponse:
        return JSONResponse({"id": "not a number"})

    @app.post("/nameless-422")
    async def nameless_422(thing: NewThing) -> dict:
        raise HTTPException(422, "something about the input")

    @app.post("/named-422")
    async def named_422(thing: NewThing) -> dict:
        raise InvalidInput("that size is not stocked", field="size")

    return app


@pytest.fixture(scope="module")
def app() -> FastAPI:
    return misbehaving_app()


def fuzz(app: FastAPI, method: str, path: str) -> OperationFuzz:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, config=reporting_config())
    return OperationFuzz(
        service="things",
        operation=schema[path][method],
        headers=TOKEN,
        caller="a test",
        base_url="http://127.0.0.1:8000",
        checks=CHECKS,
    )


def checks_failed(run: OperationFuzz) -> list[str]:
    return sorted(finding.check for finding in run.run())


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/things"), ("GET", "/things/{thing_id}"), ("POST", "/named-422")],
)
def test_an_operation_that_keeps_its_contract_passes(app, method, path):
    run = fuzz(app, method, path)
    assert checks_failed(run) == []
    assert run.sent > 10  # coverage cases and generated ones were all sent


def test_a_server_error_is_reported_once_with_the_exception_and_where_it_was_raised(app):
    run = fuzz(app, "GET", "/crashes")
    findings = run.run()
    # (A 500 is never documented either: that is reported too, as its own finding.)
    server_errors = [f for f in findings if f.status == 500 and f.check != "Undocumented status code"]
    assert len(server_errors) == 1, findings
    [finding] = server_errors
    assert finding.times > 1  # every request failed the same way: one finding, counted
    assert "RuntimeError" in finding.server_error and "test_contract_harness.py" in finding.server_error
    assert finding.reproduce.startswith("curl -X GET") and "/crashes" in finding.reproduce


def test_a_client_error_that_is_not_problem_details_is_reported(app):
    assert "Custom check failed: `client_errors_are_problem_details`" in checks_failed(
        fuzz(app, "GET", "/plain-not-found/{thing_id}")
    )


def test_a_422_that_names_no_field_is_reported(app):
    findings = fuzz(app, "POST", "/nameless-422").run()
    problems = [f for f in findings if f.check == "Custom check failed: `client_errors_are_problem_details`"]
    assert any("names no field" in f.summary for f in problems), findings


def test_a_caller_refused_at_the_door_is_reported(app):
    # A harness calling as the wrong role would see only 403s and prove nothing.
    refused = checks_failed(fuzz(app, "GET", "/refuses-everyone"))
    assert "Custom check failed: `the_caller_was_admitted`" in refused


def test_an_answer_that_contradicts_its_documented_schema_is_reported(app):
    findings = fuzz(app, "GET", "/undocumented-shape").run()
    assert any(f.status == 200 and "schema" in f.check.lower() for f in findings), findings


def test_a_status_its_operation_does_not_document_is_reported(app):
    assert "Undocumented status code" in checks_failed(fuzz(app, "GET", "/lost"))
