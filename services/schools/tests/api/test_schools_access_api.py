"""Who may do what: advisers record, principal advisers approve and keep the register, council
staff and auditors read, systems by scope, and a designated teacher sees their own school only."""

from __future__ import annotations

import pytest


@pytest.fixture
async def two_schools(register):
    await register("118234")
    await register("118235", name="Beech Primary School")


async def test_a_designated_teacher_reads_their_own_schools_profile_and_nothing_else(
    client, two_schools, auth, settled
):
    await settled()
    teacher = auth("designated_teacher", sub="dt.oak", urn="118234")

    own = await client.get("/schools/118234", headers=teacher)
    other = await client.get("/schools/118235", headers=teacher)
    listing = await client.get("/schools", headers=teacher)
    dashboard = await client.get("/dashboard", headers=teacher)
    proposal = await client.post(
        "/schools/118234/categorisation/proposals",
        json={"category": "good", "reasons": ["ours"]},
        headers=teacher,
    )

    assert own.status_code == 200 and own.json()["urn"] == "118234"
    assert other.status_code == 403 and other.json()["field"] == "urn"
    assert "Beech" not in other.text
    assert listing.status_code == dashboard.status_code == proposal.status_code == 403


READS = [
    "/schools",
    "/schools/118234",
    "/dashboard",
    "/reviews/overdue",
    "/configuration",
    "/configuration/terms/2026",
    "/council/term-dates",
]
READERS = [
    "auditor",
    "virtual_school_head",
    "virtual_school_officer",
    "finance_officer",
    "social_worker",
    "school_improvement_adviser",
    "principal_adviser",
]


async def test_council_staff_and_auditors_read_everything(client, two_schools, auth, settled):
    await settled()

    for role in READERS:
        headers = auth(role)
        for path in READS:
            response = await client.get(path, headers=headers)

            assert response.status_code == 200, (role, path, response.text)


async def test_auditors_write_nothing(client, two_schools, auth, graded, oak_tree, head):
    auditor = auth("auditor")
    before = await head()

    attempts = [
        await client.post("/schools", json={**oak_tree, "urn": "118236"}, headers=auditor),
        await client.patch("/schools/118234", json={"headteacher": "Mr X"}, headers=auditor),
        await client.post(
            "/schools/118234/inspections", json=graded("1", "2019-10-01", "good"), headers=auditor
        ),
        await client.post(
            "/schools/118234/categorisation/proposals",
            json={"category": "good", "reasons": ["x"]},
            headers=auditor,
        ),
        await client.post("/schools/118234/reviews", json={}, headers=auditor),
        await client.put("/council/term-dates/2026", json={}, headers=auditor),
    ]

    assert [a.status_code for a in attempts] == [403] * len(attempts)
    assert await head() == before


async def test_systems_are_admitted_by_scope(client, two_schools, auth, graded, settled):
    await settled()
    reader = auth("service", sub="data-warehouse", scopes=["schools:read"])
    writer = auth("service", sub="ofsted-feed", scopes=["schools:write"])

    read = await client.get("/schools", headers=reader)
    read_write = await client.post(
        "/schools/118234/inspections", json=graded("1", "2019-10-01", "good"), headers=reader
    )
    recorded = await client.post(
        "/schools/118234/inspections", json=graded("1", "2019-10-01", "good"), headers=writer
    )
    categorised = await client.post(
        "/schools/118234/categorisation/proposals",
        json={"category": "good", "reasons": ["x"]},
        headers=writer,
    )
    write_read = await client.get("/schools", headers=writer)

    assert read.status_code == 200
    assert read_write.status_code == 403
    assert recorded.status_code == 201
    assert categorised.status_code == 403  # a category is a person's judgement
    assert write_read.status_code == 403


async def test_only_a_principal_adviser_keeps_the_register_and_sets_the_configuration(
    client, two_schools, adviser, principal_adviser, oak_tree
):
    register = await client.post("/schools", json={**oak_tree, "urn": "118236"}, headers=adviser)
    status = await client.post(
        "/schools/118234/status", json={"status": "proposed_to_close"}, headers=adviser
    )
    offer = await client.post(
        "/configuration/support-offers",
        json={
            "effective_from": "2027-09-01",
            "academy_days": 2,
            "source": "x",
            "days_by_category": {
                "outstanding": 3,
                "good": 3,
                "requires_improvement": 12,
                "ofsted_category": 20,
                "at_risk": 20,
            },
        },
        headers=adviser,
    )
    allowed = await client.post(
        "/schools/118234/status", json={"status": "proposed_to_close"}, headers=principal_adviser
    )

    assert register.status_code == status.status_code == offer.status_code == 403
    assert allowed.status_code == 200


async def test_without_a_token_nothing_is_answered(client, two_schools):
    assert (await client.get("/schools/118234")).status_code == 401
    assert (await client.post("/schools/118234/results", json={})).status_code == 401
