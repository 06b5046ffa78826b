"""Term dates are entered once, at the schools service, and every service uses them at once: the
pep service counts school days on them, the pupil-premium service names its terms by them and
the schools service reviews schools each half-term of them. Each reads the council calendar
straight from the log when it answers, so there is no moment when the copies disagree."""

from __future__ import annotations

from pep.main import create_app as create_pep
from pupil_premium.main import create_app as create_pupil_premium
from schools.main import create_app as create_schools

YEAR_2026 = {
    "council": "Medway",
    "autumn": {
        "start": "2026-09-03",
        "half_term_start": "2026-10-26",
        "half_term_end": "2026-10-30",
        "end": "2026-12-18",
    },
    "spring": {
        "start": "2027-01-05",
        "half_term_start": "2027-02-15",
        "half_term_end": "2027-02-19",
        "end": "2027-03-25",
    },
    "summer": {
        "start": "2027-04-12",
        "half_term_start": "2027-05-31",
        "half_term_end": "2027-06-04",
        "end": "2027-07-21",
    },
    "closure_days": ["2026-09-03"],
}


async def test_a_year_set_once_is_the_one_every_service_uses_at_once(service_client, auth):
    auditor = auth("auditor")
    async with (
        service_client(create_schools) as schools,
        service_client(create_pep) as pep,
        service_client(create_pupil_premium) as pupil_premium,
    ):
        answer = await schools.put(
            "/council/term-dates/2026", json=YEAR_2026, headers=auth("virtual_school_head")
        )
        assert answer.status_code == 200, answer.text

        pep_years = (await pep.get("/council/term-dates", headers=auditor)).json()
        pp_terms = {
            t["term"]: t for t in (await pupil_premium.get("/settings", headers=auditor)).json()["terms"]
        }
        review_cycles = (await schools.get("/configuration/terms/2026", headers=auditor)).json()

    [year] = pep_years["years"]
    assert (pep_years["council"], year["academic_year"], year["closure_days"]) == (
        "Medway",
        2026,
        ["2026-09-03"],
    )
    assert year["spring"] == YEAR_2026["spring"]
    assert (pp_terms["autumn-2026"]["starts_on"], pp_terms["autumn-2026"]["ends_on"]) == (
        "2026-09-03",
        "2026-12-18",
    )
    assert (pp_terms["spring-2027"]["starts_on"], pp_terms["summer-2027"]["ends_on"]) == (
        "2027-01-05",
        "2027-07-21",
    )
    assert review_cycles["configured"] is True
    assert [t["starts_on"] for t in review_cycles["terms"]] == [
        "2026-09-03",
        "2026-10-31",
        "2027-01-05",
        "2027-02-20",
        "2027-04-12",
        "2027-06-05",
    ]
