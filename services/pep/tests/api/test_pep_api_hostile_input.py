"""Hostile input through the API: a NUL character or a lone surrogate is the sender's own 422,
never anyone else's failure; an Idempotency-Key reused for a different request is refused."""

from __future__ import annotations

import asyncio

CHILD = {
    "date_of_birth": "2014-05-01",
    "entered_care_on": "2026-09-07",
    "legal_status": "interim_care_order",
    "placing_authority": "Medway",
    "social_worker": "Sam Jones",
    "carer": "Pat Brown",
    "independent_reviewing_officer": "Jo Green",
    "sen_status": "sen_support",
    "year_group": "year_7",
}


def child(child_id: str, name: str) -> dict:
    return {"child_id": child_id, "name": name, **CHILD}


async def children_recorded(pool) -> list[str]:
    rows = await pool.fetch(
        "SELECT data->>'child_id' AS id FROM eventlog.events WHERE event_type = 'ChildEnteredCare' ORDER BY 1"
    )
    return [r["id"] for r in rows]


async def test_eight_valid_registrations_sent_with_four_carrying_nul_are_all_recorded(pep_service, pool):
    async with pep_service() as api:
        bodies = [child(f"C{n:03}", f"Child {n}") for n in range(8)]
        bodies += [child(f"X{n:03}", f"Bad\u0000Name {n}") for n in range(4)]
        answers = await asyncio.gather(
            *(api.client.post("/children", headers=api.social_worker, json=b) for b in bodies)
        )
        assert [a.status_code for a in answers] == [201] * 8 + [422] * 4, [a.text for a in answers]
        for refused in answers[8:]:
            assert refused.headers["content-type"].startswith("application/problem+json")
            assert refused.json()["field"] == "name"
            assert "NUL" in refused.json()["detail"]
        assert await children_recorded(pool) == [f"C{n:03}" for n in range(8)]


async def test_nul_or_a_lone_surrogate_anywhere_in_a_body_or_query_is_a_422_naming_it(pep_service, pool):
    async with pep_service() as api:
        lone = await api.client.post(
            "/children",
            headers={**api.social_worker, "content-type": "application/json"},
            content=b'{"child_id": "C1", "name": "Alex \\ud800 Smith", "date_of_birth": "2014-05-01"}',
        )
        assert lone.status_code == 422 and lone.json()["field"] == "name", lone.text
        assert "surrogate" in lone.json()["detail"]

        nested = await api.client.post(
            "/children", headers=api.social_worker, json={**child("C2", "Alex"), "extra": [{"x": "a\u0000"}]}
        )
        assert nested.status_code == 422 and nested.json()["field"] == "extra.0.x", nested.text

        query = await api.client.get("/virtual-school/roll?school=1%00", headers=api.vsh)
        assert query.status_code == 422 and query.json()["field"] == "school", query.text
        unnamed = await api.client.get("/virtual-school/roll?=1%00", headers=api.vsh)
        assert unnamed.status_code == 422 and unnamed.json()["field"] == "query", unnamed.text
        assert await children_recorded(pool) == []


async def test_an_idempotency_key_reused_for_a_different_request_is_refused(pep_service, pool):
    async with pep_service() as api:
        headers = {**api.social_worker, "Idempotency-Key": "register-c100-0001"}
        first = await api.client.post("/children", headers=headers, json=child("C100", "Alex Smith"))
        assert first.status_code == 201, first.text

        # The same request again, its JSON written in another order: the first answer.
        reordered = dict(reversed(list(child("C100", "Alex Smith").items())))
        again = await api.client.post("/children", headers=headers, json=reordered)
        assert again.status_code == 201 and again.json() == first.json()

        # The same child with other details under the same key: refused, not silently answered
        # with the first (which would drop the correction the caller thinks it made).
        other = await api.client.post("/children", headers=headers, json=child("C100", "Alexandra Smith"))
        assert other.status_code == 422, other.text
        assert other.json()["field"] == "Idempotency-Key"
        assert await children_recorded(pool) == ["C100"]


async def test_the_same_key_sent_many_times_at_once_records_once_and_answers_each_alike(pep_service, pool):
    async with pep_service() as api:
        headers = {**api.social_worker, "Idempotency-Key": "register-c200-0001"}
        answers = await asyncio.gather(
            *(api.client.post("/children", headers=headers, json=child("C200", "Alex Smith")) for _ in range(10))
        )
        assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
        assert len({a.text for a in answers}) == 1
        assert await children_recorded(pool) == ["C200"]
