"""Givens for the pupil-premium API tests: the pep service's events about children (written to the
log exactly as the pep service writes them, with its own event classes), and calls to the API.

The test clock stands at Monday 2 November 2026: the 2026-27 financial year, autumn term 2026.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from pep.domain.child_events import (
    ChildEnteredCare,
    ChildMovedSchool,
    ChildPlacedAtSchool,
    LegalStatus,
    SenStatus,
    YearGroup,
)
from pep.domain.pep_events import (
    PepCompleted,
    PepOccasion,
    PepQualityAssured,
    PepReviewRecorded,
    PepTargetsSet,
    Rag,
)
from pep.domain.reviews import Attendance, Attendee, AttendeeRole
from pep.domain.targets import SmartTarget, TargetProgress, TargetStatus
from pep.domain.terms import Season, TermRef
from shared.eventlog.records import NewEvent
from shared.events import Event
from shared.testing.fixtures import settle

from pupil_premium.main import create_app

FY = "2026-27"
TODAY = date(2026, 11, 2)
URN = "118000"
OTHER_URN = "118001"
AUTUMN = "autumn-2026"
PANEL = ["Virtual School Head", "Finance officer", "Educational psychologist"]
TARGETS = {
    "T1": ("Reading", "Read a Year 6 text aloud with fluency"),
    "T2": ("Attendance", "Attend 95% of sessions"),
}
AUTUMN_2026 = TermRef(academic_year=2026, season=Season.AUTUMN)

__all__ = ["create_app", "settle"]


async def append_pep_events(client: httpx.AsyncClient, stream_id: str, events: list[Event]) -> None:
    store = client.app.state.store
    await store.append(
        stream_id,
        [NewEvent.from_event(e, default_effective_date=TODAY) for e in events],
        metadata={"actor": "pep-service", "role": "service", "service": "pep"},
    )


def target_ids(child_id: str) -> list[str]:
    return [f"{child_id}-{t}" for t in TARGETS]


async def given_child(
    client: httpx.AsyncClient,
    child_id: str,
    *,
    urn: str = URN,
    pep_completed_on: date | None = date(2026, 9, 21),
    settled: bool = True,
) -> None:
    """A child in care since January 2025, on roll at ``urn``, with a PEP (setting targets
    ``<child>-T1`` and ``<child>-T2``) completed on ``pep_completed_on`` (none when None)."""
    await append_pep_events(
        client,
        f"child-{child_id}",
        [
            ChildEnteredCare(
                child_id=child_id,
                name=f"Child {child_id}",
                date_of_birth=date(2015, 5, 1),
                entered_care_on=date(2025, 1, 10),
                legal_status=LegalStatus.FULL_CARE_ORDER,
                placing_authority="This council",
                social_worker="S. Worker",
                carer="A. Carer",
                independent_reviewing_officer="I. R. Officer",
                sen_status=SenStatus.NONE,
                year_group=YearGroup.YEAR_6,
            ),
            ChildPlacedAtSchool(
                child_id=child_id,
                urn=urn,
                start_date=date(2025, 1, 16),
                year_group=YearGroup.YEAR_6,
                looked_after=True,
            ),
        ],
    )
    pep_id = f"PEP-{child_id}-1"
    pep = [
        PepTargetsSet(
            child_id=child_id,
            urn=urn,
            pep_id=pep_id,
            term=AUTUMN_2026,
            set_on=date(2026, 9, 14),
            targets=tuple(
                SmartTarget(
                    target_id=f"{child_id}-{t}",
                    subject_or_area=area,
                    baseline="Not yet",
                    target=text,
                    by_when=date(2026, 12, 18),
                    who="Class teacher",
                )
                for t, (area, text) in TARGETS.items()
            ),
        )
    ]
    if pep_completed_on is not None:
        pep += [
            PepQualityAssured(
                child_id=child_id,
                urn=urn,
                pep_id=pep_id,
                term=AUTUMN_2026,
                occasion=PepOccasion.TERMLY_REVIEW,
                quality_assured_on=pep_completed_on,
                rating=Rag.GREEN,
                comments="Good",
            ),
            PepCompleted(
                child_id=child_id,
                urn=urn,
                pep_id=pep_id,
                term=AUTUMN_2026,
                occasion=PepOccasion.TERMLY_REVIEW,
                completed_on=pep_completed_on,
                due_on=date(2026, 10, 16),
                completed_in_time=True,
                rating=Rag.GREEN,
                target_ids=tuple(target_ids(child_id)),
            ),
        ]
    await append_pep_events(client, f"pep-{child_id}", pep)
    if settled:
        await settle(client.app)


async def child_moves_school(client: httpx.AsyncClient, child_id: str, *, to_urn: str, on: date) -> None:
    await append_pep_events(
        client,
        f"child-{child_id}",
        [
            ChildMovedSchool(
                child_id=child_id,
                from_urn=URN,
                to_urn=to_urn,
                left_previous_school_on=on,
                start_date=on,
                reason="Placement move",
                year_group=YearGroup.YEAR_6,
                looked_after=True,
            )
        ],
    )
    await settle(client.app)


async def next_review_completed(
    client: httpx.AsyncClient, child_id: str, *, progress: dict[str, TargetStatus], on: date
) -> None:
    """The child's next PEP: its meeting reviews the targets of the first, then it is completed."""
    pep_id = f"PEP-{child_id}-2"
    spring = TermRef(academic_year=2026, season=Season.SPRING)
    common = {"child_id": child_id, "urn": URN, "pep_id": pep_id, "term": spring}
    await append_pep_events(
        client,
        f"pep-{child_id}",
        [
            PepReviewRecorded(
                **common,
                meeting_date=on,
                attendance=Attendance(
                    percentage=Decimal("96.5"), period_start=date(2026, 9, 1), period_end=on
                ),
                persistent_absence=False,
                target_progress=tuple(
                    TargetProgress(
                        target_id=f"{child_id}-{t}",
                        status=status,
                        evidence="Teacher assessment",
                        actions=""
                        if status in (TargetStatus.ACHIEVED, TargetStatus.ON_TRACK)
                        else "Extra sessions",
                    )
                    for t, status in progress.items()
                ),
                child_voice="I like reading now",
                attendees=(Attendee(name="D. Teacher", role=AttendeeRole.DESIGNATED_TEACHER),),
            ),
            PepCompleted(
                **common,
                occasion=PepOccasion.TERMLY_REVIEW,
                completed_on=on,
                due_on=date(2027, 2, 12),
                completed_in_time=True,
                rating=Rag.GREEN,
                target_ids=(),
            ),
        ],
    )
    await settle(client.app)


