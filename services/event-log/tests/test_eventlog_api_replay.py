"""Replay: a record's state as of a position, a date (what was true) or a recording time (what
was known), folded with the owning service's own evolve, equal to what a live read model held."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import asyncpg

from shared.eventlog import Subscription
from shared.eventlog.records import RecordedEvent
from shared.eventlog.tables import subscription_tables_ddl

from eventlog_api_support import LEDGER_CATALOGUE, AmountAdded, LedgerOpened, new, raw


class LedgerBalances:
    """A live read model of the test ledger, kept by a subscription like any service's."""

    name = "ledger_balances"
    schema = "ledger_test"
    tables = ("balances",)
    event_types = frozenset({"LedgerOpened", "AmountAdded"})

    async def apply(self, conn: asyncpg.Connection, event: RecordedEvent) -> None:
        decoded = LEDGER_CATALOGUE.decode(event.event_type, event.schema_version, event.data)
        if isinstance(decoded, LedgerOpened):
            await conn.execute(
                "INSERT INTO ledger_test.balances (ledger_id, urn, balance_pence, entries) VALUES ($1, $2, 0, '{}')",
                decoded.ledger_id,
                decoded.urn,
            )
        else:
            await conn.execute(
                "UPDATE ledger_test.balances SET balance_pence = balance_pence + $2, "
                "entries = entries || $2::int WHERE ledger_id = $1",
                decoded.ledger_id,
                decoded.amount_pence,
            )


