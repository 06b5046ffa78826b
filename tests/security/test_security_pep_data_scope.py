"""On the PEP service itself: a designated teacher reading another school's child is refused
with 403, and the refusal carries nothing about that child."""

from __future__ import annotations

from pep.main import create_app

from shared.security.data_scope import OUTSIDE_SCOPE_DETAIL, OUTSIDE_SCOPE_FIELD

HOME = "118000"
AWAY = "120000"


def entering_care(child_id: str, name: str) -> dict:
    return {
        "child_id": child_id,
        "name": name,
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


async def test_a_designated_teacher_reading_another_schools_child_gets_403_and_learns_nothing(
    service_client, auth, pool
):
    async with service_client(create_app) as client:
        social_worker = auth("social_worker")
        for child_id, name, urn in (("C-HOME", "Ada Lovelace", HOME), ("C-AWAY", "Grace Hopper", AWAY)):
            entered = await client.post("/children", json=entering_care(child_id, name), headers=social_worker)
            assert entered.status_code < 300, entered.text
            placed = await client.post(
                f"/children/{child_id}/school-placement",
                json={"urn": urn, "start_date": "2026-09-07"},
                headers=social_worker,
            )
            assert placed.status_code < 300, placed.text

        teacher = auth("designated_teacher", urn=HOME, sub="dt-home")
        own = await client.get("/children/C-HOME", headers=teacher)
        assert own.status_code == 200, own.text

        away = await client.get("/children/C-AWAY", headers=teacher)
        unknown = await client.get("/children/C-NOBODY", headers=teacher)
        for refused in (away, unknown):
            assert refused.status_code == 403
            body = refused.json()
            assert (body["detail"], body["field"]) == (OUTSIDE_SCOPE_DETAIL, OUTSIDE_SCOPE_FIELD)
            assert "ETag" not in refused.headers
            told = str({k: v for k, v in body.items() if k != "instance"})
            for secret in ("Grace", "Hopper", AWAY, "C-AWAY", "year_7", "Medway", "Sam Jones"):
                assert secret not in told
        assert away.json()["title"] == unknown.json()["title"]

        # The officer responsible for every looked-after child sees the same child.
        officer = await client.get("/children/C-AWAY", headers=auth("virtual_school_officer"))
        assert officer.status_code == 200

    reads = await pool.fetch("SELECT subject FROM eventlog.record_reads WHERE actor = 'dt-home'")
    assert [r["subject"] for r in reads] == ["child:C-HOME"]