# --- calls -------------------------------------------------------------------------------------


async def grant(
    client: httpx.AsyncClient, headers: dict[str, str], pence: int, *, fy: str = FY
) -> httpx.Response:
    answer = await client.post(
        f"/budgets/{fy}/grant/letter",
        json={"letter_reference": f"DfE PP+ {fy}", "letter_date": "2026-06-12", "grant_pence": pence},
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    return answer


def request_body(child_id: str, amount: int = 50_000, **overrides: Any) -> dict[str, Any]:
    return {
        "child_id": child_id,
        "term": AUTUMN,
        "amount_pence": amount,
        "target_ids": [f"{child_id}-T1"],
        "intervention_type": "tutoring",
        "intervention": "Weekly one-to-one reading tuition",
        **overrides,
    }


async def make_request(
    client: httpx.AsyncClient, headers: dict[str, str], child_id: str, amount: int = 50_000, **overrides: Any
) -> str:
    answer = await client.post(
        f"/budgets/{FY}/requests", json=request_body(child_id, amount, **overrides), headers=headers
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["request_id"]


async def approve(client: httpx.AsyncClient, headers: dict[str, str], request_id: str) -> httpx.Response:
    return await client.post(
        f"/budgets/{FY}/requests/{request_id}/approval", json={"panel_members": PANEL}, headers=headers
    )


async def budget_events(client: httpx.AsyncClient, fy: str = FY) -> list:
    return await client.app.state.store.read_stream(f"ppbudget-{fy}")


async def event_count(client: httpx.AsyncClient) -> int:
    return await client.app.state.store.head_position()
