"""A child's care and school places through the API, and the education record they make
(domain.md section 2: current school, history of school moves, headteacher and designated teacher
told when a looked-after child joins a roll)."""

from __future__ import annotations


async def test_a_child_enters_care_is_placed_and_moves_and_the_record_shows_it(pep_service, pool):
    async with pep_service() as api:
        await api.set_term_dates()
        entered = await api.client.post(
            "/children",
            headers=api.social_worker,
            json={
                "child_id": "C100",
                "name": "Alex Smith",
                "date_of_birth": "2014-05-01",
                "entered_care_on": "2026-09-07",
                "legal_status": "interim_care_order",
                "placing_authority": "Medway",
                "social_worker": "Sam Jones",
                "carer": "Pat Brown",
                "independent_reviewing_officer": "Jo Green",
                "sen_status": "ehc_plan",
                "year_group": "year_7",
            },
        )
        assert entered.status_code == 201, entered.text
        assert entered.headers["location"] == "/children/C100"
        assert [e["type"] for e in entered.json()["events"]] == ["ChildEnteredCare"]

        placed = await api.place("C100", "118001", "2026-09-08")
        assert [e["type"] for e in placed["events"]] == [
            "ChildPlacedAtSchool",
            "HeadteacherNotified",
            "DesignatedTeacherNotified",
        ]
        moved = await api.move("C100", "118002", "2026-10-05")
        assert [e["type"] for e in moved["events"]][0] == "ChildMovedSchool"

        record = await api.client.get("/children/C100", headers=api.vso)
        assert record.status_code == 200, record.text
        assert record.headers["etag"] == '"7"'
        body = record.json()
        assert body["current_school"] == {"urn": "118002", "since": "2026-10-05"}
        assert body["school_history"] == [
            {"urn": "118001", "start_date": "2026-09-08", "end_date": "2026-10-04"},
            {"urn": "118002", "start_date": "2026-10-05", "end_date": None},
        ]
        assert body["care_status"] == "looked_after"
        assert body["pep_status"] == "not_started"
        assert body["sen_status"] == "ehc_plan"

        reads = await pool.fetch("SELECT actor, role, subject FROM eventlog.record_reads")
        assert [(r["role"], r["subject"]) for r in reads] == [("virtual_school_officer", "child:C100")]


async def test_a_child_adopted_from_care_and_one_never_in_our_care_are_tracked_as_previously_looked_after(
    pep_service,
):
    async with pep_service() as api:
        await api.looked_after_at("ADOPTED", "118001", entered="2026-09-07", start="2026-09-07")
        left = await api.ok(
            "POST",
            "/children/ADOPTED/leaving-care",
            api.social_worker,
            {"left_care_on": "2026-10-20", "reason": "adopted"},
        )
        assert [e["type"] for e in left["events"]] == ["ChildLeftCare"]
        registered = await api.client.post(
            "/previously-looked-after-children",
            headers=api.vso,
            json={
                "child_id": "PLAC1",
                "name": "Robin Gray",
                "date_of_birth": "2016-03-03",
                "left_care_on": "2021-06-01",
                "route": "adopted_from_state_care_abroad",
                "previously_looked_after_by": "an orphanage in Romania",
                "sen_status": "none",
                "year_group": "year_5",
            },
        )
        assert registered.status_code == 201, registered.text

        adopted = (await api.client.get("/children/ADOPTED", headers=api.vso)).json()
        assert adopted["care_status"] == "previously_looked_after"
        assert adopted["care_episodes"][0]["left_reason"] == "adopted"
        await api.settle()
        plac = await api.client.get("/virtual-school/roll?care_status=previously_looked_after", headers=api.vsh)
        assert [c["child_id"] for c in plac.json()["items"]] == ["ADOPTED", "PLAC1"]
        looked_after = (await api.client.get("/virtual-school/roll", headers=api.vsh)).json()
        assert looked_after["items"] == []
