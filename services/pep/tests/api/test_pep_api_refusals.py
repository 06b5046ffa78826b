"""Each family of the virtual school's refusals answers with its own problem type, so a calling
system (a social care case system, a school's MIS) tells them apart without reading the prose; and
a refused request records nothing."""

from __future__ import annotations

from shared.testing.problems import refused

URN = "118001"
AUTUMN_2026 = {"academic_year": 2026, "season": "autumn"}


def initiation(pep_id: str, initiated_on: str, occasion: str = "termly_review", term=AUTUMN_2026) -> dict:
    return {"pep_id": pep_id, "term": term, "occasion": occasion, "initiated_on": initiated_on}


async def social_worker_refused(
    api, path: str, body: dict, status: int, problem_type: str, field: str
) -> dict:
    return await refused(
        api.client, "POST", path, headers=api.social_worker, json=body,
        status=status, problem_type=problem_type, field=field,
    )


async def test_a_step_the_pep_is_not_at_the_stage_for_is_a_pep_stage_refusal(pep_service, helpers):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN)
        await api.initiate("C1", "PEP-1", 2026, "autumn", "2026-09-10")
        pep = "/children/C1/peps/PEP-1"
        targets = {"targets": [helpers.target("T1", "2026-12-11")], "set_on": "2026-09-21"}
        await api.ok("POST", f"{pep}/targets", api.social_worker, targets)
        await api.ok("POST", f"{pep}/review", api.social_worker, helpers.review_body("2026-09-21"))
        await api.ok("POST", f"{pep}/submission", api.social_worker, {"submitted_on": "2026-09-22"})

        again = await social_worker_refused(
            api, f"{pep}/submission", {"submitted_on": "2026-09-23"}, 409, "pep-stage", "pep_id"
        )
        assert again["detail"] == "PEP PEP-1 is already submitted"
        edited = await social_worker_refused(
            api, f"{pep}/targets", {**targets, "set_on": "2026-09-23"}, 409, "pep-stage", "pep_id"
        )
        assert "awaiting quality assurance" in edited["detail"]


async def test_submitting_a_pep_without_its_review_is_refused_as_incomplete(pep_service, helpers):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN)
        await api.initiate("C1", "PEP-1", 2026, "autumn", "2026-09-10")
        targets = {"targets": [helpers.target("T1", "2026-12-11")], "set_on": "2026-09-21"}
        await api.ok("POST", "/children/C1/peps/PEP-1/targets", api.social_worker, targets)

        problem = await social_worker_refused(
            api, "/children/C1/peps/PEP-1/submission", {"submitted_on": "2026-09-22"}, 422, "pep-incomplete",
            "review",
        )
        assert problem["detail"] == "record the PEP review before submitting"


async def test_a_second_pep_for_the_same_term_is_refused_as_already_initiated(pep_service):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN)
        await api.initiate("C1", "PEP-1", 2026, "autumn", "2026-09-10")

        problem = await social_worker_refused(
            api, "/children/C1/peps", initiation("PEP-2", "2026-09-11"), 409, "pep-already-initiated", "term"
        )
        assert problem["detail"] == "a PEP for autumn 2026/27 already exists"
        # The same id again, for another term, is a plain clash of ids, not this family.
        spring = initiation("PEP-1", "2026-09-11", term={**AUTUMN_2026, "season": "spring"})
        await social_worker_refused(api, "/children/C1/peps", spring, 409, "conflict", "pep_id")


async def test_a_pep_outside_the_childs_time_in_care_is_refused_by_the_care_history(pep_service):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN, entered="2026-09-07")

        before_care = await social_worker_refused(
            api, "/children/C1/peps", initiation("PEP-1", "2026-09-04"), 422, "care-history", "initiated_on"
        )
        assert before_care["detail"] == "child C1 was not looked after on 2026-09-04"
        no_move = initiation("PEP-1", "2026-09-10", occasion="change_of_school")
        await social_worker_refused(api, "/children/C1/peps", no_move, 422, "care-history", "occasion")


async def test_placing_a_child_already_on_a_roll_is_refused_by_the_childs_status(pep_service):
    async with pep_service() as api:
        await api.set_term_dates()
        await api.looked_after_at("C1", URN)

        problem = await social_worker_refused(
            api, "/children/C1/school-placement", {"urn": "118002", "start_date": "2026-10-05"}, 409,
            "child-status", "urn",
        )
        assert "record a move instead" in problem["detail"]


async def test_a_pep_for_a_term_whose_dates_are_not_set_names_the_council_calendar(pep_service):
    async with pep_service() as api:
        await api.set_term_dates(2026)
        await api.looked_after_at("C1", URN)

        autumn_2027 = {**AUTUMN_2026, "academic_year": 2027}
        problem = await social_worker_refused(
            api, "/children/C1/peps", initiation("PEP-1", "2026-09-10", term=autumn_2027), 422,
            "term-dates-missing", "term",
        )
        assert "the term dates of academic year 2027/28 must be set first" in problem["detail"]
