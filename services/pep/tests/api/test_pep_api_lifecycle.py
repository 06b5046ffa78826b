"""A PEP from initiation to quality assurance through the API: the social worker initiates, the
designated teacher drafts, sets SMART targets and records the review, the virtual school returns
it for rework and then grades it; its targets are carried into the next term's review
(domain.md section 2; seed 002 success criteria)."""

from __future__ import annotations

URN = "118001"


async def test_a_pep_is_initiated_drafted_reviewed_returned_and_quality_assured(pep_service, helpers):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN, entered="2026-09-07", start="2026-09-08")
        teacher = api.designated_teacher(URN)

        started = await api.client.post(
            "/children/C1/peps",
            headers=api.social_worker,
            json={
                "term": {"academic_year": 2026, "season": "autumn"},
                "occasion": "initial",
                "initiated_on": "2026-09-10",
            },
        )
        assert started.status_code == 201, started.text
        pep = started.headers["location"]
        assert pep.startswith("/children/C1/peps/PEP-")

        await api.ok(
            "POST",
            f"{pep}/draft",
            teacher,
            {"strengths_and_needs": "Loves art; reading age 10", "saved_on": "2026-09-14"},
        )
        await api.ok(
            "POST",
            f"{pep}/targets",
            teacher,
            {"targets": [helpers.target("T1", "2026-12-11")], "set_on": "2026-09-21"},
        )
        exclusion = {
            "kind": "fixed_term",
            "first_day": "2026-09-15",
            "school_days": "0.5",
            "reason": "sent home",
            "unofficial": True,
        }
        reviewed = await api.ok(
            "POST",
            f"{pep}/review",
            teacher,
            helpers.review_body("2026-09-21", "88.0", exclusions=[exclusion]),
        )
        assert [e["type"] for e in reviewed["events"]] == ["PepReviewRecorded", "UnofficialExclusionFlagged"]
        await api.ok("POST", f"{pep}/submission", teacher, {"submitted_on": "2026-09-22"})

        returned = await api.client.post(
            f"{pep}/return-for-rework",
            headers=api.vso,
            json={"reason": "Targets need a baseline test score", "returned_on": "2026-09-23"},
        )
        assert returned.status_code == 200, returned.text
        detail = (await api.client.get(pep, headers=api.vso)).json()
        assert detail["status"] == "returned_for_rework"
        assert detail["returned_reason"] == "Targets need a baseline test score"

        await api.ok("POST", f"{pep}/submission", teacher, {"submitted_on": "2026-09-24"})
        assured = await api.ok(
            "POST",
            f"{pep}/quality-assurance",
            api.vso,
            {"rating": "amber", "comments": "Good voice; thin on maths", "quality_assured_on": "2026-09-25"},
        )
        assert [e["type"] for e in assured["events"]] == ["PepQualityAssured", "PepCompleted"]

        record = (await api.client.get("/children/C1", headers=teacher)).json()
        assert record["pep_status"] == "quality_assured"
        [summary] = record["peps"]
        # In place within 20 working days of entering care (7 September): due 5 October.
        assert (
            summary["rating"],
            summary["completed_on"],
            summary["due_on"],
            summary["completed_in_time"],
        ) == (
            "amber",
            "2026-09-24",
            "2026-10-05",
            True,
        )
        assert record["attendance"][0]["percentage"] == "88.0"
        assert record["attendance"][0]["persistent_absence"] is True
        assert record["exclusions"][0]["unofficial"] is True
        assert record["targets"][0]["in_force"] is True

        # The spring PEP must record progress against the target carried from the autumn one.
        await api.initiate("C1", "P-SPRING", 2026, "spring", "2027-01-06")
        spring = "/children/C1/peps/P-SPRING"
        refused = await api.client.post(
            f"{spring}/review", headers=teacher, json=helpers.review_body("2027-01-20")
        )
        assert refused.status_code == 422
        assert refused.json()["field"] == "target_progress"
        progress = [
            {"target_id": "T1", "status": "achieved", "evidence": "Reading age 12 in the January test"}
        ]
        await api.ok(
            "POST", f"{spring}/review", teacher, helpers.review_body("2027-01-20", progress=progress)
        )
        detail = (await api.client.get(spring, headers=api.social_worker)).json()
        assert detail["carried_targets"][0]["target_id"] == "T1"
        assert detail["review"]["target_progress"][0]["status"] == "achieved"

        await api.settle()
        roll = (await api.client.get("/virtual-school/roll", headers=api.vsh)).json()
        [child] = roll["items"]
        assert (child["child_id"], child["pep_status"], child["current_urn"]) == ("C1", "in_progress", URN)
        assert child["unofficial_exclusions"] == 1


async def test_an_idempotent_retry_of_a_command_returns_the_first_answer_and_records_nothing_more(
    pep_service, store
):
    async with pep_service() as api:
        headers = {**api.social_worker, "Idempotency-Key": "enter-care-C7-0001"}
        body = {
            "child_id": "C7",
            "name": "Kim Lee",
            "date_of_birth": "2015-02-02",
            "entered_care_on": "2026-10-01",
            "legal_status": "accommodated_section_20",
            "placing_authority": "Medway",
            "social_worker": "Sam Jones",
            "carer": "Pat Brown",
            "independent_reviewing_officer": "Jo Green",
            "sen_status": "none",
            "year_group": "year_6",
        }
        first = await api.client.post("/children", headers=headers, json=body)
        again = await api.client.post("/children", headers=headers, json=body)
        assert first.status_code == again.status_code == 201
        assert first.json() == again.json()
        assert await store.stream_version("child-C7") == 1
        # Without the key, entering care again while looked after is refused.
        refused = await api.client.post("/children", headers=api.social_worker, json=body)
        assert refused.status_code == 409
        assert refused.json()["field"] == "child_id"


async def test_a_stale_if_match_is_refused_with_409(pep_service):
    async with pep_service() as api:
        await api.looked_after_at("C8", URN)
        record = await api.client.get("/children/C8", headers=api.vso)
        etag = record.headers["etag"]
        await api.ok(
            "POST",
            "/children/C8/details",
            api.social_worker,
            {"changed_on": "2026-10-01", "carer": "Ray Carer"},
        )
        stale = await api.client.post(
            "/children/C8/details",
            headers={**api.social_worker, "If-Match": etag},
            json={"changed_on": "2026-10-02", "carer": "Another Carer"},
        )
        assert stale.status_code == 409
        assert stale.json()["field"] == "If-Match"
