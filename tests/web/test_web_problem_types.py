"""Every problem carries a catalogued ``type``; validation problems are sentences naming the field
and the rule; the catalogue describes itself at /problems and in docs/problems.md."""

from __future__ import annotations

from typing import Annotated, Literal

import httpx
import pytest
from fastapi import FastAPI, Header, Query
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from shared import errors
from shared.errors import Conflict, DomainError, InvalidInput, RuleViolation
from shared.eventlog.store import IdempotencyKeyReused, WrongExpectedVersion
from shared.security.data_scope import OutsideDataScope
from shared.testing.fixtures import _catalogued_problem
from shared.urn import Urn
from shared.web import problem_types
from shared.web.problem_types import CATALOGUE, catalogued, problems_router
from shared.web.problems import install_problem_handlers, type_of


class Grant(BaseModel):
    model_config = ConfigDict(extra="forbid")
    urn: Urn
    financial_year: Annotated[str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$")]
    amount_pence: int = Field(ge=1, le=250_000)
    reference: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")] = "r"
    note: str = Field(default="", max_length=5)
    kind: Literal["capital", "revenue"] = "revenue"
    items: list[str] = Field(default_factory=lambda: ["x"], min_length=1)


class Families(RuleViolation):
    problem_type = "not-eligible-for-intervention"


def app() -> FastAPI:
    api = FastAPI()
    install_problem_handlers(api)
    api.include_router(problems_router())

    @api.post("/grants")
    async def grant(body: Grant) -> dict:
        return {}

    @api.get("/schools/{urn}")
    async def school(urn: Urn, year: int = Query(ge=2000), if_match: str | None = Header(None)) -> dict:
        return {}

    @api.get("/refused/{kind}")
    async def refused(kind: str) -> dict:
        match kind:
            case "lapsed":
                raise RuleViolation("the power lapsed", field="applied_on", problem_type="power-no-longer-available")
            case "family":
                raise Families("not eligible", field="urn")
            case "stale":
                raise WrongExpectedVersion("school-100001", 2, 3)
        raise Conflict("already decided", field="id")

    return api


@pytest.fixture
async def client():
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app()), base_url="http://testserver",
        event_hooks={"response": [_catalogued_problem]},
    ) as c:
        yield c


GOOD = {"urn": "100001", "financial_year": "2026-27", "amount_pence": 100}


async def validation(client, body) -> dict:
    answer = await client.post("/grants", json=body)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["type"] == "/problems/validation"
    assert problem["detail"].startswith(problem["errors"][0]["message"])
    return problem


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"financial_year": None}, "financial_year", "financial_year is required"),
        ({"amount_pence": 12.5}, "amount_pence", "amount_pence must be a whole number of pence"),
        ({"amount_pence": "lots"}, "amount_pence", "amount_pence must be a whole number of pence"),
        ({"amount_pence": 0}, "amount_pence", "amount_pence must be at least 1"),
        ({"amount_pence": 250_001}, "amount_pence", "amount_pence must be at most 250000"),
        ({"urn": "12345"}, "urn", "urn: a URN is exactly six digits, e.g. 118234"),
        ({"financial_year": "26"}, "financial_year", "financial_year must match the pattern ^[0-9]{4}-[0-9]{2}$"),
        ({"reference": "a b"}, "reference", "reference must be 1 to 64 letters, digits or - . : _"),
        ({"note": "too long"}, "note", "note must be at most 5 characters long"),
        ({"kind": "other"}, "kind", "kind must be one of 'capital' or 'revenue'"),
        ({"items": []}, "items", "items must have at least 1 item"),
        ({"items": [3]}, "items.0", "items.0 must be text (a JSON string)"),
        ({"extra": 1}, "extra", "extra is not a field this request takes"),
    ],
)
async def test_a_validation_problem_is_a_sentence_naming_the_field_and_the_rule(client, change, field, message):
    body = {**GOOD, **change}
    body = {k: v for k, v in body.items() if v is not None}
    problem = await validation(client, body)
    assert problem["field"] == field
    assert problem["errors"][0] == {"field": field, "message": message}


