"""Who may do what: designated teachers only for children on roll at their school today (and the
refusal says nothing about the child), auditors read everything and write nothing, the virtual
school quality-assures and reads the roll, other council systems by scope."""

from __future__ import annotations

from shared.security.data_scope import OUTSIDE_SCOPE_DETAIL

HOME = "118001"
AWAY = "118002"


async def test_a_designated_teacher_sees_and_acts_for_their_own_schools_children_only(
    pep_service, store, pool, helpers
):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("MINE", HOME, start="2026-09-07")
        await api.looked_after_at("THEIRS", AWAY, start="2026-09-07")
        await api.looked_after_at("LEFT", HOME, start="2026-09-07")
        await api.move("LEFT", AWAY, "2026-10-19")
        for child_id in ("MINE", "THEIRS"):
            await api.initiate(child_id, "P1", 2026, "autumn", "2026-09-10", occasion="initial")
        teacher = api.designated_teacher(HOME)

        mine = await api.client.get("/children/MINE", headers=teacher)
        assert mine.status_code == 200
        refusals = [
            await api.client.get("/children/THEIRS", headers=teacher),
            await api.client.get("/children/LEFT", headers=teacher),
            await api.client.get("/children/NO-SUCH-CHILD", headers=teacher),
            await api.client.get("/children/THEIRS/peps/P1", headers=teacher),
            await api.client.post(
                "/children/THEIRS/peps/P1/draft", headers=teacher, json={"strengths_and_needs": "x"}
            ),
            await api.client.get(f"/schools/{AWAY}/children", headers=teacher),
        ]
        # The same answer whether the child is unknown, has moved away or is at another school.
        assert {(r.status_code, r.json()["detail"], r.json()["field"]) for r in refusals} == {
            (403, OUTSIDE_SCOPE_DETAIL, "urn")
        }
        assert await store.stream_version("pep-THEIRS") == 1

        drafted = await api.client.post(
            "/children/MINE/peps/P1/draft", headers=teacher, json={"strengths_and_needs": "Settling well"}
        )
        assert drafted.status_code == 200, drafted.text
        await api.settle()
        own = (await api.client.get(f"/schools/{HOME}/children", headers=teacher)).json()
        assert [c["child_id"] for c in own["items"]] == ["MINE"]
        assert own["summary"]["children"] == 1

        reads = await pool.fetch(
            "SELECT subject FROM eventlog.record_reads WHERE role = 'designated_teacher'"
        )
        assert [r["subject"] for r in reads] == ["child:MINE"]


async def test_auditors_read_everything_and_write_nothing(pep_service, store):
    async with pep_service() as api:
        await api.looked_after_at("C1", HOME)
        assert (await api.client.get("/children/C1", headers=api.auditor)).status_code == 200
        assert (await api.client.get("/virtual-school/roll", headers=api.auditor)).status_code == 200
        assert (await api.client.get("/reports/pep-compliance", headers=api.auditor)).status_code == 200
        refused = await api.client.post(
            "/children/C1/details", headers=api.auditor, json={"changed_on": "2026-10-01", "carer": "Someone"}
        )
        assert refused.status_code == 403
        assert await store.stream_version("child-C1") == 4


async def test_only_the_virtual_school_quality_assures_and_reads_the_roll(pep_service, helpers):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", HOME)
        await api.initiate("C1", "P1", 2026, "autumn", "2026-09-10", occasion="initial")
        pep = "/children/C1/peps/P1"
        await api.ok(
            "POST",
            f"{pep}/targets",
            api.social_worker,
            {"targets": [helpers.target("T1", "2026-12-11")], "set_on": "2026-09-21"},
        )
        await api.ok("POST", f"{pep}/review", api.social_worker, helpers.review_body("2026-09-21"))
        await api.ok("POST", f"{pep}/submission", api.social_worker, {"submitted_on": "2026-09-22"})
        teacher = api.designated_teacher(HOME)
        for who in (api.social_worker, teacher):
            assert (
                await api.client.post(f"{pep}/quality-assurance", headers=who, json={"rating": "green"})
            ).status_code == 403
        assert (await api.client.get("/virtual-school/roll", headers=api.social_worker)).status_code == 403
        assert (
            await api.client.post(f"{pep}/quality-assurance", headers=api.vso, json={"rating": "green"})
        ).status_code == 200
        # Only the head sets the council's settings.
        policy = {"effective_from": "2027-01-01", "count_school_days": True}
        assert (
            await api.client.post("/council/pep-timing-policies", headers=api.vso, json=policy)
        ).status_code == 403


async def test_other_council_systems_act_by_scope(pep_service, auth):
    async with pep_service() as api:
        await api.looked_after_at("C1", HOME)
        reader = auth("service", sub="finance-system", scopes=["pep:read"])
        writer = auth("service", sub="case-system", scopes=["pep:write"])
        assert (await api.client.get("/virtual-school/roll", headers=reader)).status_code == 200
        body = {"changed_on": "2026-10-01", "carer": "New Carer"}
        assert (await api.client.post("/children/C1/details", headers=reader, json=body)).status_code == 403
        assert (await api.client.post("/children/C1/details", headers=writer, json=body)).status_code == 200
        assert (await api.client.get("/virtual-school/roll", headers=writer)).status_code == 403
