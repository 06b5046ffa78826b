"""What an integrator reads in the OpenAPI document is what the service answers: the new PEP's id
in the answer to initiating it, and each write route's success status as documented. (The API
tests' client also checks every successful write against its route's documented statuses.)"""

from __future__ import annotations

URN = "118001"
AUTUMN = {
    "term": {"academic_year": 2026, "season": "autumn"},
    "occasion": "initial",
    "initiated_on": "2026-09-10",
}


async def test_initiating_a_pep_answers_with_its_id_and_a_retry_with_the_same_one(pep_service):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN, entered="2026-09-07", start="2026-09-08")
        headers = {**api.social_worker, "Idempotency-Key": "initiate-C1-autumn-0001"}

        first = await api.client.post("/children/C1/peps", headers=headers, json=AUTUMN)
        again = await api.client.post("/children/C1/peps", headers=headers, json=AUTUMN)

        assert first.status_code == again.status_code == 201, first.text
        body = first.json()
        assert body["pep_id"].startswith("PEP-")
        assert first.headers["location"] == f"/children/C1/peps/{body['pep_id']}"
        assert again.json()["pep_id"] == body["pep_id"]
        assert {"stream_id", "version", "events"} <= set(body)
        assert [e["type"] for e in body["events"]] == ["PepInitiated"]
        listed = await api.ok("GET", "/children/C1/peps", api.social_worker)
        assert [p["pep_id"] for p in listed["items"]] == [body["pep_id"]]


async def test_a_pep_id_the_client_chose_comes_back_as_given(pep_service):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C2", URN, entered="2026-09-07", start="2026-09-08")

        started = await api.initiate("C2", "P-AUTUMN", 2026, "autumn", "2026-09-10", occasion="initial")

        assert started["pep_id"] == "P-AUTUMN"


async def test_the_openapi_document_gives_the_pep_id_and_the_201_of_initiation(pep_service):
    async with pep_service() as api:
        document = (await api.client.get("/openapi.json")).json()

    initiate = document["paths"]["/children/{child_id}/peps"]["post"]["responses"]
    ref = initiate["201"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert "pep_id" in schema["required"]
    assert {"stream_id", "version", "events"} <= set(schema["properties"])
    assert set(initiate) >= {"201", "200"}


async def test_entering_care_answers_201_as_documented(pep_service):
    async with pep_service() as api:
        entered = await api.client.post(
            "/children",
            headers=api.social_worker,
            json={
                "child_id": "C3",
                "name": "Kim Lee",
                "date_of_birth": "2015-02-02",
                "entered_care_on": "2026-10-01",
                "legal_status": "accommodated_section_20",
                "placing_authority": "Medway",
                "social_worker": "Sam Jones",
                "carer": "Pat Brown",
                "independent_reviewing_officer": "Jo Green",
                "sen_status": "none",
                "year_group": "year_6",
            },
        )
        document = (await api.client.get("/openapi.json")).json()

    assert entered.status_code == 201, entered.text
    responses = document["paths"]["/children"]["post"]["responses"]
    assert "201" in responses


#: The write routes that record something new answer 201 (200 when the same request again records
#: nothing); every other write answers 200. A new write route is added here with its status.
CREATING = {
    ("POST", "/children"),
    ("POST", "/previously-looked-after-children"),
    ("POST", "/council/pep-timing-policies"),
    ("POST", "/children/{child_id}/peps"),
    ("POST", "/council/attendance-policies"),
    ("POST", "/children/{child_id}/attendance/corrections"),
    ("POST", "/children/{child_id}/unique-pupil-number"),
}


async def test_every_write_route_documents_the_status_it_answers(pep_service):
    async with pep_service() as api:
        paths = (await api.client.get("/openapi.json")).json()["paths"]

    writes = {
        (method.upper(), path): {code for code in operation["responses"] if code.startswith("2")}
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method in {"post", "put", "patch", "delete"}
    }
    assert CREATING <= set(writes)
    for route, documented in writes.items():
        expected = {"201", "200"} if route in CREATING else {"200"}
        assert documented == expected, f"{route} documents {sorted(documented)}, answers {sorted(expected)}"