async def test_malformed_json_is_reported_against_the_body(client):
    answer = await client.post("/grants", content=b'{"urn": 1', headers={"content-type": "application/json"})
    problem = answer.json()
    assert answer.status_code == 422 and problem["type"] == "/problems/validation"
    assert problem["field"] == "body"
    assert problem["detail"].startswith("the body is not valid JSON")


async def test_a_missing_body_and_parameters_are_named(client):
    assert (await validation(client, None))["field"] == "body"
    answer = await client.get("/schools/100001", params={"year": "1999"})
    assert answer.json()["field"] == "year" and answer.json()["detail"] == "year must be at least 2000"
    answer = await client.get("/schools/1", params={"year": "2020"})
    assert answer.json()["field"] == "urn"


async def test_a_raise_site_or_a_subclass_names_a_more_specific_family(client):
    lapsed = (await client.get("/refused/lapsed")).json()
    assert (lapsed["type"], lapsed["status"], lapsed["title"]) == (
        "/problems/power-no-longer-available", 422, "Refused by the rules"
    )
    assert (await client.get("/refused/family")).json()["type"] == "/problems/not-eligible-for-intervention"
    stale = (await client.get("/refused/stale")).json()
    assert (stale["type"], stale["status"], stale["field"]) == ("/problems/version-conflict", 409, "If-Match")
    assert (await client.get("/refused/other")).json()["type"] == "/problems/conflict"


async def test_framework_errors_are_typed_by_their_status(client):
    unknown = await client.get("/nowhere")
    assert (unknown.status_code, unknown.json()["type"]) == (404, "/problems/not-found")
    wrong = await client.delete("/grants")
    assert (wrong.status_code, wrong.json()["type"]) == (405, "/problems/method-not-allowed")


def test_every_domain_error_names_an_entry_with_its_status():
    for cls in (v for v in vars(errors).values() if isinstance(v, type) and issubclass(v, DomainError)):
        if cls is DomainError:
            continue
        assert CATALOGUE[cls.problem_type].status == cls.status, cls
    assert type_of(IdempotencyKeyReused()) == "idempotency-key-reused"
    assert type_of(OutsideDataScope()) == "out-of-data-scope"
    assert type_of(InvalidInput("x")) == "invalid-input"


def test_a_subclass_that_changes_the_status_is_typed_by_its_status():
    class Gone(InvalidInput):
        status = 404

    class Unsupported(DomainError):
        status = 415

    assert type_of(Gone("x")) == "not-found"
    assert type_of(Unsupported("x")) == "unsupported-media-type"


def test_the_catalogue_is_consistent():
    for slug, entry in CATALOGUE.items():
        assert entry.uri == f"/problems/{slug}"
        assert 400 <= entry.status <= 599 and entry.title and entry.when and entry.what_to_do
    assert {e.slug for e in CATALOGUE.values() if e.retry} == {
        "rate-limited", "service-unavailable", "version-conflict"
    }
    assert catalogued("/problems/conflict", 409) is None
    assert "status 409" in catalogued("/problems/conflict", 422)
    assert catalogued("about:blank", 500) is not None
    assert catalogued("/problems/no-such-thing", 400) is not None


async def test_the_catalogue_describes_itself(client):
    listed = (await client.get("/problems")).json()
    assert [e["slug"] for e in listed] == list(CATALOGUE)
    one = (await client.get("/problems/version-conflict")).json()
    assert (one["type"], one["status"], one["retry"]) == ("/problems/version-conflict", 409, True)
    missing = await client.get("/problems/nothing")
    assert (missing.status_code, missing.json()["field"]) == (404, "slug")


def test_the_problems_page_is_current():
    assert problem_types.main(["--check"]) == 0, "run: python -m shared.web.problem_types --write"


async def test_a_problem_outside_the_catalogue_fails_the_test_naming_the_route():
    request = httpx.Request("POST", "http://testserver/things")

    def answer(status: int, body: dict) -> httpx.Response:
        return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"},
                              request=request)

    await _catalogued_problem(answer(409, {"type": "/problems/conflict", "status": 409}))
    with pytest.raises(AssertionError, match="POST /things answered 409 .*about:blank"):
        await _catalogued_problem(answer(409, {"type": "about:blank", "status": 409}))
    with pytest.raises(AssertionError, match="catalogued with status 409, not 422"):
        await _catalogued_problem(answer(422, {"type": "/problems/conflict", "status": 422}))
