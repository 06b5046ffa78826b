"""Values the database would refuse or give back changed never reach the log, and one caller's
bad value never fails another caller's append; hashes verify on read-back."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone

import pytest
import rfc8785

from shared.errors import InvalidInput
from shared.eventlog import NewEvent, verify_chain
from shared.eventlog import store as store_module
from shared.eventlog.hashing import canonical_json
from shared.eventlog.store import EventStore


def ev(data: dict, event_type: str = "Noted") -> NewEvent:
    return NewEvent(event_type=event_type, data=data, effective_date=date(2026, 11, 2))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "Alex\x00Smith"}, "name"),
        ({"attendees": [{"name": "ok"}, {"name": "bad\x00"}]}, "attendees.1.name"),
        ({"who": "\ud800"}, "who"),
        ({"amount": 1e16}, "amount"),
        ({"amount": -0.0}, "amount"),
        ({"amount": 12.5}, "amount"),
        ({"count": 2**60}, "count"),
        ({"\ue000key": "private-use key sorts differently in RFC 8785"}, "\ue000key"),
    ],
)
async def test_a_value_the_log_cannot_keep_unchanged_is_refused_naming_where_it_is(store, data, field):
    with pytest.raises(InvalidInput) as refused:
        await store.append("child-C1", [ev(data)])
    assert refused.value.field == field
    assert await store.read_stream("child-C1") == []


async def test_values_at_the_edges_are_kept_and_verify_straight_after_they_are_written(store, pool):
    data = {
        "name": "Zoë Ødegård-Ñúñez 李小龙 😀",
        "largest": 2**53 - 1,
        "smallest": -(2**53 - 1),
        "zero": 0,
        "nested": {"b": [1, "two", None, True], "a": {"é": "x"}},
        "separators": "line\u2028para\u2029tab\t",
    }
    await store.append("child-C1", [ev(data)])
    [stored] = await store.read_stream("child-C1")
    assert stored.data == data
    assert (await verify_chain(pool)).ok
    # For storable values the canonical text is RFC 8785's, so an auditor can use any JCS library.
    assert canonical_json(stored.data) == rfc8785.dumps(stored.data)


async def test_recorded_at_is_hashed_in_utc_whatever_zone_the_clock_gives(pool):
    summer_time = timezone(timedelta(hours=1))
    store = EventStore(pool, clock=lambda: datetime(2026, 6, 1, 10, 0, tzinfo=summer_time))
    store.start()
    try:
        await store.append("child-C1", [ev({"n": 1})])
    finally:
        await store.close()
    result = await verify_chain(pool)
    assert result.ok, result


async def test_one_callers_value_refused_by_the_database_does_not_fail_the_others_in_its_group(
    store, pool, monkeypatch
):
    # Take away the check made before queueing, so a NUL reaches PostgreSQL inside a group commit
    # shared with valid appends: the database's refusal must stay that caller's alone.
    monkeypatch.setattr(store_module, "_check_appendable", lambda streams, metadata: None)
    appends = [
        store.append(f"child-C{n}", [ev({"name": "bad\x00" if n % 3 == 0 else f"Child {n}"})])
        for n in range(12)
    ]
    results = await asyncio.gather(*appends, return_exceptions=True)
    refused = [n for n, r in enumerate(results) if isinstance(r, BaseException)]
    assert refused == [0, 3, 6, 9]
    assert all(isinstance(results[n], InvalidInput) for n in refused)
    recorded = await pool.fetchval("SELECT count(*) FROM eventlog.events")
    assert recorded == 8
    assert (await verify_chain(pool)).ok
