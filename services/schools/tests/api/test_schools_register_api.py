"""The register through the API: registering, changing details and status, converting to an
academy (both streams or neither), ETags and If-Match, and retried requests."""

from __future__ import annotations


async def test_a_registered_school_has_a_profile_whose_etag_is_its_register_version(
    client, register, principal_adviser, settled
):
    registered = await register()
    await settled()

    profile = await client.get("/schools/118234", headers=principal_adviser)

    assert registered["recorded"] == ["SchoolRegistered"]
    assert registered["maintained"] is True and registered["has_foundation_governors"] is True
    assert profile.status_code == 200
    assert profile.headers["etag"] == '"1"'
    body = profile.json()
    assert body["name"] == "Oak Tree Primary School"
    assert body["diocese"] == "Archdiocese of Southwark"
    assert body["versions"] == {"school": 1}


async def test_changing_details_sets_only_the_fields_given_and_a_null_clears_one(
    client, register, principal_adviser, stream
):
    await register(chair_of_governors="Mr B Osei")

    changed = await client.patch(
        "/schools/118234",
        json={"headteacher": "Mr C Wood", "chair_of_governors": None},
        headers={**principal_adviser, "If-Match": '"1"'},
    )

    assert changed.status_code == 200, changed.text
    assert changed.headers["etag"] == '"2"'
    assert changed.json()["headteacher"] == "Mr C Wood"
    assert changed.json()["chair_of_governors"] is None
    assert changed.json()["diocese"] == "Archdiocese of Southwark"
    [_, event] = await client.app.state.store.read_stream("school-118234")
    assert event.event_type == "SchoolDetailsChanged"
    assert event.data["changed_fields"] == ["chair_of_governors", "headteacher"]
    assert event.data["chair_of_governors"] is None
    assert event.data["name"] == "Oak Tree Primary School"  # every field as it now stands


async def test_a_change_made_against_a_stale_version_is_refused_and_appends_nothing(
    client, register, principal_adviser, head
):
    await register()
    await client.patch("/schools/118234", json={"headteacher": "Mr C Wood"}, headers=principal_adviser)
    before = await head()

    stale = await client.patch(
        "/schools/118234", json={"headteacher": "Ms D Hart"}, headers={**principal_adviser, "If-Match": '"1"'}
    )

    assert stale.status_code == 409
    assert stale.json()["field"] == "If-Match"
    assert await head() == before


async def test_a_school_proposed_to_close_closes_and_a_closed_urn_never_reopens(
    client, register, principal_adviser, stream
):
    await register()

    proposed = await client.post(
        "/schools/118234/status",
        json={"status": "proposed_to_close", "reason": "falling rolls"},
        headers=principal_adviser,
    )
    closed = await client.post(
        "/schools/118234/status",
        json={"status": "closed", "changed_on": "2026-10-31"},
        headers=principal_adviser,
    )
    reopened = await client.post("/schools/118234/status", json={"status": "open"}, headers=principal_adviser)

    assert proposed.json()["status"] == "proposed_to_close"
    assert closed.json()["status"] == "closed" and closed.json()["closed_on"] == "2026-10-31"
    assert reopened.status_code == 422 and reopened.json()["field"] == "status"
    assert await stream("school-118234") == ["SchoolRegistered", "SchoolStatusChanged", "SchoolClosed"]


async def test_a_conversion_closes_the_predecessor_and_registers_the_academy_in_one_append(
    client, register, principal_adviser, settled
):
    await register(establishment_type="community", religious_character=None, diocese=None)

    converted = await client.post(
        "/schools/118234/conversion",
        json={
            "academy_urn": "148001",
            "academy_name": "Oak Tree Academy",
            "academy_type": "academy_converter",
            "trust_name": "Weald Learning Trust",
            "converted_on": "2026-09-01",
        },
        headers=principal_adviser,
    )
    await settled()

    assert converted.status_code == 201, converted.text
    assert converted.headers["location"] == "/schools/148001"
    body = converted.json()
    assert body["predecessor"]["status"] == "closed" and body["predecessor"]["closed_on"] == "2026-08-31"
    assert body["predecessor"]["successor_urn"] == "148001"
    assert body["academy"]["predecessor_urn"] == "118234" and body["academy"]["maintained"] is False
    store = client.app.state.store
    predecessor = await store.read_stream("school-118234")
    academy = await store.read_stream("school-148001")
    positions = [r.position for r in (*predecessor[1:], *academy)]
    assert positions == list(range(positions[0], positions[0] + 3))  # one transaction, in order
    assert len({r.recorded_at for r in (*predecessor[1:], *academy)}) == 1
    academy_profile = (await client.get("/schools/148001", headers=principal_adviser)).json()
    assert academy_profile["predecessor_urn"] == "118234"
    old_profile = (await client.get("/schools/118234", headers=principal_adviser)).json()
    assert old_profile["status"] == "closed" and old_profile["successor_urn"] == "148001"


async def test_a_conversion_to_a_urn_already_registered_writes_to_neither_stream(
    client, register, principal_adviser, head, stream
):
    await register(establishment_type="community")
    await register("148001", name="Another Academy", establishment_type="academy_converter")
    before = await head()

    refused = await client.post(
        "/schools/118234/conversion",
        json={
            "academy_urn": "148001",
            "academy_name": "Oak Tree Academy",
            "academy_type": "academy_converter",
            "converted_on": "2026-09-01",
        },
        headers=principal_adviser,
    )

    assert refused.status_code == 409
    assert refused.json()["field"] == "academy_urn"
    assert await head() == before
    assert await stream("school-118234") == ["SchoolRegistered"]


async def test_a_registration_retried_with_its_idempotency_key_answers_as_the_first_did(
    client, principal_adviser, stream, oak_tree
):
    headers = {**principal_adviser, "Idempotency-Key": "register-118234-a"}

    first = await client.post("/schools", json=oak_tree, headers=headers)
    retried = await client.post("/schools", json=oak_tree, headers=headers)
    without_key = await client.post("/schools", json=oak_tree, headers=principal_adviser)

    assert first.status_code == retried.status_code == 201
    assert retried.json() == first.json()
    assert without_key.status_code == 409 and without_key.json()["field"] == "urn"
    assert await stream("school-118234") == ["SchoolRegistered"]
