"""Bad input gets a 4xx problem-details answer naming the field, and nothing is written
(issue 4, "Done means")."""

from __future__ import annotations

import pytest

from shared.testing.problems import assert_problem

URN = "118001"



async def test_an_unknown_child_is_404_naming_child_id_and_no_stream_is_started(pep_service, store):
    async with pep_service() as api:
        await api.set_term_dates()
        placed = await api.client.post(
            "/children/NOBODY/school-placement",
            headers=api.social_worker,
            json={"urn": URN, "start_date": "2026-09-07"},
        )
        assert_problem(placed, 404, "child_id")
        assert "NOBODY" in placed.json()["detail"]
        assert_problem(await api.client.get("/children/NOBODY", headers=api.vso), 404, "child_id")
        pep = await api.client.post(
            "/children/NOBODY/peps",
            headers=api.social_worker,
            json={"term": {"academic_year": 2026, "season": "autumn"}, "occasion": "initial"},
        )
        assert_problem(pep, 404, "child_id")
        assert await store.stream_version("child-NOBODY") == 0
        assert await store.stream_version("pep-NOBODY") == 0


async def test_a_school_place_ending_before_it_starts_is_refused(pep_service, store):
    async with pep_service() as api:
        await api.looked_after_at("C1", URN, start="2026-09-07")
        before = await store.stream_version("child-C1")
        moved = await api.client.post(
            "/children/C1/school-moves",
            headers=api.social_worker,
            json={
                "to_urn": "118002",
                "start_date": "2026-10-05",
                "reason": "moved carer",
                "left_previous_school_on": "2026-09-01",
            },
        )
        assert_problem(moved, 422, "left_previous_school_on")
        waiting = await api.client.post(
            "/children/C1/awaiting-school-place",
            headers=api.social_worker,
            json={"place_needed_from": "2026-10-05", "reason": "excluded", "left_school_on": "2026-09-02"},
        )
        assert_problem(waiting, 422, "left_school_on")
        assert await store.stream_version("child-C1") == before


@pytest.mark.parametrize(
    "change, status, field",
    [
        (
            {"attendance": {"percentage": "100.5", "period_start": "2026-09-03", "period_end": "2026-09-21"}},
            422,
            "attendance.percentage",
        ),
        (
            {
                "attendance": {
                    "percentage": "ninety",
                    "period_start": "2026-09-03",
                    "period_end": "2026-09-21",
                }
            },
            422,
            "attendance.percentage",
        ),
        ({"attendees": []}, 422, "attendees"),
        ({"child_voice": "  "}, 422, "child_voice"),
        ({"surprise": "field"}, 422, "surprise"),
    ],
)
async def test_a_review_with_bad_values_is_refused_naming_the_field(
    pep_service, store, helpers, change, status, field
):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN, start="2026-09-07")
        await api.initiate("C1", "P1", 2026, "autumn", "2026-09-10", occasion="initial")
        before = await store.stream_version("pep-C1")
        answer = await api.client.post(
            "/children/C1/peps/P1/review",
            headers=api.social_worker,
            json={**helpers.review_body("2026-09-21"), **change},
        )
        assert_problem(answer, status, field)
        assert await store.stream_version("pep-C1") == before


async def test_targets_without_a_measurable_outcome_are_refused(pep_service, store, helpers):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN, start="2026-09-07")
        await api.initiate("C1", "P1", 2026, "autumn", "2026-09-10", occasion="initial")
        before = await store.stream_version("pep-C1")
        targets = [helpers.target("T1", "2026-12-11"), helpers.target("T2", "2026-12-11", outcome=" ")]
        answer = await api.client.post(
            "/children/C1/peps/P1/targets",
            headers=api.social_worker,
            json={"targets": targets, "set_on": "2026-09-21"},
        )
        assert_problem(answer, 422, "targets[1].target")
        same = [helpers.target("T1", "2026-12-11", outcome="Reading age 10 years")]
        answer = await api.client.post(
            "/children/C1/peps/P1/targets",
            headers=api.social_worker,
            json={"targets": same, "set_on": "2026-09-21"},
        )
        assert_problem(answer, 422, "targets[0].target")
        assert await store.stream_version("pep-C1") == before


async def test_a_pep_submitted_for_a_term_already_quality_assured_is_409(pep_service, store, helpers):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN, start="2026-09-07")
        await api.initiate("C1", "P1", 2026, "autumn", "2026-09-10", occasion="initial")
        await api.complete_pep(
            "C1",
            "P1",
            meeting="2026-09-21",
            submitted="2026-09-22",
            targets=[helpers.target("T1", "2026-12-11")],
        )
        before = await store.stream_version("pep-C1")
        again = await api.client.post(
            "/children/C1/peps/P1/submission", headers=api.social_worker, json={"submitted_on": "2026-10-01"}
        )
        assert_problem(again, 409, "term")
        second = await api.client.post(
            "/children/C1/peps",
            headers=api.social_worker,
            json={
                "pep_id": "P2",
                "term": {"academic_year": 2026, "season": "autumn"},
                "occasion": "termly_review",
                "initiated_on": "2026-10-01",
            },
        )
        assert_problem(second, 409, "term")
        assert await store.stream_version("pep-C1") == before


async def test_without_term_dates_a_pep_is_refused_naming_the_missing_academic_year(pep_service, store):
    async with pep_service() as api:
        await api.set_term_dates(2025)
        await api.looked_after_at("C1", URN, start="2026-09-07")
        answer = await api.client.post(
            "/children/C1/peps",
            headers=api.social_worker,
            json={
                "pep_id": "P1",
                "term": {"academic_year": 2026, "season": "autumn"},
                "occasion": "initial",
                "initiated_on": "2026-09-10",
            },
        )
        assert_problem(answer, 422, "term")
        assert "2026/27" in answer.json()["detail"]
        assert await store.stream_version("pep-C1") == 0
