"""Positions past the largest the log can hold, and the calendar's last day, are answered - an
empty page, the whole stream - never with a server error. (The API admits any whole number from
0 for a position; the log's positions are PostgreSQL bigints.)"""

from __future__ import annotations

from datetime import date

from eventlog_api_support import AmountAdded, LedgerOpened, new, raw

PAST_ANY_POSITION = 2**70  # well past 2**63 - 1, the largest bigint


async def ledger_and_school(log) -> None:
    await log.append(
        "ledger-100001",
        [
            new(LedgerOpened(ledger_id="100001", urn="100001", opened_on=date(2025, 1, 1))),
            new(AmountAdded(ledger_id="100001", amount_pence=250, added_on=date(2025, 1, 10))),
        ],
    )
    await log.append(
        "inspections-100001",
        [raw("InspectionRecorded", {"urn": "100001"}, date(2025, 1, 5), ("school:100001",))],
    )


async def test_a_page_after_a_position_past_the_largest_is_empty(client, auth, log):
    await ledger_and_school(log)
    headers = auth("auditor")

    feed = await client.get("/feed", params={"after": PAST_ANY_POSITION}, headers=headers)
    assert feed.status_code == 200, feed.text
    assert feed.json() == {"items": [], "next_cursor": None, "next": None, "head_position": 3}

    timeline = await client.get(
        "/schools/100001/timeline", params={"after": PAST_ANY_POSITION}, headers=headers
    )
    assert timeline.status_code == 200, timeline.text
    assert timeline.json()["items"] == []

    stream = await client.get(
        "/streams/ledger-100001", params={"after": PAST_ANY_POSITION}, headers=headers
    )
    assert stream.status_code == 200, stream.text
    assert stream.json()["items"] == []

    export = await client.get("/exports/feed", params={"after": PAST_ANY_POSITION}, headers=headers)
    assert export.status_code == 200, export.text
    assert export.text.strip() == ""


async def test_a_state_up_to_a_position_past_the_largest_folds_the_whole_stream(client, auth, log):
    await ledger_and_school(log)
    response = await client.get(
        "/streams/ledger-100001/state", params={"position": PAST_ANY_POSITION}, headers=auth("auditor")
    )
    assert response.status_code == 200, response.text
    assert response.json()["state"]["balance_pence"] == 250
    assert response.json()["events_folded"] == 2


async def test_a_state_known_on_the_calendars_last_day_is_everything_recorded(client, auth, log):
    await ledger_and_school(log)
    response = await client.get(
        "/streams/ledger-100001/state", params={"known_on": "9999-12-31"}, headers=auth("auditor")
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["state"]["balance_pence"] == 250
    assert body["cut_off"]["known_at"] == "9999-12-31T23:59:59.999999+00:00"
