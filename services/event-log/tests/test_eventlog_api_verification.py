"""Verification through the API: an untouched log passes, a tampered row is named, a range can be
checked on its own."""

from __future__ import annotations

from datetime import date

from eventlog_api_support import raw, tamper


def counted(n: int):
    return raw("Counted", {"n": n}, date(2025, 5, 1), ("school:100001",))


async def test_an_untouched_log_verifies(client, auth, log):
    for i in range(25):
        await log.append(f"counter-{i % 4}", [counted(i)])
    body = (await client.get("/verification", headers=auth("auditor"))).json()
    assert body["ok"] is True
    assert body["chain"]["checked"] == 25 and body["chain"]["last_position"] == 25
    assert body["chain"]["broken_position"] is None


async def test_a_tampered_row_is_named_as_the_first_broken_position(client, auth, log, pool):
    for i in range(12):
        await log.append("counter-1", [counted(i)])
    await tamper(pool, 8, {"n": 800})
    body = (await client.get("/verification", headers=auth("auditor"))).json()
    assert body["ok"] is False
    assert body["chain"]["broken_position"] == 8
    assert body["chain"]["checked"] == 7
    assert "does not match its hash" in body["chain"]["reason"]


async def test_a_range_is_verified_from_the_stored_hash_before_it(client, auth, log, pool):
    for i in range(12):
        await log.append("counter-1", [counted(i)])
    await tamper(pool, 3, {"n": 300})
    headers = auth("auditor")
    later = (
        await client.get("/verification", params={"from_position": 5, "to_position": 10}, headers=headers)
    ).json()
    assert later["ok"] is True and later["chain"]["checked"] == 6
    earlier = (
        await client.get("/verification", params={"from_position": 2, "to_position": 4}, headers=headers)
    ).json()
    assert earlier["ok"] is False and earlier["chain"]["broken_position"] == 3
    backwards = await client.get(
        "/verification", params={"from_position": 9, "to_position": 4}, headers=headers
    )
    assert backwards.status_code == 422 and backwards.json()["field"] == "to_position"
