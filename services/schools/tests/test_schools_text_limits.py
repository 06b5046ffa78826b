"""Everything a client writes to the schools service is bounded (``shared.text``), the bounds are
in /openapi.json, and an over-long value is refused with 422 naming the field before anything
reaches the append-only log. The register's CSV import holds its cells to the same limits."""

from __future__ import annotations

import copy
import csv
import io

from schools.main import create_app

from shared.testing.problems import assert_problem
from shared.text import LABEL_MAX, NAME_MAX, NARRATIVE_MAX, NOTE_MAX, unlimited_request_fields

URN = "118234"
SCHOOL = {
    "urn": URN,
    "name": "Oak Tree Primary School",
    "la_code": "886",
    "establishment_type": "community",
    "phase": "primary",
}



async def test_every_string_list_and_map_a_request_body_can_carry_has_a_limit_in_openapi(service_client):
    async with service_client(create_app) as client:
        document = (await client.get("/openapi.json")).json()

    assert unlimited_request_fields(document) == []
    schemas = document["components"]["schemas"]
    assert schemas["SchoolCreate"]["properties"]["name"]["maxLength"] == NAME_MAX
    assert schemas["VisitCreate"]["properties"]["notes"]["anyOf"][0]["maxLength"] == NARRATIVE_MAX

    # The check fails for a field that comes without a limit.
    unbounded = copy.deepcopy(document)
    del unbounded["components"]["schemas"]["SchoolCreate"]["properties"]["name"]["maxLength"]
    assert unlimited_request_fields(unbounded) == ["POST /schools name: text with no maxLength"]


async def test_a_school_name_of_10001_characters_is_refused_naming_name_and_nothing_is_appended(
    service_client, auth
):
    principal_adviser = auth("principal_adviser")
    async with service_client(create_app) as client:
        store = client.app.state.store
        head = await store.head_position()

        refused = await client.post(
            "/schools", json={**SCHOOL, "name": "N" * 10_001}, headers=principal_adviser
        )
        assert_problem(refused, 422, "name")
        assert "200 characters" in refused.json()["detail"]
        one_too_many = {**SCHOOL, "name": "N" * (NAME_MAX + 1)}
        answer = await client.post("/schools", json=one_too_many, headers=principal_adviser)
        assert_problem(answer, 422, "name")
        assert await store.head_position() == head
        assert await store.stream_version(f"school-{URN}") == 0

        longest = await client.post(
            "/schools", json={**SCHOOL, "name": "N" * NAME_MAX}, headers=principal_adviser
        )
        assert longest.status_code == 201, longest.text
        assert longest.json()["name"] == "N" * NAME_MAX


async def test_over_long_text_anywhere_in_the_register_and_support_is_refused_naming_the_field(
    service_client, auth
):
    principal_adviser = auth("principal_adviser")
    adviser = auth("school_improvement_adviser")
    async with service_client(create_app) as client:
        registered = await client.post("/schools", json=SCHOOL, headers=principal_adviser)
        assert registered.status_code == 201, registered.text
        store = client.app.state.store
        head = await store.head_position()

        cases = [
            ("PATCH", f"/schools/{URN}", principal_adviser, {"headteacher": "H" * 10_001}, "headteacher"),
            ("PATCH", f"/schools/{URN}", principal_adviser, {"la_code": "8" * (LABEL_MAX + 1)}, "la_code"),
            ("PATCH", f"/schools/{URN}", principal_adviser, {"name": ""}, "name"),
            (
                "POST",
                f"/schools/{URN}/status",
                principal_adviser,
                {"status": "proposed_to_close", "reason": "r" * (NOTE_MAX + 1)},
                "reason",
            ),
            (
                "POST",
                f"/schools/{URN}/support/visits",
                adviser,
                {"visited_on": "2026-10-01", "days": "0.5", "purpose": "Termly visit", "notes": "n" * 10_001},
                "notes",
            ),
            (
                "POST",
                f"/schools/{URN}/support/visits",
                adviser,
                {"visited_on": "2026-10-01", "days": "1" * 40, "purpose": "Termly visit"},
                "days",
            ),
            (
                "POST",
                f"/schools/{URN}/categorisation/proposals",
                adviser,
                {"category": "good", "reasons": ["Strong results", "r" * (NOTE_MAX + 1)]},
                "reasons.1",
            ),
            (
                "POST",
                f"/schools/{URN}/categorisation/proposals",
                adviser,
                {"category": "good", "reasons": ["A reason"] * 21},
                "reasons",
            ),
            (
                "POST",
                f"/schools/{URN}/inspections",
                adviser,
                {
                    "inspection_id": "10012345",
                    "inspected_on": "2026-10-01",
                    "inspection_type": "graded",
                    "framework": "ofsted_september_2012",
                    "overall_effectiveness": "good",
                    "judgements": {"leadership_and_management": "g" * (LABEL_MAX + 1)},
                },
                "judgements.leadership_and_management",
            ),
        ]
        for method, url, headers, body, field in cases:
            answer = await client.request(method, url, json=body, headers=headers)
            assert_problem(answer, 422, field)
        assert await store.head_position() == head


HEADER = [
    "URN", "LA (code)", "LA (name)", "EstablishmentName", "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)", "OpenDate", "CloseDate", "PhaseOfEducation (name)",
    "ReligiousCharacter (name)", "Diocese (name)", "HeadTitle (name)", "HeadFirstName", "HeadLastName",
]


def register_csv(*rows: dict[str, str]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for changes in rows:
        row = {
            "URN": "118001", "LA (code)": "886", "LA (name)": "Kent", "EstablishmentName": "Ash Primary",
            "TypeOfEstablishment (name)": "Community school", "EstablishmentStatus (name)": "Open",
            "OpenDate": "01-09-1974", "CloseDate": "", "PhaseOfEducation (name)": "Primary",
            "ReligiousCharacter (name)": "Does not apply", "Diocese (name)": "Not applicable",
            "HeadTitle (name)": "Mrs", "HeadFirstName": "Ann", "HeadLastName": "Head",
            **changes,
        }
        writer.writerow([row[name] for name in HEADER])
    return out.getvalue().encode("utf-8")


async def test_an_imported_row_with_an_over_long_name_is_rejected_with_its_line_and_the_rest_import(
    service_client, auth
):
    principal_adviser = auth("principal_adviser")
    data = register_csv(
        {"URN": "118001", "EstablishmentName": "E" * 10_001},
        {"URN": "118002", "EstablishmentName": "Birch Primary", "HeadLastName": "L" * NAME_MAX},
        {"URN": "118003", "EstablishmentName": "Cedar Primary"},
    )
    async with service_client(create_app) as client:
        store = client.app.state.store
        answer = await client.post(
            "/schools/imports",
            params={"la_code": "886", "as_of": "2026-11-02"},
            content=data,
            headers={**principal_adviser, "Content-Type": "text/csv"},
        )
        assert answer.status_code == 200, answer.text
        report = answer.json()
        assert report["registered"] == 1
        assert [(r["line"], r["urn"]) for r in report["rejected"]] == [(2, "118001"), (3, "118002")]
        assert "EstablishmentName is longer than 200 characters" in report["rejected"][0]["reasons"]
        assert "the headteacher's name is longer than 200 characters" in report["rejected"][1]["reasons"]
        assert await store.stream_version("school-118001") == 0
        assert await store.stream_version("school-118002") == 0
        assert await store.stream_version("school-118003") == 1
