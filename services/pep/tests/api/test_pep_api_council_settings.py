"""The council's term dates and PEP timing policy are data the virtual school head sets, kept as
events with the date they apply from; until a policy is set the domain defaults apply
(domain.md sections 2 and 5: *configurable*)."""

from __future__ import annotations

HOME = "118001"


async def test_the_default_timing_applies_until_the_head_sets_a_version(pep_service):
    async with pep_service() as api:
        answer = (await api.client.get("/council/pep-timing-policies", headers=api.social_worker)).json()
        assert answer["in_force_today"] == {
            "effective_from": "2000-01-01",
            "initiation_days": 10,
            "in_place_after_entering_care_days": 20,
            "in_place_after_change_of_school_days": 20,
            "count_school_days": False,
            "review_deadline": "end_of_term",
            "review_school_days_into_term": None,
        }


async def test_a_policy_version_counting_school_days_applies_to_children_entering_care_from_its_date(
    pep_service, helpers
):
    async with pep_service() as api:
        await api.set_term_dates()
        created = await api.client.post(
            "/council/pep-timing-policies",
            headers=api.vsh,
            json={
                "effective_from": "2026-09-01",
                "count_school_days": True,
                "review_deadline": "before_half_term",
            },
        )
        assert created.status_code == 201, created.text
        versions = (await api.client.get("/council/pep-timing-policies", headers=api.vso)).json()["versions"]
        assert [v["effective_from"] for v in versions] == ["2000-01-01", "2026-09-01"]

        # Entered care Monday 12 October 2026: 20 school days (not counting half-term) end on
        # 16 November; 20 working days would have ended on 9 November.
        await api.looked_after_at("C1", HOME, entered="2026-10-12", start="2026-10-12")
        await api.initiate("C1", "P1", 2026, "autumn", "2026-10-13", occasion="initial")
        await api.complete_pep(
            "C1",
            "P1",
            meeting="2026-11-03",
            submitted="2026-11-12",
            targets=[helpers.target("T1", "2027-02-12")],
        )
        [pep] = (await api.client.get("/children/C1", headers=api.vso)).json()["peps"]
        assert (pep["due_on"], pep["completed_in_time"]) == ("2026-11-16", True)

        # Entered before the version took effect: the working-day default still applies.
        await api.looked_after_at("C2", HOME, entered="2026-08-20", start="2026-09-03")
        await api.initiate("C2", "P1", 2026, "autumn", "2026-08-24", occasion="initial")
        await api.complete_pep(
            "C2",
            "P1",
            meeting="2026-09-10",
            submitted="2026-09-21",
            targets=[helpers.target("T1", "2026-12-11")],
        )
        [pep] = (await api.client.get("/children/C2", headers=api.vso)).json()["peps"]
        # 31 August 2026 is a bank holiday: 20 working days after 20 August end on 18 September.
        assert (pep["due_on"], pep["completed_in_time"]) == ("2026-09-18", False)


async def test_the_term_dates_are_the_council_calendars_and_are_not_set_here(pep_service, helpers, store):
    """Set once for every service at the schools service; this service reads them from the log."""
    async with pep_service() as api:
        await api.set_term_dates(2025, 2026)

        listed = (await api.client.get("/council/term-dates", headers=api.auditor)).json()
        assert listed["council"] == "Medway"
        assert [y["academic_year"] for y in listed["years"]] == [2025, 2026]
        assert listed["years"][1]["spring"]["end"] == "2027-03-25"

        typed_here = await api.client.put(
            "/council/term-dates/2026", headers=api.vsh, json=helpers.term_dates_body(2026)
        )
        assert typed_here.status_code == 404
        assert await store.stream_version("pepconfig-council") == 0


async def test_a_policy_with_a_review_date_into_term_needs_the_number_of_days(pep_service):
    async with pep_service() as api:
        refused = await api.client.post(
            "/council/pep-timing-policies",
            headers=api.vsh,
            json={"effective_from": "2027-01-01", "review_deadline": "school_days_into_term"},
        )
        assert (refused.status_code, refused.json()["field"]) == (422, "review_school_days_into_term")
