"""Who read what, and what each reader is given: every answer of events (a feed page, a followed
stream's batches, an export, a stream's or a timeline's page) is recorded as a bulk read before it
goes out, by anyone, service accounts included; children's personal fields are opened only for the
virtual school head, auditors and accounts holding the personal-data scope, and withheld (null,
named) from everyone else; an account's category scopes narrow what it reads."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta

import httpx
import pytest
from pep.domain.child_events import ChildEnteredCare, ChildPlacedAtSchool, LegalStatus, SenStatus, YearGroup

from shared.eventlog.hashing import GENESIS_HASH, event_hash
from shared.web.audit import BulkRead, RecordRead, reads_of_child

from event_log.queries.events import PersonalFields
from event_log.queries.pages import Selection, export_pages

from eventlog_api_support import new, raw

NAMES = {"C1": "Ada Quillfeather", "C2": "Bryn Marlowe-Tate"}
CARERS = {"C1": "Carer Wenlock", "C2": "Carer Ostrander"}
PERSONAL = {"name", "date_of_birth", "social_worker", "carer", "independent_reviewing_officer"}
SEALED = "aes-256-gcm"
SERVICE = ["event-log:read"]
PERSONAL_DATA = "event-log:read:personal-data"


def entered_care(child_id: str) -> ChildEnteredCare:
    return ChildEnteredCare(
        child_id=child_id,
        name=NAMES[child_id],
        date_of_birth=date(2014, 3, 1),
        entered_care_on=date(2024, 6, 1),
        legal_status=LegalStatus.FULL_CARE_ORDER,
        placing_authority="Medway",
        social_worker="SW Pellingham",
        carer=CARERS[child_id],
        independent_reviewing_officer="IRO Dunmore",
        sen_status=SenStatus.NONE,
        year_group=YearGroup.YEAR_5,
    )


def inspection(urn: str, n: int, **data):
    return raw("InspectionRecorded", {"urn": urn, "n": n, **data}, date(2025, 1, 6), (f"school:{urn}",))


async def write_two_children_and_a_school(log) -> None:
    """1 C1 enters care; 2 an inspection; 3 C2 enters care; 4 C1 placed at 100001; 5 another
    inspection, whose data has a key named "sealed" that is no envelope."""
    await log.append("child-C1", [new(entered_care("C1"))])
    await log.append("inspections-100001", [inspection("100001", 1)])
    await log.append("child-C2", [new(entered_care("C2"))])
    placed = ChildPlacedAtSchool(
        child_id="C1", urn="100001", start_date=date(2024, 9, 2), year_group=YearGroup.YEAR_5,
        looked_after=True,
    )
    await log.append("child-C1", [new(placed)])
    await log.append("inspections-100001", [inspection("100001", 2, sealed="no, only a word")])


async def bulk_reads(pool) -> list[dict]:
    rows = await pool.fetch(
        "SELECT actor, role, service, route, request_id, first_position, last_position, events, subjects "
        "FROM eventlog.bulk_reads ORDER BY id"
    )
    return [dict(r) for r in rows]


def read_row(actor: str, role: str, route: str, first: int | None, last: int | None, events: int, *children):
    return {
        "actor": actor,
        "role": role,
        "service": "event-log",
        "route": route,
        "first_position": first,
        "last_position": last,
        "events": events,
        "subjects": [f"child:{c}" for c in children],
    }


def without_request_id(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "request_id"} for row in rows]


READERS = [
    ("virtual_school_head", {}),
    ("auditor", {}),
    ("principal_adviser", {}),
    ("service", {"scopes": SERVICE}),
]


# -- who read what ------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "kwargs"), READERS, ids=[r for r, _ in READERS])
async def test_each_readers_bulk_read_of_the_feed_is_recorded_with_its_range_and_the_children_returned(
    client, auth, log, pool, role, kwargs
):
    await write_two_children_and_a_school(log)
    headers = {**auth(role, sub=f"{role}-kim", **kwargs), "X-Request-Id": "req-feed-1"}
    answer = await client.get("/feed", params={"limit": 3}, headers=headers)
    assert answer.status_code == 200, answer.text
    assert [e["position"] for e in answer.json()["items"]] == [1, 2, 3]
    # The fourth event, read only to know that another page follows, was not given: not recorded.
    assert await bulk_reads(pool) == [
        {**read_row(f"{role}-kim", role, "GET /feed", 1, 3, 3, "C1", "C2"), "request_id": "req-feed-1"}
    ]


async def test_a_poll_that_returns_nothing_is_recorded_with_no_range_and_no_children(client, auth, log, pool):
    await write_two_children_and_a_school(log)
    headers = auth("service", sub="finance-system", scopes=SERVICE)
    answer = await client.get("/feed", params={"after": 5}, headers=headers)
    assert answer.json()["items"] == []
    school_only = await client.get("/feed", params={"category": "inspections"}, headers=headers)
    assert [e["position"] for e in school_only.json()["items"]] == [2, 5]
    assert without_request_id(await bulk_reads(pool)) == [
        read_row("finance-system", "service", "GET /feed", None, None, 0),
        read_row("finance-system", "service", "GET /feed", 2, 5, 2),
    ]


async def test_a_streams_and_a_timelines_pages_are_recorded_for_every_reader(client, auth, log, pool):
    await write_two_children_and_a_school(log)
    system = auth("service", sub="case-system", scopes=SERVICE)
    head = auth("virtual_school_head", sub="vsh-amina")
    assert (await client.get("/streams/child-C1", headers=system)).status_code == 200
    assert (await client.get("/children/C1/timeline", headers=head)).status_code == 200
    assert (await client.get("/schools/100001/timeline", headers=system)).status_code == 200
    assert without_request_id(await bulk_reads(pool)) == [
        read_row("case-system", "service", "GET /streams/{stream_id}", 1, 4, 2, "C1"),
        read_row("vsh-amina", "virtual_school_head", "GET /children/{child_id}/timeline", 1, 5, 4, "C1"),
        read_row("case-system", "service", "GET /schools/{urn}/timeline", 2, 5, 3, "C1"),
    ]


async def test_the_followed_stream_records_who_began_following_and_each_batch_before_sending_it(
    served, auth, log, pool
):
    await write_two_children_and_a_school(log)
    headers = auth("service", sub="case-system", scopes=SERVICE)
    async with (
        served() as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=10) as http,
        http.stream("GET", "/feed/events", params={"after": 1}, headers=headers) as response,
    ):
        lines = response.aiter_lines()
        backlog = await read_sse(lines, 4)
        assert [m["id"] for m in backlog] == ["2", "3", "4", "5"]
        # The batch was on record before it was sent.
        assert without_request_id(await bulk_reads(pool)) == [
            read_row("case-system", "service", "GET /feed/events", None, None, 0),
            read_row("case-system", "service", "GET /feed/events", 2, 5, 4, "C1", "C2"),
        ]
        noted = raw("ChildNoted", {"child_id": "C2"}, date(2025, 2, 1), ("child:C2",))
        await log.append("child-C2", [noted])
        (live,) = await read_sse(lines, 1)
        assert live["id"] == "6"
        assert without_request_id(await bulk_reads(pool))[-1] == read_row(
            "case-system", "service", "GET /feed/events", 6, 6, 1, "C2"
        )


EXPORTS = [
    ("/exports/feed", {}, (1, 5, 5, "C1", "C2"), "GET /exports/feed"),
    ("/exports/streams/child-C1", {}, (1, 4, 2, "C1"), "GET /exports/streams/{stream_id}"),
    ("/exports/children/C1/timeline", {}, (1, 5, 4, "C1"), "GET /exports/children/{child_id}/timeline"),
    (
        "/exports/schools/100001/timeline",
        {"format": "csv"},
        (2, 5, 3, "C1"),
        "GET /exports/schools/{urn}/timeline",
    ),
]


@pytest.mark.parametrize(("path", "params", "held", "route"), EXPORTS, ids=[e[0] for e in EXPORTS])
async def test_each_export_is_recorded_with_what_it_holds_before_its_first_byte_goes_out(
    served, auth, log, pool, path, params, held, route
):
    await write_two_children_and_a_school(log)
    headers = auth("service", sub="archive-system", scopes=SERVICE)
    async with (
        served() as base_url,
        httpx.AsyncClient(base_url=base_url, timeout=10) as http,
        http.stream("GET", path, params=params, headers=headers) as response,
    ):
        assert response.status_code == 200
        # Only the headers have arrived: the read is already on record.
        recorded = without_request_id(await bulk_reads(pool))
        assert recorded == [read_row("archive-system", "service", route, *held)]
        await response.aread()


async def test_reads_of_a_child_are_both_kinds_oldest_first_and_no_other_childs(
    client, auth, log, pool, clock
):
    await write_two_children_and_a_school(log)
    start = clock.now()
    reads = [
        (auth("virtual_school_head", sub="vsh-amina"), "/children/C1/timeline", {}),
        (auth("service", sub="case-system", scopes=SERVICE), "/feed", {}),
        (auth("principal_adviser", sub="pa-kim"), "/feed", {"category": "inspections"}),
        (auth("auditor", sub="auditor-jo"), "/children/C2/timeline", {}),
        (auth("service", sub="case-system", scopes=SERVICE), "/feed", {"after": 5}),
    ]
    for minute, (headers, path, params) in enumerate(reads):
        clock.set(start + timedelta(minutes=minute))
        assert (await client.get(path, params=params, headers=headers)).status_code == 200

    found = await reads_of_child(pool, "C1")
    assert [(type(r), r.actor, r.read_at - start) for r in found] == [
        (RecordRead, "vsh-amina", timedelta(0)),
        (BulkRead, "vsh-amina", timedelta(0)),
        (BulkRead, "case-system", timedelta(minutes=1)),
    ]
    record, timeline, feed = found
    assert record.child_id == "C1" and record.route == "GET /children/{child_id}/timeline"
    assert record.request_id == timeline.request_id is not None  # one answer, both kinds
    assert (feed.first_position, feed.last_position, feed.events, feed.child_ids) == (1, 5, 5, ["C1", "C2"])
    assert [r.actor for r in await reads_of_child(pool, "C2")] == ["case-system", "auditor-jo", "auditor-jo"]
    assert await reads_of_child(pool, "C404") == []


async def test_auditors_asking_who_read_a_child_also_see_the_bulk_reads_that_included_them(
    client, auth, log
):
    await write_two_children_and_a_school(log)
    system = auth("service", sub="case-system", scopes=SERVICE)
    for params in ({"limit": 1}, {"after": 1, "limit": 1}, {"after": 2}, {"category": "inspections"}):
        assert (await client.get("/feed", params=params, headers=system)).status_code == 200
    for reader in ("vsh-1", "vsh-2"):
        timeline = await client.get("/children/C1/timeline", headers=auth("virtual_school_head", sub=reader))
        assert timeline.status_code == 200

    auditor = auth("auditor")
    whole = (await client.get("/record-reads", params={"child_id": "C1"}, headers=auditor)).json()
    assert [(r["actor"], r["child_id"]) for r in whole["items"]] == [("vsh-1", "C1"), ("vsh-2", "C1")]
    assert [(b["actor"], b["route"], b["first_position"], b["child_ids"]) for b in whole["bulk_reads"]] == [
        ("case-system", "GET /feed", 1, ["C1"]),
        ("case-system", "GET /feed", 3, ["C1", "C2"]),
        ("vsh-1", "GET /children/{child_id}/timeline", 1, ["C1"]),
        ("vsh-2", "GET /children/{child_id}/timeline", 1, ["C1"]),
    ]
    assert whole["next"] is None and whole["bulk_next_cursor"] is None

    # A page at a time: following next reads both lists through, each read once.
    items, bulk, link, pages = [], [], "/record-reads?child_id=C1&limit=1", 0
    while link is not None and pages < 10:
        page = (await client.get(link, headers=auditor)).json()
        items += page["items"]
        bulk += page["bulk_reads"]
        link, pages = page["next"], pages + 1
    assert pages == 4
    assert items == whole["items"] and bulk == whole["bulk_reads"]
    # The record reads page on by next_cursor alone, as they always did.
    first = (await client.get("/record-reads", params={"child_id": "C1", "limit": 1}, headers=auditor)).json()
    assert first["next_cursor"] == str(whole["items"][0]["id"])
    assert first["bulk_next_cursor"] == str(whole["bulk_reads"][0]["id"])
    by_system = (await client.get("/record-reads", params={"actor": "case-system"}, headers=auditor)).json()
    assert by_system["items"] == [] and [b["events"] for b in by_system["bulk_reads"]] == [1, 1, 3, 2]


# -- what each reader is given ------------------------------------------------------------------

WITHHELD_FROM = [
    ("principal_adviser", {}),
    ("service", {"scopes": SERVICE}),
    ("service", {"scopes": [*SERVICE, "event-log:read:child"]}),
]
OPENED_FOR = [
    ("virtual_school_head", {}),
    ("auditor", {}),
    ("service", {"scopes": [*SERVICE, PERSONAL_DATA]}),
]
WITHHELD_IDS = ["principal_adviser", "service", "service+child"]
OPENED_IDS = ["virtual_school_head", "auditor", "service+personal-data"]
ANSWERS = [
    "/feed",
    "/streams/child-C1",
    "/children/C1/timeline",
    "/schools/100001/timeline",
    "/exports/feed",
    "/exports/feed?format=csv",
    "/exports/streams/child-C1",
    "/exports/children/C1/timeline",
    "/exports/schools/100001/timeline?format=csv",
]


@pytest.mark.parametrize(("role", "kwargs"), WITHHELD_FROM, ids=WITHHELD_IDS)
async def test_a_reader_with_no_need_of_personal_fields_is_given_them_withheld_and_named(
    client, auth, log, role, kwargs
):
    await write_two_children_and_a_school(log)
    headers = auth(role, **kwargs)
    for path in ANSWERS:
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.text)
        for plain in (NAMES["C1"], CARERS["C1"], "2014-03-01", "SW Pellingham"):
            assert plain not in answer.text, (path, plain)
        assert SEALED not in answer.text, f"{path} sent the sealed envelopes"
    feed = (await client.get("/feed", headers=headers)).json()["items"]
    entered = feed[0]
    assert entered["type"] == "ChildEnteredCare"
    assert set(entered["withheld"]) == PERSONAL
    assert all(entered["data"][field] is None for field in PERSONAL)
    assert entered["data"]["legal_status"] == "full_care_order"  # what is not personal stays
    assert "erased" not in entered
    assert all("withheld" not in e for e in feed if e["type"] != "ChildEnteredCare")
    exported = await client.get("/exports/feed", params={"format": "csv"}, headers=headers)
    for row in csv.DictReader(io.StringIO(exported.text)):
        withheld = json.loads(row["withheld"]) if row["withheld"] else []
        assert set(withheld) == (PERSONAL if row["type"] == "ChildEnteredCare" else set()), row["position"]


@pytest.mark.parametrize(("role", "kwargs"), OPENED_FOR, ids=OPENED_IDS)
async def test_the_virtual_school_head_auditors_and_accounts_with_the_personal_data_scope_get_them_opened(
    client, auth, log, role, kwargs
):
    await write_two_children_and_a_school(log)
    headers = auth(role, **kwargs)
    for path in ANSWERS:
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.text)
        if "/schools/" not in path:  # a school's timeline holds no child's own record
            assert NAMES["C1"] in answer.text and CARERS["C1"] in answer.text, path
        assert SEALED not in answer.text and '"withheld":' not in answer.text, path
    entered = (await client.get("/feed", headers=headers)).json()["items"][0]
    assert entered["data"]["name"] == NAMES["C1"] and entered["data"]["date_of_birth"] == "2014-03-01"


async def test_once_a_childs_key_is_destroyed_their_fields_are_erased_for_all_and_withheld_stays_withheld(
    client, auth, log, pool
):
    await write_two_children_and_a_school(log)
    await pool.execute(
        "UPDATE eventlog.subject_keys SET wrapped_key = NULL, erased_at = now() WHERE subject = 'child:C1'"
    )
    opened = (await client.get("/feed", headers=auth("virtual_school_head"))).json()["items"]
    assert set(opened[0]["erased"]) == PERSONAL and opened[0]["data"]["name"] is None
    assert opened[2]["data"]["name"] == NAMES["C2"]  # another child's key is untouched
    withheld = (await client.get("/feed", headers=auth("principal_adviser"))).json()["items"]
    assert set(withheld[0]["withheld"]) == PERSONAL and "erased" not in withheld[0]
    exported = (await client.get("/exports/feed", headers=auth("auditor"))).text.splitlines()
    assert [json.loads(line) for line in exported] == (
        await client.get("/feed", headers=auth("auditor"))
    ).json()["items"]


@pytest.mark.parametrize(("role", "kwargs"), [*WITHHELD_FROM, *OPENED_FOR], ids=WITHHELD_IDS + OPENED_IDS)
async def test_an_export_holds_the_events_the_same_readers_pages_show(client, auth, log, role, kwargs):
    await write_two_children_and_a_school(log)
    headers = auth(role, **kwargs)
    for export, page in [
        ("/exports/feed", "/feed"),
        ("/exports/streams/child-C1", "/streams/child-C1"),
        ("/exports/children/C1/timeline", "/children/C1/timeline"),
    ]:
        lines = (await client.get(export, headers=headers)).text.splitlines()
        shown = (await client.get(page, headers=headers)).json()["items"]
        assert [json.loads(line) for line in lines] == shown, export


async def test_an_export_writes_rows_with_nothing_sealed_as_postgresql_gave_them(log, pool):
    await write_two_children_and_a_school(log)
    for personal in (PersonalFields.OPENED, PersonalFields.WITHHELD):
        [rows] = [page async for page in export_pages(pool, Selection(), up_to=5, personal=personal)]
        # Only the two events holding sealed fields were parsed and written anew; the others
        # (the second inspection's data has a key "sealed" that is no envelope) are the raw rows.
        rewritten = [row["position"] for row in rows if isinstance(row, dict)]
        assert rewritten == [1, 3], personal
        opened = NAMES["C1"] in rows[0]["data"]
        assert opened is (personal is PersonalFields.OPENED)


async def test_an_auditor_may_export_the_stored_form_and_check_the_chain_with_it_alone(client, auth, log):
    await write_two_children_and_a_school(log)
    stored = await client.get("/exports/feed", params={"stored": "true"}, headers=auth("auditor"))
    assert stored.status_code == 200
    events = [json.loads(line) for line in stored.text.splitlines()]
    assert events[0]["data"]["name"]["sealed"] == "aes-256-gcm/v1" and NAMES["C1"] not in stored.text
    prev = GENESIS_HASH
    for e in events:
        digest = event_hash(
            prev_hash=prev,
            position=e["position"],
            stream_id=e["stream_id"],
            stream_version=e["stream_version"],
            event_type=e["type"],
            schema_version=e["schema_version"],
            data=e["data"],
            metadata=e["metadata"],
            effective_date=date.fromisoformat(e["effective_date"]),
            recorded_at=datetime.fromisoformat(e["recorded_at"]),
            subjects=e["subjects"],
        )
        assert digest.hex() == e["hash"]
        prev = digest
    not_auditors = [*OPENED_FOR, *WITHHELD_FROM]
    for role, kwargs in [(role, kwargs) for role, kwargs in not_auditors if role != "auditor"]:
        refused = await client.get("/exports/feed", params={"stored": "true"}, headers=auth(role, **kwargs))
        assert refused.status_code == 403 and refused.json()["field"] == "stored", role


# -- what each account's scopes let it read -----------------------------------------------------


async def test_category_scopes_narrow_a_service_accounts_reads_and_a_category_not_granted_is_refused(
    client, auth, log
):
    await write_two_children_and_a_school(log)
    inspections_only = auth("service", scopes=[*SERVICE, "event-log:read:inspections"])

    async def positions(path: str, headers, **params) -> list[int]:
        answer = await client.get(path, params=params, headers=headers)
        assert answer.status_code == 200, (path, answer.text)
        if path.startswith("/exports"):
            return [json.loads(line)["position"] for line in answer.text.splitlines()]
        return [e["position"] for e in answer.json()["items"]]

    assert await positions("/feed", inspections_only) == [2, 5]
    assert await positions("/feed", inspections_only, category="inspections") == [2, 5]
    assert await positions("/exports/feed", inspections_only) == [2, 5]
    assert await positions("/schools/100001/timeline", inspections_only) == [2, 5]
    assert await positions("/exports/schools/100001/timeline", inspections_only) == [2, 5]
    assert await positions("/feed", auth("service", scopes=SERVICE)) == [1, 2, 3, 4, 5]

    for path, params, field in [
        ("/feed", {"category": ["inspections", "child"]}, "category"),
        ("/feed/events", {"category": "child"}, "category"),
        ("/exports/feed", {"category": "child"}, "category"),
        ("/schools/100001/timeline", {"category": "child"}, "category"),
        ("/streams/child-C1", {}, "stream_id"),
        ("/streams/child-C404", {}, "stream_id"),  # refused, not "not found": nothing learnt
        ("/exports/streams/child-C1", {}, "stream_id"),
        ("/children/C1/timeline", {}, "child_id"),
        ("/exports/children/C1/timeline", {}, "child_id"),
    ]:
        refused = await client.get(path, params=params, headers=inspections_only)
        assert refused.status_code == 403, (path, refused.text)
        assert refused.json()["field"] == field, path

    children_only = auth("service", scopes=[*SERVICE, "event-log:read:child"])
    assert await positions("/children/C1/timeline", children_only) == [1, 4]
    assert await positions("/feed", children_only) == [1, 3, 4]
    both = auth("service", scopes=[*SERVICE, "event-log:read:inspections", "event-log:read:child"])
    assert await positions("/children/C1/timeline", both) == [1, 2, 4, 5]
    # A category scope narrows the read scope; on its own it admits nothing.
    alone = await client.get("/feed", headers=auth("service", scopes=["event-log:read:inspections"]))
    assert alone.status_code == 403 and alone.json()["field"] == "authorization"


async def read_sse(lines, count: int) -> list[dict]:
    """The next ``count`` messages from an SSE stream's line iterator (comments skipped)."""
    messages: list[dict] = []
    current: dict = {}
    async for line in lines:
        if line == "":
            if "data" in current:
                messages.append(current)
                if len(messages) == count:
                    return messages
            current = {}
        elif not line.startswith(":"):
            name, _, value = line.partition(": ")
            current[name] = value
    return messages
