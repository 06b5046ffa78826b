"""A caller that has written can read what its write caused: the answer names the log position it
reached (Log-Position), and a request sent with Min-Log-Position waits for the service's read
models to apply the log that far, or is refused with 503 and nothing read."""

from __future__ import annotations

import pytest
from schools.main import create_app as create_schools

from shared.testing.problems import assert_problem

SCHOOL = {
    "name": "Oak Tree Primary School",
    "la_code": "886",
    "la_name": "Kent",
    "establishment_type": "community",
    "phase": "primary",
    "opened_on": "1974-09-01",
}
ROUNDS = 200


@pytest.fixture
def adviser(auth) -> dict[str, str]:
    return auth("principal_adviser", sub="pa.okafor")


async def test_a_school_just_registered_is_always_found_by_a_read_that_names_the_write(
    service_client, adviser, monkeypatch
):
    # The read models are woken by the log's notifications, not by a quick poll: without the
    # header a read straight after the write can miss it.
    monkeypatch.setenv("SUBSCRIPTION_POLL_SECONDS", "5")
    async with service_client(create_schools) as client:
        positions = []
        for n in range(ROUNDS):
            urn = f"{200000 + n}"
            written = await client.post("/schools", json={**SCHOOL, "urn": urn}, headers=adviser)
            assert written.status_code == 201, written.text
            position = written.headers["Log-Position"]
            read = await client.get(f"/schools/{urn}", headers={**adviser, "Min-Log-Position": position})
            assert read.status_code == 200, (n, read.text)
            assert read.json()["urn"] == urn
            positions.append(int(position))
    assert positions == sorted(positions) and len(set(positions)) == ROUNDS


GIAS_HEADER = (
    "URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),"
    "OpenDate,CloseDate,PhaseOfEducation (name),ReligiousCharacter (name),Diocese (name),HeadTitle (name),"
    "HeadFirstName,HeadLastName"
)


def gias_csv(urn: str) -> bytes:
    row = (f"{urn},886,Kent,Ash Primary,Community school,Open,01-09-1974,,Primary,Does not apply,"
           "Not applicable,Mrs,Ann,Head")
    return f"{GIAS_HEADER}\r\n{row}\r\n".encode()


async def test_a_school_just_imported_from_the_national_register_is_always_found(
    service_client, adviser, monkeypatch
):
    monkeypatch.setenv("SUBSCRIPTION_POLL_SECONDS", "5")
    async with service_client(create_schools) as client:
        for n in range(ROUNDS):
            urn = f"{300000 + n}"
            imported = await client.post(
                "/schools/imports",
                params={"la_code": "886", "as_of": "2026-11-02"},
                content=gias_csv(urn),
                headers={**adviser, "Content-Type": "text/csv"},
            )
            assert imported.status_code == 200, imported.text
            read = await client.get(
                f"/schools/{urn}", headers={**adviser, "Min-Log-Position": imported.headers["Log-Position"]}
            )
            assert read.status_code == 200, (n, read.text)


async def test_a_retried_write_names_the_position_of_the_first(service_client, adviser):
    async with service_client(create_schools) as client:
        headers = {**adviser, "Idempotency-Key": "register-200500-once"}
        first = await client.post("/schools", json={**SCHOOL, "urn": "200500"}, headers=headers)
        again = await client.post("/schools", json={**SCHOOL, "urn": "200500"}, headers=headers)
        assert first.headers["Log-Position"] == again.headers["Log-Position"]
        # A read writes nothing, so names no position.
        assert "Log-Position" not in (await client.get("/schools/200500", headers=adviser)).headers


async def test_a_read_the_service_cannot_catch_up_to_in_time_is_refused_with_503(
    service_client, adviser, monkeypatch
):
    monkeypatch.setenv("CONSISTENCY_WAIT_SECONDS", "0.2")
    async with service_client(create_schools) as client:
        written = await client.post("/schools", json={**SCHOOL, "urn": "200600"}, headers=adviser)
        position = written.headers["Log-Position"]
        # The read models stop (as if far behind): the request is held, then refused.
        for subscription in client.app.state.subscriptions:
            await subscription.stop()
        await client.app.state.pool.execute("UPDATE schools.subscription_checkpoints SET position = 0")
        refused = await client.get("/schools/200600", headers={**adviser, "Min-Log-Position": position})
        assert_problem(refused, 503, field="Min-Log-Position")
        assert refused.headers["Retry-After"]


@pytest.mark.parametrize("value", ["soon", "-1", "1.5", "9" * 30])
async def test_a_min_log_position_that_is_not_a_position_is_refused_naming_the_header(
    service_client, adviser, value
):
    async with service_client(create_schools) as client:
        refused = await client.get("/schools", headers={**adviser, "Min-Log-Position": value})
        assert_problem(refused, 422, field="Min-Log-Position")


async def test_a_position_beyond_the_end_of_the_log_is_refused(service_client, adviser):
    async with service_client(create_schools) as client:
        refused = await client.get("/schools", headers={**adviser, "Min-Log-Position": "999999"})
        assert_problem(refused, 422, field="Min-Log-Position")
        assert "beyond the end of the log" in refused.json()["detail"]
