"""The event log's lists a page at a time: following ``next`` reads every event once, in log order,
with the filters kept (a repeated ``type`` included); an event appended between two pages is read
once, on a later page; a stream's history pages by version and the record reads by id; an
``after`` that is not a number is refused naming it."""

from __future__ import annotations

from datetime import date

import pytest

from eventlog_api_support import raw
from shared.testing.paging import every_page, items_of, query_of


def event(kind: str, n: int, urn: str = "100001"):
    return raw(kind, {"urn": urn, "n": n}, date(2025, 1, 1), (f"school:{urn}",))


async def test_an_event_appended_between_two_pages_of_the_feed_is_read_once_in_order(client, auth, log):
    kinds = ["InspectionRecorded", "SchoolCategorised", "ResultsRecorded"]
    for n in range(7):
        await log.append(f"inspections-10000{n % 3}", [event(kinds[n % 3], n)])
    headers = auth("auditor")
    wanted = "/feed?type=InspectionRecorded&type=SchoolCategorised&limit=2"

    first = (await client.get(wanted, headers=headers)).json()
    await log.append("inspections-100009", [event("InspectionRecorded", 7)])
    await log.append("inspections-100009", [event("ResultsRecorded", 8)])
    rest = await every_page(client, first["next"], headers)

    pages = [first, *rest]
    seen = [(e["position"], e["type"]) for e in items_of(pages)]
    assert seen == [
        (1, "InspectionRecorded"),
        (2, "SchoolCategorised"),
        (4, "InspectionRecorded"),
        (5, "SchoolCategorised"),
        (7, "InspectionRecorded"),
        (8, "InspectionRecorded"),
    ]
    assert [len(p["items"]) for p in pages] == [2, 2, 2]
    assert first["next_cursor"] == "2"  # the log position of the page's last event
    for page in pages[:-1]:
        query = query_of(page["next"])
        assert query["type"] == ["InspectionRecorded", "SchoolCategorised"]
        assert (query["limit"], query["after"]) == (["2"], [page["next_cursor"]])
    assert pages[-1]["next"] is None and pages[-1]["head_position"] == 9


async def test_a_stream_pages_by_version(client, auth, log):
    for n in range(5):
        await log.append("inspections-100001", [event("InspectionRecorded", n)])
        await log.append("inspections-100002", [event("InspectionRecorded", n, urn="100002")])

    pages = await every_page(client, "/streams/inspections-100002?limit=2", auth("auditor"))

    assert [e["stream_version"] for e in items_of(pages)] == [1, 2, 3, 4, 5]
    assert [p["next_cursor"] for p in pages] == ["2", "4", None]
    assert {p["stream_id"] for p in pages} == {"inspections-100002"}


async def test_the_record_reads_page_by_id_with_the_child_kept(client, auth, log):
    for child in ("C1", "C2"):
        entered = raw("ChildEnteredCare", {"child_id": child}, date(2025, 1, 6), subjects=(f"child:{child}",))
        await log.append(f"child-{child}", [entered])
    for reader in ("vsh-1", "vsh-2", "vsh-3"):
        head = auth("virtual_school_head", sub=reader)
        for child in ("C1", "C2"):
            shown = await client.get(f"/children/{child}/timeline", headers=head)
            assert shown.status_code == 200, shown.text

    pages = await every_page(client, "/record-reads?child_id=C1&limit=2", auth("auditor"))

    assert [(r["actor"], r["child_id"]) for r in items_of(pages)] == [
        ("vsh-1", "C1"),
        ("vsh-2", "C1"),
        ("vsh-3", "C1"),
    ]
    assert [p["next_cursor"] for p in pages] == [str(pages[0]["items"][-1]["id"]), None]
    assert query_of(pages[0]["next"])["child_id"] == ["C1"]


@pytest.mark.parametrize("path", ["/feed", "/streams/inspections-100001", "/checkpoints", "/record-reads"])
@pytest.mark.parametrize("after", ["WzJd", "-1", "1.5"])
async def test_an_after_that_is_not_a_position_is_refused_naming_it(client, auth, log, path, after):
    await log.append("inspections-100001", [event("InspectionRecorded", 1)])
    answer = await client.get(path, params={"after": after}, headers=auth("auditor"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "after"
