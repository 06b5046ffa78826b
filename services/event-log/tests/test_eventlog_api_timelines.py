"""Timelines: a child's across every service, with each school's events only while on its roll;
a school's; and each read of a child's timeline by a person recorded for auditors."""

from __future__ import annotations

import json
from datetime import date

from pep.domain.child_events import (
    ChildAwaitingSchoolPlace,
    ChildEnteredCare,
    ChildLeftCare,
    ChildMovedSchool,
    ChildPlacedAtSchool,
    LeftCareReason,
    LegalStatus,
    SenStatus,
    YearGroup,
)

from shared.eventlog.records import RecordedEvent

from event_log.queries.roll_periods import RollPeriod, roll_periods

from eventlog_api_support import new, raw


def entered_care(child_id: str) -> ChildEnteredCare:
    return ChildEnteredCare(
        child_id=child_id,
        name="Sam Example",
        date_of_birth=date(2014, 3, 1),
        entered_care_on=date(2024, 6, 1),
        legal_status=LegalStatus.FULL_CARE_ORDER,
        placing_authority="Medway",
        social_worker="SW One",
        carer="Carer One",
        independent_reviewing_officer="IRO One",
        sen_status=SenStatus.NONE,
        year_group=YearGroup.YEAR_5,
    )


def placed(child_id: str, urn: str, start: date) -> ChildPlacedAtSchool:
    return ChildPlacedAtSchool(
        child_id=child_id, urn=urn, start_date=start, year_group=YearGroup.YEAR_5, looked_after=True
    )


def moved(child_id: str, from_urn: str, to_urn: str, last_day: date, start: date) -> ChildMovedSchool:
    return ChildMovedSchool(
        child_id=child_id,
        from_urn=from_urn,
        to_urn=to_urn,
        left_previous_school_on=last_day,
        start_date=start,
        reason="new placement",
        year_group=YearGroup.YEAR_6,
        looked_after=True,
    )


def school_fact(urn: str, label: str, on: date):
    return raw("InspectionRecorded", {"urn": urn, "label": label}, on, (f"school:{urn}",))


async def write_child_who_moved_school_twice(log) -> None:
    await log.append("child-C1", [new(entered_care("C1"))])
    await log.append("child-C1", [new(placed("C1", "100001", date(2024, 9, 2)))])
    for urn, label, on in [
        ("100001", "A before", date(2024, 8, 1)),
        ("100001", "A during", date(2024, 10, 15)),
        ("100001", "A last day", date(2025, 1, 10)),
        ("100002", "B before", date(2025, 1, 12)),
        ("100004", "D never attended", date(2025, 2, 1)),
    ]:
        await log.append(f"inspections-{urn}", [school_fact(urn, label, on)])
    await log.append("child-C1", [new(moved("C1", "100001", "100002", date(2025, 1, 10), date(2025, 1, 13)))])
    await log.append("child-C2", [new(entered_care("C2")), new(placed("C2", "100002", date(2025, 2, 1)))])
    await log.append(
        "ppbudget-2024-25",
        [
            raw(
                "PupilPremiumPlusRequested",
                {"child_id": "C1", "school_urn": "100002", "label": "C1 request"},
                date(2025, 2, 3),
                ("child:C1", "school:100002"),
            )
        ],
    )
    await log.append(
        "pep-C1",
        [
            raw(
                "PepInitiated",
                {"child_id": "C1", "urn": "100002", "label": "C1 PEP"},
                date(2025, 2, 4),
                ("child:C1", "school:100002"),
            )
        ],
    )
    for urn, label, on in [
        ("100001", "A after", date(2025, 3, 1)),
        ("100002", "B first day", date(2025, 1, 13)),  # recorded late: belongs by its effective date
        ("100002", "B after", date(2025, 7, 19)),
    ]:
        await log.append(f"inspections-{urn}", [school_fact(urn, label, on)])
    await log.append("child-C1", [new(moved("C1", "100002", "100003", date(2025, 7, 18), date(2025, 9, 3)))])
    await log.append("inspections-100003", [school_fact("100003", "C before", date(2025, 9, 2))])
    await log.append("inspections-100003", [school_fact("100003", "C during", date(2025, 10, 1))])


async def test_a_child_who_moved_school_twice_sees_each_schools_events_only_while_on_its_roll(
    client, auth, log
):
    await write_child_who_moved_school_twice(log)
    response = await client.get("/children/C1/timeline", params={"limit": 1000}, headers=auth("auditor"))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["roll_periods"] == [
        {"urn": "100001", "from": "2024-09-02", "to": "2025-01-10"},
        {"urn": "100002", "from": "2025-01-13", "to": "2025-07-18"},
        {"urn": "100003", "from": "2025-09-03", "to": None},
    ]
    school_labels = [e["data"]["label"] for e in body["items"] if e["type"] == "InspectionRecorded"]
    assert school_labels == ["A during", "A last day", "B first day", "C during"]
    own = [e["type"] for e in body["items"] if "child:C1" in e["subjects"]]
    assert own == [
        "ChildEnteredCare",
        "ChildPlacedAtSchool",
        "ChildMovedSchool",
        "PupilPremiumPlusRequested",
        "PepInitiated",
        "ChildMovedSchool",
    ]
    assert not [e for e in body["items"] if "child:C2" in e["subjects"]], "another child's events leaked"
    positions = [e["position"] for e in body["items"]]
    assert positions == sorted(positions)


