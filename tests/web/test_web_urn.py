"""A school's URN is six digits, one rule everywhere: in domain code, request bodies, path and
query parameters, and in what each service's OpenAPI document says about it."""

from __future__ import annotations

import importlib

import pytest
from pydantic import BaseModel, ValidationError

from shared.errors import InvalidInput
from shared.urn import EXAMPLE, PATTERN, Urn, is_urn, require_urn

NOT_URNS = [
    "", "12345", "1234567", "12345678", "11823A", " 118234", "118234 ", "+18234", "１１８２３４", "118 234"
]


@pytest.mark.parametrize("text", ["118234", "100000", "999999", "000001"])
def test_six_ascii_digits_are_a_urn(text):
    assert is_urn(text)
    assert require_urn(text, "urn") == text


@pytest.mark.parametrize("text", [*NOT_URNS, None, 118234])
def test_anything_else_is_not_a_urn_and_the_refusal_names_the_field(text):
    assert not is_urn(text)
    with pytest.raises(InvalidInput) as refused:
        require_urn(text, "academy_urn")
    assert refused.value.field == "academy_urn"
    assert "six digits" in refused.value.detail


class _Body(BaseModel):
    urn: Urn
    other_urn: Urn | None = None


@pytest.mark.parametrize("text", NOT_URNS)
def test_a_body_field_refuses_what_the_domain_refuses(text):
    with pytest.raises(ValidationError) as refused:
        _Body(urn=text)
    assert refused.value.errors()[0]["loc"] == ("urn",)
    assert "six digits" in refused.value.errors()[0]["msg"]
    assert _Body(urn=EXAMPLE, other_urn=None).other_urn is None


def test_the_schema_documents_the_rule_with_an_example():
    schema = _Body.model_json_schema()["properties"]["urn"]
    assert schema["pattern"] == PATTERN == r"^[0-9]{6}$"
    assert schema["examples"] == [EXAMPLE]
    assert "URN" in schema["description"]


def _app(module: str):
    return importlib.import_module(module).create_app


def _assert_refused(answer, field: str) -> None:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["field"] == field, problem
    assert "six digits" in problem["detail"], problem


# One route of each service with a URN in its path or query, a role that may call it, and the
# parameter's name. Five digits was accepted by notices before it used the shared rule.
BAD_URN_REQUESTS = [
    ("schools.main", "school_improvement_adviser", "/schools/12345", "urn"),
    ("pep.main", "virtual_school_head", "/reports/overdue-peps?urn=12345", "urn"),
    ("pupil_premium.main", "finance_officer", "/budgets/2026-27/requests?school_urn=11823A", "school_urn"),
    ("notices.main", "school_improvement_adviser", "/interventions/12345", "urn"),
    ("notices.main", "school_improvement_adviser", "/notices?urn=12345678", "urn"),
    ("event_log.main", "auditor", "/schools/1182345/timeline", "urn"),
]


@pytest.mark.parametrize(("module", "role", "path", "field"), BAD_URN_REQUESTS, ids=lambda v: str(v))
async def test_each_service_refuses_a_bad_urn_with_422_naming_the_parameter(
    service_client, auth, module, role, path, field
):
    async with service_client(_app(module)) as client:
        _assert_refused(await client.get(path, headers=auth(role)), field)


async def test_a_bad_urn_in_a_request_body_is_refused_by_notices_as_by_the_others(service_client, auth):
    async with service_client(_app("notices.main")) as client:
        answer = await client.post(
            "/directions",
            json={"urn": "12345", "given_on": "2026-10-01", "specified_terms": "terms"},
            headers=auth("principal_adviser"),
        )
        _assert_refused(answer, "urn")


SERVICE_APPS = ["schools.main", "pep.main", "pupil_premium.main", "notices.main", "event_log.main"]


@pytest.mark.parametrize("module", SERVICE_APPS)
async def test_every_urn_parameter_is_documented_the_same_way(service_client, module):
    async with service_client(_app(module)) as client:
        openapi = (await client.get("/openapi.json")).json()
    found = 0
    for operations in openapi["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if "urn" not in parameter["name"]:
                    continue
                found += 1
                schema = parameter["schema"]
                assert schema["pattern"] == PATTERN, parameter
                assert schema["examples"] == [EXAMPLE], parameter
                assert "URN" in parameter["description"], parameter
    assert found