async def create_read_model(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await conn.execute("CREATE SCHEMA ledger_test")
        for statement in subscription_tables_ddl("ledger_test"):
            await conn.execute(statement)
        await conn.execute(
            "CREATE TABLE ledger_test.balances (ledger_id text PRIMARY KEY, urn text, "
            "balance_pence bigint NOT NULL, entries int[] NOT NULL)"
        )


def opened(ledger_id: str, urn: str = "100001", on: date = date(2025, 1, 1)):
    return new(LedgerOpened(ledger_id=ledger_id, urn=urn, opened_on=on))


def added(ledger_id: str, pence: int, on: date, child_id: str | None = None):
    return new(AmountAdded(ledger_id=ledger_id, amount_pence=pence, added_on=on, child_id=child_id))


def added_in_pounds_v1(ledger_id: str, pounds: int, on: date):
    """As the ledger stored it before its schema went to version 2."""
    return raw(
        "AmountAdded", {"ledger_id": ledger_id, "amount_pounds": pounds, "added_on": on.isoformat()}, on
    )


async def test_state_as_of_each_position_equals_what_the_live_read_model_held_then(client, auth, log, pool):
    await create_read_model(pool)
    live = Subscription(pool, LedgerBalances())
    snapshots: list[tuple[int, dict]] = []
    appends = [
        ("ledger-100001", opened("100001")),
        (
            "inspections-100001",
            raw("InspectionRecorded", {"urn": "100001"}, date(2025, 1, 5), ("school:100001",)),
        ),
        ("ledger-100001", added("100001", 250, date(2025, 1, 10))),
        ("ledger-100002", opened("100002", urn="100002")),
        ("ledger-100001", added_in_pounds_v1("100001", 3, date(2025, 1, 11))),
        ("ledger-100002", added("100002", 999, date(2025, 1, 12))),
        ("ledger-100001", added("100001", 40, date(2025, 1, 20))),
    ]
    for stream_id, event in appends:
        await log.append(stream_id, [event])
        await live.catch_up()
        position = await pool.fetchval("SELECT position FROM ledger_test.subscription_checkpoints")
        row = await pool.fetchrow("SELECT * FROM ledger_test.balances WHERE ledger_id = '100001'")
        if row is not None:
            snapshots.append(
                (position, {"balance_pence": row["balance_pence"], "entries": list(row["entries"])})
            )

    assert snapshots[-1][1] == {"balance_pence": 590, "entries": [250, 300, 40]}
    headers = auth("auditor")
    for position, read_model in snapshots:
        response = await client.get(
            "/streams/ledger-100001/state", params={"position": position}, headers=headers
        )
        assert response.status_code == 200, response.text
        replayed = response.json()["state"]
        assert {k: replayed[k] for k in read_model} == read_model, position
        assert replayed["ledger_id"] == "100001"


async def test_what_was_true_on_a_date_and_what_was_known_at_a_time_are_both_answered(
    client, auth, log, clock
):
    first_recorded = datetime(2025, 2, 5, 9, 0, tzinfo=timezone.utc)
    clock.set(first_recorded)
    await log.append("ledger-100001", [opened("100001"), added("100001", 100, date(2025, 2, 1))])
    clock.set(first_recorded + timedelta(days=20))
    # Recorded late: a payment that took effect in January, and one in March.
    await log.append(
        "ledger-100001", [added("100001", 50, date(2025, 1, 15)), added("100001", 20, date(2025, 3, 1))]
    )
    headers = auth("auditor")

    async def balance(**params) -> int:
        response = await client.get("/streams/ledger-100001/state", params=params, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()["state"]["balance_pence"]

    assert await balance() == 170
    assert await balance(as_of="2025-02-10") == 150  # true by then, including the late January entry
    assert await balance(known_at=first_recorded.isoformat()) == 100  # all the council knew then
    assert await balance(known_on="2025-02-05") == 100
    assert await balance(known_on="2025-02-24") == 100
    assert await balance(known_on="2025-02-25") == 170
    assert await balance(as_of="2025-02-10", known_on="2025-02-05") == 100
    assert await balance(position=2) == 100
    body = (
        await client.get("/streams/ledger-100001/state", params={"as_of": "2025-02-10"}, headers=headers)
    ).json()
    assert body["cut_off"] == {"position": None, "as_of": "2025-02-10", "known_at": None}
    assert (body["version"], body["events_folded"], body["service"]) == (3, 3, "ledger")


async def test_a_cut_off_that_leaves_events_the_service_cannot_fold_is_explained(client, auth, log):
    await log.append(
        "ledger-100001", [opened("100001", on=date(2025, 1, 1)), added("100001", 5, date(2024, 12, 20))]
    )
    response = await client.get(
        "/streams/ledger-100001/state", params={"as_of": "2024-12-31"}, headers=auth("auditor")
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["field"] == "as_of"
    assert "position 2 (AmountAdded)" in problem["detail"] and "not open" in problem["detail"]


async def test_a_naive_time_or_both_known_parameters_are_refused(client, auth, log):
    await log.append("ledger-100001", [opened("100001")])
    headers = auth("auditor")
    naive = await client.get(
        "/streams/ledger-100001/state", params={"known_at": "2025-02-01T10:00:00"}, headers=headers
    )
    assert naive.status_code == 422 and naive.json()["field"] == "known_at"
    both = await client.get(
        "/streams/ledger-100001/state",
        params={"known_at": "2025-02-01T10:00:00+00:00", "known_on": "2025-02-01"},
        headers=headers,
    )
    assert both.status_code == 422 and both.json()["field"] == "known_at"
    assert (await client.get("/streams/ledger-100009/state", headers=headers)).status_code == 404


async def test_a_schools_record_is_every_stream_named_for_it_folded_where_a_service_says_how(
    client, auth, log
):
    await log.append("ledger-100001", [opened("100001"), added("100001", 75, date(2025, 1, 2))])
    await log.append("ledger-100002", [opened("100002", urn="100002")])
    await log.append(
        "unfoldable-100001", [raw("SomethingNoted", {"urn": "100001"}, date(2025, 1, 3), ("school:100001",))]
    )
    body = (await client.get("/schools/100001/state", headers=auth("principal_adviser"))).json()
    streams = {s["stream_id"]: s for s in body["streams"]}
    assert set(streams) == {"ledger-100001", "unfoldable-100001"}
    assert streams["ledger-100001"]["state"]["balance_pence"] == 75
    assert streams["unfoldable-100001"]["replayable"] is False
    assert "unfoldable" in streams["unfoldable-100001"]["reason"]


async def test_replaying_a_childs_record_is_recorded_as_a_read_of_it(client, auth, log, pool):
    await log.append(
        "ledger-100001", [opened("100001"), added("100001", 75, date(2025, 1, 2), child_id="C7")]
    )
    await log.append("child-C7", [raw("ChildNoted", {"child_id": "C7"}, date(2025, 1, 3), ("child:C7",))])
    body = (await client.get("/children/C7/state", headers=auth("virtual_school_head", sub="vsh-al"))).json()
    assert [s["stream_id"] for s in body["streams"]] == ["child-C7"]  # the ledger only mentions C7
    await client.get("/streams/ledger-100001/state", headers=auth("auditor", sub="auditor-jo"))
    reads = await pool.fetch("SELECT actor, subject, route FROM eventlog.record_reads ORDER BY id")
    assert [tuple(r) for r in reads] == [
        ("vsh-al", "child:C7", "GET /children/{child_id}/state"),
        ("auditor-jo", "child:C7", "GET /streams/{stream_id}/state"),
    ]
