"""Schema evolution: an event stored under version 1 is read as version 2 through its upcaster,
while the stored data (which the hash covers) never changes."""

from __future__ import annotations

from datetime import date

from eventlog_api_support import LEDGER_CATALOGUE, AmountAdded, LedgerOpened, new, raw


async def test_a_version_1_event_is_read_as_version_2_and_its_stored_data_still_verifies(client, auth, log):
    await log.append(
        "ledger-100001",
        [
            new(LedgerOpened(ledger_id="100001", urn="100001", opened_on=date(2025, 1, 1))),
            raw(
                "AmountAdded",
                {"ledger_id": "100001", "amount_pounds": 3, "added_on": "2025-01-11"},
                date(2025, 1, 11),
            ),
            new(AmountAdded(ledger_id="100001", amount_pence=40, added_on=date(2025, 1, 12))),
        ],
    )
    headers = auth("auditor")

    stored = (await client.get("/streams/ledger-100001", headers=headers)).json()["items"][1]
    assert (stored["schema_version"], stored["data"]["amount_pounds"]) == (1, 3)
    assert "stored_schema_version" not in stored

    upcast = (await client.get("/streams/ledger-100001", params={"upcast": "true"}, headers=headers)).json()
    first, second = upcast["items"][1], upcast["items"][2]
    assert first["schema_version"] == 2 and first["stored_schema_version"] == 1
    assert first["data"] == {"ledger_id": "100001", "amount_pence": 300, "added_on": "2025-01-11"}
    assert first["hash"] == stored["hash"]
    assert (second["schema_version"], second["stored_schema_version"]) == (2, 2)

    feed = (
        await client.get("/feed", params={"upcast": "true", "type": "AmountAdded"}, headers=headers)
    ).json()
    assert [e["data"]["amount_pence"] for e in feed["items"]] == [300, 40]

    state = (await client.get("/streams/ledger-100001/state", headers=headers)).json()["state"]
    assert state["balance_pence"] == 340

    assert (await client.get("/verification", headers=headers)).json()["ok"] is True


def test_the_catalogue_decodes_version_1_data_into_the_version_2_event():
    event = LEDGER_CATALOGUE.decode(
        "AmountAdded", 1, {"ledger_id": "L", "amount_pounds": 7, "added_on": "2025-01-01"}
    )
    assert event == AmountAdded(ledger_id="L", amount_pence=700, added_on=date(2025, 1, 1))
