"""Each write route documents the success statuses it answers. (The API tests' client also checks
every successful write against its route's documented statuses.)"""

from __future__ import annotations

#: The write routes that record something new answer 201 (200 when the same request records
#: nothing new); every other write answers 200. A new write route is added here with its status.
CREATING = {
    ("POST", "/schools"),
    ("POST", "/schools/{urn}/inspections"),
    ("POST", "/schools/{urn}/results"),
    ("POST", "/schools/{urn}/reviews"),
    ("POST", "/schools/{urn}/categorisation/proposals"),
    ("POST", "/schools/{urn}/support/increases"),
    ("POST", "/schools/{urn}/support/visits"),
    ("POST", "/configuration/support-offers"),
    ("POST", "/configuration/review-rules"),
    ("POST", "/configuration/stuck-rules"),
    ("POST", "/configuration/report-card-concern-policies"),
    ("POST", "/schools/{urn}/rise-engagements"),
}
#: Always 201: a conversion records the academy every time it is answered.
ALWAYS_CREATED = {("POST", "/schools/{urn}/conversion")}


async def test_every_write_route_documents_the_status_it_answers(client):
    paths = (await client.get("/openapi.json")).json()["paths"]

    writes = {
        (method.upper(), path): {code for code in operation["responses"] if code.startswith("2")}
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method in {"post", "put", "patch", "delete"}
    }
    assert CREATING | ALWAYS_CREATED <= set(writes)
    for route, documented in writes.items():
        if route in ALWAYS_CREATED:
            expected = {"201"}
        elif route in CREATING:
            expected = {"201", "200"}
        else:
            expected = {"200"}
        assert documented == expected, f"{route} documents {sorted(documented)}, answers {sorted(expected)}"


async def test_approving_without_a_body_approves_today(client, register, adviser, second_principal_adviser):
    await register()
    proposed = await client.post(
        "/schools/118234/categorisation/proposals",
        json={"category": "good", "reasons": ["good at the last inspection"]},
        headers=adviser,
    )

    approved = await client.post(
        f"/schools/118234/categorisation/proposals/{proposed.json()['pending_proposal']['proposal_id']}/approval",
        headers=second_principal_adviser,
    )

    assert approved.status_code == 200, approved.text
    assert approved.json()["categorised_on"] == "2026-11-02"
