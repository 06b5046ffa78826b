"""Replay with the services' own replay modules: the state as of a position equals what the
notices service's live read model held at that position, and a child's record folds with the
pep service's rules as of any date."""

from __future__ import annotations

from datetime import date, datetime, timezone

from pep.domain import children
from pep.domain.catalogue import pep_event_catalogue
from schools.domain.register import SchoolRegistered
from shared.testing.fixtures import settle

from eventlog_api_support import event_log_app, new
from test_eventlog_api_timelines import write_child_who_moved_school_twice

URN = "100002"
NOTICE = {
    "urn": URN,
    "grounds": ["low_standards", "breakdown_in_management_or_governance"],
    "low_standards_basis": ["expected_attainment", "comparable_schools"],
    "concerns": ["Key stage 2 reading well below comparable schools for three years"],
    "required_actions": ["Commission an external review of governance and act on it"],
    "powers_minded_to_use": ["s63_require_arrangements", "s65_interim_executive_board"],
    "compliance_period": {"working_days": 20},
}


async def snapshot(pool, notice_id: str) -> tuple[int, dict]:
    row = await pool.fetchrow("SELECT position, state FROM notices.notices WHERE notice_id = $1", notice_id)
    return row["position"], row["state"]


async def test_a_notices_state_as_of_each_position_is_what_the_notices_read_model_held(
    service_client, auth, log, pool, clock
):
    from notices.main import create_app as notices_app

    clock.set(datetime(2024, 1, 8, 10, 0, tzinfo=timezone.utc))
    await log.append(
        f"school-{URN}",
        [
            new(
                SchoolRegistered(
                    urn=URN,
                    name="Riverside Community Primary School",
                    la_code="886",
                    establishment_type="community",
                    phase="primary",
                    headteacher="Ms A Patel",
                    status="open",
                    registered_on=date(2001, 9, 1),
                )
            )
        ],
        metadata={"service": "schools"},
    )
    adviser, director = auth("school_improvement_adviser"), auth("principal_adviser")
    snapshots = []
    async with service_client(notices_app) as notices, service_client(event_log_app()) as event_log:
        await settle(notices.app)
        drafted = await notices.post("/notices", json=NOTICE, headers=adviser)
        assert drafted.status_code == 201, drafted.text
        notice_id = drafted.json()["notice_id"]
        await settle(notices.app)
        snapshots.append(await snapshot(pool, notice_id))
        given = await notices.post(
            f"/notices/{notice_id}/give", json={"given_on": "2024-01-08"}, headers=director
        )
        assert given.status_code == 200, given.text
        await settle(notices.app)
        snapshots.append(await snapshot(pool, notice_id))

        assert snapshots[0][1] != snapshots[1][1]
        for position, read_model_state in snapshots:
            replayed = await event_log.get(
                f"/streams/notice-{notice_id}/state", params={"position": position}, headers=auth("auditor")
            )
            assert replayed.status_code == 200, replayed.text
            body = replayed.json()
            assert (body["service"], body["replayable"], body["last_position"]) == ("notices", True, position)
            assert body["state"] == read_model_state


async def test_a_childs_record_as_of_a_date_is_the_pep_services_fold_of_what_was_true_then(
    client, auth, log, pool
):
    await write_child_who_moved_school_twice(log)
    catalogue = pep_event_catalogue()
    stored = await log.read_stream("child-C1")
    for as_of in (date(2024, 12, 1), date(2025, 3, 1), date(2025, 10, 1)):
        expected = children.fold(
            [catalogue.decode_record(r) for r in stored if r.effective_date <= as_of]
        )
        body = (
            await client.get(
                "/children/C1/state", params={"as_of": as_of.isoformat()}, headers=auth("auditor")
            )
        ).json()
        streams = {s["stream_id"]: s for s in body["streams"]}
        child = streams["child-C1"]
        assert (child["service"], child["replayable"]) == ("pep", True)
        assert child["state"]["placements"] == [
            {
                "urn": p.urn,
                "start_date": p.start_date.isoformat(),
                "end_date": p.end_date and p.end_date.isoformat(),
            }
            for p in expected.placements
        ]
    assert [p["urn"] for p in child["state"]["placements"]] == ["100001", "100002", "100003"]


async def test_a_replayed_record_holds_the_childs_personal_fields_only_for_readers_whose_work_needs_them(
    client, auth, log
):
    await write_child_who_moved_school_twice(log)
    [entered] = [r for r in await log.read_stream("child-C1") if r.event_type == "ChildEnteredCare"]
    name = entered.data["name"]
    for role, opened in (("virtual_school_head", True), ("auditor", True), ("principal_adviser", False)):
        for route in ("/children/C1/state", "/streams/child-C1/state"):
            answer = await client.get(route, headers=auth(role))
            assert answer.status_code == 200, answer.text
            assert (name in answer.text) is opened, (role, route)
            assert answer.json().get("personal_data_withheld", False) is (not opened), (role, route)
    # Folded without them, the rest of the record is the same: the schools, the dates.
    adviser = (await client.get("/children/C1/state", headers=auth("principal_adviser"))).json()
    head = (await client.get("/children/C1/state", headers=auth("virtual_school_head"))).json()
    assert adviser["streams"][0]["state"]["placements"] == head["streams"][0]["state"]["placements"]
    assert adviser["streams"][0]["state"]["name"] is None
    service = auth("service", sub="finance-system", scopes=["event-log:read"])
    assert name not in (await client.get("/children/C1/state", headers=service)).text
    with_scope = auth("service", sub="finance-system", scopes=["event-log:read", "event-log:read:personal-data"])
    assert name in (await client.get("/children/C1/state", headers=with_scope)).text
