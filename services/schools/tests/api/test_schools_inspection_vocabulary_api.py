"""An inspection's vocabulary is in the OpenAPI document, per framework, from the same lists the
domain checks against (schools.domain.frameworks.VOCABULARIES): the body is one shape per
framework (``oneOf`` with a ``discriminator`` on ``framework``), each enumerating its judgement
names and grades, overall grades and safeguarding outcomes. Valid bodies are as before; a value
outside the lists is refused with 422 naming the field as the caller wrote it."""

from __future__ import annotations

import pytest
from schools.domain.frameworks import VOCABULARIES, Framework, judgement_areas

from shared.testing.problems import assert_problem


def resolve(document: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def enum_of(document: dict, schema: dict) -> list | None:
    """The values a (possibly nullable) field may take; None for a field that must be left out."""
    schema = resolve(document, schema)
    for option in schema.get("anyOf", [schema]):
        option = resolve(document, option)
        if "enum" in option:
            return option["enum"]
    return None if schema.get("type") == "null" else pytest.fail(f"not an enumeration: {schema}")


async def test_the_document_shows_each_frameworks_vocabulary_as_the_domain_has_it(client):
    document = client.app.openapi()
    operation = document["paths"]["/schools/{urn}/inspections"]["post"]
    body = resolve(document, operation["requestBody"]["content"]["application/json"]["schema"])

    assert body["discriminator"]["propertyName"] == "framework"
    assert set(body["discriminator"]["mapping"]) == {f.value for f in Framework}
    assert len(body["oneOf"]) == len(Framework)
    for framework, vocabulary in VOCABULARIES.items():
        variant = resolve(document, {"$ref": body["discriminator"]["mapping"][framework.value]})
        fields = variant["properties"]
        assert variant["additionalProperties"] is False
        assert fields["framework"]["const"] == framework.value
        assert enum_of(document, fields["overall_effectiveness"]) == (list(vocabulary.overall_grades) or None)
        assert enum_of(document, fields["safeguarding"]) == (list(vocabulary.safeguarding) or None)
        judgements = resolve(document, fields["judgements"])
        assert judgements["additionalProperties"] is False
        assert list(judgements["properties"]) == list(judgement_areas(vocabulary))
        for area in judgements["properties"].values():
            assert area["enum"] == list(vocabulary.judgement_grades)
        if framework is Framework.SEPTEMBER_2012:
            # The 2012 and 2015 handbooks' key judgements beside the 2019 framework's.
            assert {"achievement_of_pupils", "outcomes_for_pupils", "quality_of_education"} <= set(
                judgements["properties"]
            )


async def test_a_valid_body_is_recorded_as_before_under_every_framework(client, register, adviser):
    await register()
    bodies = client.app.openapi()["components"]["schemas"]["InspectionCreate"]["examples"]
    assert {b["framework"] for b in bodies} == {f.value for f in Framework}

    for body in sorted(bodies, key=lambda b: b["inspected_on"]):
        response = await client.post("/schools/118234/inspections", json=body, headers=adviser)

        assert response.status_code == 201, response.text
        assert response.json()["framework"] == body["framework"]
        assert response.json()["judgements"] == body.get("judgements", {})


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"judgements": {"quality_of_education": "strong_standard"}},
            "judgements.quality_of_education",
            "'outstanding', 'good', 'requires_improvement' or 'inadequate'",
        ),
        ({"judgements": {"inclusion": "good"}}, "judgements.inclusion", "is not a field this request takes"),
        ({"safeguarding": "met"}, "safeguarding", "must be one of 'effective' or 'not_effective'"),
        ({"overall_effectiveness": "satisfactory"}, "overall_effectiveness", "must be one of"),
        ({"framework": "ofsted_2030"}, "framework", "must be one of 'ofsted_until_august_2012'"),
        ({"framework": None}, "framework", "must be one of"),
        (
            {"framework": "ofsted_until_august_2012", "inspected_on": "2011-05-10", "judgements": {}},
            "safeguarding",
            "safeguarding must be left out (or null)",
        ),
        (
            {"framework": "ofsted_september_2024", "inspected_on": "2025-01-15"},
            "overall_effectiveness",
            "overall_effectiveness must be left out (or null)",
        ),
    ],
)
async def test_a_value_outside_the_vocabulary_is_refused_naming_the_field_in_plain_english(
    client, register, adviser, graded, head, changes, field, words
):
    await register()
    before = await head()

    response = await client.post(
        "/schools/118234/inspections",
        json={**graded("10001", "2019-10-01", "good"), **changes},
        headers=adviser,
    )

    assert_problem(response, 422, field)
    assert words in response.json()["detail"]
    assert "ofsted_" not in response.json()["field"]
    assert await head() == before


async def test_without_a_framework_the_body_is_refused_naming_it(client, register, adviser, graded):
    await register()
    body = graded("10001", "2019-10-01", "good")
    del body["framework"]

    response = await client.post("/schools/118234/inspections", json=body, headers=adviser)

    assert_problem(response, 422, "framework")
    assert response.json()["detail"] == "framework is required"
