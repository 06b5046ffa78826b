"""The PEP service running on a real PostgreSQL, and the requests the API tests make again and again.

The test clock stands at Monday 2 November 2026, in the autumn term of 2026/27. Term dates are the
council's data: tests set 2025/26 and 2026/27 first (spring 2027 ends the day before Good Friday,
26 March 2027; the late May bank holiday of 2026 falls in the summer half-term).
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import date
from typing import Any

import httpx
import pytest
from pep.main import create_app

from shared.testing.calendar import set_term_dates as set_council_term_dates
from shared.testing.fixtures import settle

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


def term_dates_body(academic_year: int) -> dict[str, Any]:
    body: dict[str, Any] = {"council": "Medway"}
    for season, (start, half_start, half_end, end) in TERM_DATES[academic_year].items():
        body[season] = {"start": start, "half_term_start": half_start, "half_term_end": half_end, "end": end}
    return body


class PepApi:
    """The requests of a virtual school's day, made as the roles that make them."""

    def __init__(self, client: httpx.AsyncClient, auth) -> None:
        self.client = client
        self.app = client.app  # type: ignore[attr-defined]
        self.vsh = auth("virtual_school_head")
        self.vso = auth("virtual_school_officer")
        self.social_worker = auth("social_worker")
        self.auditor = auth("auditor")
        self._auth = auth

    def designated_teacher(self, urn: str) -> dict[str, str]:
        return self._auth("designated_teacher", urn=urn)

    async def ok(self, method: str, url: str, headers: dict[str, str], json: Any = None) -> dict[str, Any]:
        answer = await self.client.request(method, url, headers=headers, json=json)
        assert answer.status_code < 300, f"{method} {url}: {answer.status_code} {answer.text}"
        return answer.json()

    async def settle(self) -> None:
        await settle(self.app)

    async def set_term_dates(self, *years: int) -> None:
        """Set years of the council calendar (kept by the schools service) as its officer would."""
        for year in years or (2025, 2026):
            await set_council_term_dates(
                self.app.state.store, year, term_dates_body(year), set_on=self.app.state.clock.today()
            )

    async def enter_care(self, child_id: str, entered_care_on: str, **overrides: Any) -> dict[str, Any]:
        body = {
            "child_id": child_id,
            "name": overrides.pop("name", f"Child {child_id}"),
            "date_of_birth": "2014-05-01",
            "entered_care_on": entered_care_on,
            "legal_status": "interim_care_order",
            "placing_authority": "Medway",
            "social_worker": "Sam Jones",
            "carer": "Pat Brown",
            "independent_reviewing_officer": "Jo Green",
            "sen_status": "sen_support",
            "year_group": "year_7",
            **overrides,
        }
        return await self.ok("POST", "/children", self.social_worker, body)

    async def place(self, child_id: str, urn: str, start_date: str) -> dict[str, Any]:
        return await self.ok(
            "POST",
            f"/children/{child_id}/school-placement",
            self.social_worker,
            {"urn": urn, "start_date": start_date},
        )

    async def move(self, child_id: str, to_urn: str, start_date: str, **extra: Any) -> dict[str, Any]:
        body = {"to_urn": to_urn, "start_date": start_date, "reason": "carer moved house", **extra}
        return await self.ok("POST", f"/children/{child_id}/school-moves", self.social_worker, body)

    async def looked_after_at(
        self, child_id: str, urn: str, entered: str = "2026-09-07", start: str = "2026-09-07"
    ):
        await self.enter_care(child_id, entered)
        await self.place(child_id, urn, start)

    async def initiate(
        self,
        child_id: str,
        pep_id: str,
        academic_year: int,
        season: str,
        initiated_on: str,
        occasion: str = "termly_review",
    ) -> dict[str, Any]:
        body = {
            "pep_id": pep_id,
            "term": {"academic_year": academic_year, "season": season},
            "occasion": occasion,
            "initiated_on": initiated_on,
        }
        return await self.ok("POST", f"/children/{child_id}/peps", self.social_worker, body)

    async def complete_pep(
        self,
        child_id: str,
        pep_id: str,
        *,
        meeting: str,
        submitted: str,
        targets: list[dict[str, Any]],
        progress: list[dict[str, Any]] = (),
        attendance: str = "95.0",
        exclusions: list[dict[str, Any]] = (),
        rating: str = "green",
        headers: dict[str, str] | None = None,
    ) -> None:
        """Targets, review, submission (as a designated teacher when headers are given) and QA."""
        who = headers or self.social_worker
        pep = f"/children/{child_id}/peps/{pep_id}"
        await self.ok("POST", f"{pep}/targets", who, {"targets": targets, "set_on": meeting})
        await self.ok(
            "POST", f"{pep}/review", who, review_body(meeting, attendance, list(progress), list(exclusions))
        )
        await self.ok("POST", f"{pep}/submission", who, {"submitted_on": submitted})
        await self.ok(
            "POST", f"{pep}/quality-assurance", self.vso, {"rating": rating, "quality_assured_on": submitted}
        )


def target(target_id: str, by_when: str, outcome: str = "Reading age 12 years") -> dict[str, Any]:
    return {
        "target_id": target_id,
        "subject_or_area": "Reading",
        "baseline": "Reading age 10 years",
        "target": outcome,
        "by_when": by_when,
        "who": "Designated teacher with the reading tutor",
    }


def review_body(
    meeting: str,
    attendance: str = "95.0",
    progress: list[dict[str, Any]] | None = None,
    exclusions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    day = date.fromisoformat(meeting)
    start = date(day.year if day.month >= 9 else day.year - 1, 9, 3)
    return {
        "meeting_date": meeting,
        "attendance": {"percentage": attendance, "period_start": start.isoformat(), "period_end": meeting},
        "exclusions": exclusions or [],
        "attainment": [{"subject": "English", "attainment": "Working towards", "progress": "expected"}],
        "target_progress": progress or [],
        "child_voice": "I like art and want help with reading.",
        "attendees": [
            {"name": "Sam Jones", "role": "social_worker"},
            {"name": "Dee Teacher", "role": "designated_teacher"},
        ],
        "support_funded": [],
    }


@pytest.fixture
def pep_service(service_client, auth):
    """``async with pep_service() as api:`` - the app running, and the requests above."""

    @asynccontextmanager
    async def running():
        async with service_client(create_app) as client:
            yield PepApi(client, auth)

    return running


@pytest.fixture
def helpers():
    """The request bodies the tests build."""

    class Helpers:
        target = staticmethod(target)
        review_body = staticmethod(review_body)
        term_dates_body = staticmethod(term_dates_body)

    return Helpers
