"""Reading your own writes across services: a PEP just completed in the pep service counts at once
for a request for Pupil Premium Plus in the pupil-premium service, when the request names the
completion's Log-Position in Min-Log-Position.

Pupil premium learns of a PEP from the log a moment after the pep service writes it. Without the
header, a designated teacher who asks for PP+ straight after the PEP's quality assurance could be
refused "no PEP, no premium" for a PEP that is already complete.

The test clock stands at Monday 2 November 2026, in the autumn term of 2026/27.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from pep.main import create_app as create_pep
from pupil_premium.main import create_app as create_pupil_premium
from schools.main import create_app as create_schools

ROUNDS = 200
SETUP_BATCH = 10  # children set up at once
URN = "118000"
FY = "2026-27"

TERM_DATES = {
    2025: {
        "autumn": ("2025-09-03", "2025-10-27", "2025-10-31", "2025-12-19"),
        "spring": ("2026-01-05", "2026-02-16", "2026-02-20", "2026-03-27"),
        "summer": ("2026-04-13", "2026-05-25", "2026-05-29", "2026-07-21"),
    },
    2026: {
        "autumn": ("2026-09-03", "2026-10-26", "2026-10-30", "2026-12-18"),
        "spring": ("2027-01-05", "2027-02-15", "2027-02-19", "2027-03-25"),
        "summer": ("2027-04-12", "2027-05-31", "2027-06-04", "2027-07-21"),
    },
}
ENTERED_CARE = "2026-09-07"
STARTED_SCHOOL = "2026-09-08"
INITIATED = "2026-09-10"
MEETING = "2026-09-21"
SUBMITTED = "2026-09-22"


def term_dates_body(academic_year: int) -> dict[str, Any]:
    body: dict[str, Any] = {"council": "Medway"}
    for season, (start, half_start, half_end, end) in TERM_DATES[academic_year].items():
        body[season] = {"start": start, "half_term_start": half_start, "half_term_end": half_end, "end": end}
    return body


def child_body(child_id: str) -> dict[str, Any]:
    return {
        "child_id": child_id,
        "name": f"Child {child_id}",
        "date_of_birth": "2014-05-01",
        "entered_care_on": ENTERED_CARE,
        "legal_status": "interim_care_order",
        "placing_authority": "Medway",
        "social_worker": "Sam Jones",
        "carer": "Pat Brown",
        "independent_reviewing_officer": "Jo Green",
        "sen_status": "sen_support",
        "year_group": "year_7",
    }


def initiation_body(child_id: str) -> dict[str, Any]:
    return {
        "pep_id": f"PEP-{child_id}",
        "term": {"academic_year": 2026, "season": "autumn"},
        "occasion": "initial",
        "initiated_on": INITIATED,
    }


def targets_body(child_id: str) -> dict[str, Any]:
    target = {
        "target_id": f"{child_id}-T1",
        "subject_or_area": "Reading",
        "baseline": "Reading age 10 years",
        "target": "Reading age 12 years",
        "by_when": "2026-12-11",
        "who": "Designated teacher with the reading tutor",
    }
    return {"targets": [target], "set_on": MEETING}


def review_body() -> dict[str, Any]:
    return {
        "meeting_date": MEETING,
        "attendance": {"percentage": "95.0", "period_start": "2026-09-03", "period_end": MEETING},
        "exclusions": [],
        "attainment": [{"subject": "English", "attainment": "Working towards", "progress": "expected"}],
        "target_progress": [],
        "child_voice": "I like art and want help with reading.",
        "attendees": [
            {"name": "Sam Jones", "role": "social_worker"},
            {"name": "Dee Teacher", "role": "designated_teacher"},
        ],
        "support_funded": [],
    }


def pp_plus_request_body(child_id: str) -> dict[str, Any]:
    return {
        "child_id": child_id,
        "term": "autumn-2026",
        "amount_pence": 50_000,
        "target_ids": [f"{child_id}-T1"],
        "intervention_type": "tutoring",
        "intervention": "Weekly one-to-one reading tuition",
    }


async def ok(
    client: httpx.AsyncClient, method: str, url: str, headers: dict[str, str], json: Any = None
) -> httpx.Response:
    answer = await client.request(method, url, headers=headers, json=json)
    assert answer.status_code < 300, f"{method} {url}: {answer.status_code} {answer.text}"
    return answer


async def test_a_pep_just_completed_always_counts_for_a_pp_plus_request_that_names_the_completion(
    service_client, auth, monkeypatch
):
    # Pupil premium is woken by the log's notifications, not by a quick poll: without the header
    # a request straight after the PEP's completion can reach it before it has learned of the PEP.
    monkeypatch.setenv("SUBSCRIPTION_POLL_SECONDS", "5")
    # One social worker records all the children here: more writes in a minute than the default allows.
    monkeypatch.setenv("WRITE_RATE_PER_MINUTE", "5000")
    vsh = auth("virtual_school_head")
    officer = auth("virtual_school_officer")
    social_worker = auth("social_worker")
    teacher = auth("designated_teacher", urn=URN)
    children = [f"RYW{n:03d}" for n in range(ROUNDS)]

    async with (
        service_client(create_pep) as pep,
        service_client(create_pupil_premium) as pp,
        service_client(create_schools) as schools,
    ):
        # Given: the council calendar (kept by the schools service), and children in care on roll
        # at the teacher's school, each PEP submitted for quality assurance - all of which pupil
        # premium has heard of.
        for year in TERM_DATES:
            await ok(schools, "PUT", f"/council/term-dates/{year}", vsh, term_dates_body(year))

        async def pep_submitted(child_id: str) -> int:
            peps = f"/children/{child_id}/peps"
            pep_path = f"{peps}/PEP-{child_id}"
            await ok(pep, "POST", "/children", social_worker, child_body(child_id))
            await ok(
                pep,
                "POST",
                f"/children/{child_id}/school-placement",
                social_worker,
                {"urn": URN, "start_date": STARTED_SCHOOL},
            )
            await ok(pep, "POST", peps, social_worker, initiation_body(child_id))
            await ok(pep, "POST", f"{pep_path}/targets", social_worker, targets_body(child_id))
            await ok(pep, "POST", f"{pep_path}/review", social_worker, review_body())
            submitted = await ok(
                pep, "POST", f"{pep_path}/submission", social_worker, {"submitted_on": SUBMITTED}
            )
            return int(submitted.headers["Log-Position"])

        written = []
        for batch in range(0, ROUNDS, SETUP_BATCH):
            written += await asyncio.gather(
                *(pep_submitted(c) for c in children[batch : batch + SETUP_BATCH])
            )
        # Pupil premium knows every child on roll at the school before the loop, so all a request
        # can lack is the PEP's completion (not the child, which would be refused in other words).
        caught_up = await pp.get("/settings", headers={**vsh, "Min-Log-Position": str(max(written))})
        assert caught_up.status_code == 200, caught_up.text

        refused = []
        for n, child_id in enumerate(children):
            # When the PEP is quality-assured (and so completed)...
            completed = await ok(
                pep,
                "POST",
                f"/children/{child_id}/peps/PEP-{child_id}/quality-assurance",
                officer,
                {"rating": "green", "quality_assured_on": SUBMITTED},
            )
            position = completed.headers["Log-Position"]
            # ... a request for PP+ straight after, naming the completion, is never refused for it.
            answer = await pp.post(
                f"/budgets/{FY}/requests",
                json=pp_plus_request_body(child_id),
                headers={**teacher, "Min-Log-Position": position},
            )
            if answer.status_code != 201:
                refused.append((n, answer.status_code, answer.json().get("detail")))
                continue
            assert answer.json()["pep_id"] == f"PEP-{child_id}"
            assert int(answer.headers["Log-Position"]) > int(position)
        assert refused == [], f"{len(refused)} of {ROUNDS} requests refused, first: {refused[:3]}"