async def test_a_timeline_pages_by_position_and_its_export_holds_the_same_events(client, auth, log):
    await write_child_who_moved_school_twice(log)
    headers = auth("principal_adviser")
    whole = (await client.get("/children/C1/timeline", params={"limit": 1000}, headers=headers)).json()[
        "items"
    ]
    paged, link = [], "/children/C1/timeline?limit=3"
    while link is not None:
        page = (await client.get(link, headers=headers)).json()
        assert page["child_id"] == "C1"
        paged += page["items"]
        link = page["next"]
    assert paged == whole
    export = await client.get("/exports/children/C1/timeline", headers=headers)
    assert export.status_code == 200
    assert [json.loads(line) for line in export.text.splitlines()] == whole


async def test_reading_a_childs_timeline_is_recorded_for_a_person_but_not_for_a_system(
    client, auth, log, pool
):
    await write_child_who_moved_school_twice(log)
    await client.get("/children/C1/timeline", headers=auth("auditor", sub="auditor-jo"))
    await client.get("/children/C1/timeline", headers=auth("service", scopes=["event-log:read"]))
    reads = await pool.fetch("SELECT actor, role, service, subject, route FROM eventlog.record_reads")
    assert [dict(r) for r in reads] == [
        {
            "actor": "auditor-jo",
            "role": "auditor",
            "service": "event-log",
            "subject": "child:C1",
            "route": "GET /children/{child_id}/timeline",
        }
    ]


async def test_an_unknown_child_or_school_is_not_found_and_a_malformed_urn_is_refused(client, auth, log):
    await write_child_who_moved_school_twice(log)
    headers = auth("auditor")
    missing = await client.get("/children/C9/timeline", headers=headers)
    assert missing.status_code == 404 and missing.json()["field"] == "child_id"
    assert (await client.get("/schools/999999/timeline", headers=headers)).status_code == 404
    malformed = await client.get("/schools/12ab/timeline", headers=headers)
    assert malformed.status_code == 422 and malformed.json()["field"] == "urn"


async def test_a_schools_timeline_holds_every_event_about_it_and_records_the_children_it_shows(
    client, auth, log, pool
):
    await write_child_who_moved_school_twice(log)
    body = (
        await client.get("/schools/100002/timeline", params={"limit": 1000}, headers=auth("auditor"))
    ).json()
    assert all("school:100002" in e["subjects"] for e in body["items"])
    labels = [e["data"].get("label") for e in body["items"] if e["type"] == "InspectionRecorded"]
    assert labels == ["B before", "B first day", "B after"]
    assert {"ChildMovedSchool", "ChildPlacedAtSchool", "PupilPremiumPlusRequested"} <= {
        e["type"] for e in body["items"]
    }
    only_inspections = (
        await client.get(
            "/schools/100002/timeline", params={"type": "InspectionRecorded"}, headers=auth("auditor")
        )
    ).json()
    assert {e["type"] for e in only_inspections["items"]} == {"InspectionRecorded"}
    readers = await pool.fetch("SELECT subject FROM eventlog.record_reads ORDER BY subject")
    assert sorted({r["subject"] for r in readers}) == ["child:C1", "child:C2"]


def _recorded(position: int, event) -> RecordedEvent:
    new_event = new(event)
    return RecordedEvent(
        position,
        f"child-{event.child_id}",
        position,
        new_event.event_type,
        1,
        new_event.data,
        {},
        new_event.effective_date,
        None,
        new_event.subjects,
        b"",
        b"",
    )


def test_roll_periods_end_when_a_child_awaits_a_place_or_the_council_stops_following_them():
    events = [
        placed("C1", "100001", date(2024, 9, 2)),
        ChildAwaitingSchoolPlace(
            child_id="C1",
            place_needed_from=date(2024, 12, 1),
            reason="moved away",
            left_urn="100001",
            left_school_on=date(2024, 11, 29),
        ),
        placed("C1", "100002", date(2025, 1, 6)),
        ChildLeftCare(
            child_id="C1",
            left_care_on=date(2025, 3, 1),
            reason=LeftCareReason.RETURNED_HOME,
            previously_looked_after=False,
            urn="100002",
        ),
    ]
    assert roll_periods(_recorded(i + 1, e) for i, e in enumerate(events)) == [
        RollPeriod("100001", date(2024, 9, 2), date(2024, 11, 29)),
        RollPeriod("100002", date(2025, 1, 6), date(2025, 2, 28)),
    ]


def test_an_adopted_child_stays_on_roll_because_the_virtual_school_still_follows_them():
    events = [
        placed("C1", "100001", date(2024, 9, 2)),
        ChildLeftCare(
            child_id="C1",
            left_care_on=date(2025, 3, 1),
            reason=LeftCareReason.ADOPTED,
            previously_looked_after=True,
            urn="100001",
        ),
    ]
    assert roll_periods(_recorded(i + 1, e) for i, e in enumerate(events)) == [
        RollPeriod("100001", date(2024, 9, 2), None)
    ]
