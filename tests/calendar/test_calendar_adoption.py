"""The term dates each service kept for itself before the council calendar are carried into it
(shared/calendar_adoption.py, run by ``python -m shared.migrate``) without losing their history:
the old events stay as they were, each adopted year names the events it came from, the richest
copy wins where they disagree, and running it again changes nothing."""

from __future__ import annotations

import asyncio
from datetime import date

from shared.calendar_adoption import LegacyRecord, adopt_legacy_term_dates, plan_adoption
from shared.council_calendar import CALENDAR_STREAM, CouncilTermDatesSet
from shared.eventlog.records import NewEvent
from shared.eventlog.verify import verify_chain
from shared.migrate import bring_to_head
from shared.services import database_roles

PEP_2024 = {
    "council": "Medway",
    "academic_year": 2024,
    "autumn": {
        "start": "2024-09-04",
        "half_term_start": "2024-10-28",
        "half_term_end": "2024-11-01",
        "end": "2024-12-20",
    },
    "spring": {
        "start": "2025-01-06",
        "half_term_start": "2025-02-17",
        "half_term_end": "2025-02-21",
        "end": "2025-04-04",
    },
    "summer": {
        "start": "2025-04-22",
        "half_term_start": "2025-05-26",
        "half_term_end": "2025-05-30",
        "end": "2025-07-22",
    },
    "closure_days": ["2024-09-04"],
    "set_on": "2024-07-01",
}
# Kent's six terms: each term's two halves, a half-term between them.
SCHOOLS_2025 = {
    "academic_year": 2025,
    "terms": [
        {"name": "2025-26 term 1", "starts_on": "2025-09-03", "ends_on": "2025-10-24"},
        {"name": "2025-26 term 2", "starts_on": "2025-11-03", "ends_on": "2025-12-19"},
        {"name": "2025-26 term 3", "starts_on": "2026-01-05", "ends_on": "2026-02-13"},
        {"name": "2025-26 term 4", "starts_on": "2026-02-23", "ends_on": "2026-03-27"},
        {"name": "2025-26 term 5", "starts_on": "2026-04-13", "ends_on": "2026-05-22"},
        {"name": "2025-26 term 6", "starts_on": "2026-06-01", "ends_on": "2026-07-22"},
    ],
    "set_by": "pa.okafor",
    "set_on": "2025-06-10",
}
PP_2024 = {
    "academic_year": 2024,
    "terms": [
        {"term": "autumn-2024", "starts_on": "2024-09-02", "ends_on": "2024-12-20"},
        {"term": "spring-2025", "starts_on": "2025-01-06", "ends_on": "2025-04-04"},
        {"term": "summer-2025", "starts_on": "2025-04-22", "ends_on": "2025-07-22"},
    ],
    "set_by": "Virtual School Head",
    "set_on": "2024-05-01",
}
PP_2026 = {
    "academic_year": 2026,
    "terms": [
        {"term": "autumn-2026", "starts_on": "2026-09-03", "ends_on": "2026-12-18"},
        {"term": "spring-2027", "starts_on": "2027-01-05", "ends_on": "2027-03-26"},
        {"term": "summer-2027", "starts_on": "2027-04-12", "ends_on": "2027-07-21"},
    ],
    "set_by": "Virtual School Head",
    "set_on": "2026-05-01",
}
LEGACY = [
    ("ppconfig-council", "PupilPremiumTermDatesSet", PP_2024),
    ("pepconfig-council", "PepTermDatesSet", PEP_2024),
    ("schoolsconfig-council", "TermDatesSet", SCHOOLS_2025),
    ("ppconfig-council", "PupilPremiumTermDatesSet", PP_2026),
]


def legacy_records() -> list[LegacyRecord]:
    versions: dict[str, int] = {}
    records = []
    for stream_id, event_type, data in LEGACY:
        versions[stream_id] = versions.get(stream_id, 0) + 1
        records.append(LegacyRecord(stream_id, versions[stream_id], event_type, data))
    return records


def test_where_copies_disagree_the_richest_wins_and_every_copy_is_named() -> None:
    plan = {
        adoption.academic_year: adoption.event for adoption in plan_adoption(legacy_records(), held_years=())
    }

    assert sorted(plan) == [2024, 2025, 2026]
    year_2024 = plan[2024]
    assert year_2024 is not None
    # The pep service's copy (half-terms, closure days) over the pupil-premium service's.
    assert year_2024.autumn.start == date(2024, 9, 4)
    assert year_2024.closure_days == (date(2024, 9, 4),)
    assert year_2024.council == "Medway"
    assert [(r.stream_id, r.event_type) for r in year_2024.adopted_from] == [
        ("pepconfig-council", "PepTermDatesSet"),
        ("ppconfig-council", "PupilPremiumTermDatesSet"),
    ]
    assert year_2024.set_on == date(2024, 7, 1)


def test_six_review_terms_become_three_terms_with_their_half_terms() -> None:
    plan = {
        adoption.academic_year: adoption.event for adoption in plan_adoption(legacy_records(), held_years=())
    }

    year_2025 = plan[2025]
    assert year_2025 is not None
    assert (year_2025.autumn.start, year_2025.autumn.half_term_start, year_2025.autumn.half_term_end) == (
        date(2025, 9, 3),
        date(2025, 10, 25),
        date(2025, 11, 2),
    )
    assert year_2025.summer.end == date(2026, 7, 22)
    assert year_2025.set_by == "pa.okafor"


def test_three_terms_without_half_terms_are_adopted_without_them() -> None:
    plan = {
        adoption.academic_year: adoption.event for adoption in plan_adoption(legacy_records(), held_years=())
    }

    year_2026 = plan[2026]
    assert year_2026 is not None
    assert not year_2026.spring.has_half_term
    assert year_2026.spring.end == date(2027, 3, 26)


def test_a_year_the_calendar_holds_is_never_adopted_over() -> None:
    plan = plan_adoption(legacy_records(), held_years=(2024, 2026))

    assert [adoption.academic_year for adoption in plan] == [2025]


def test_a_year_no_copy_can_give_three_terms_for_is_reported_not_guessed() -> None:
    four_in_autumn = {
        **SCHOOLS_2025,
        "terms": [
            {"name": f"autumn {n}", "starts_on": f"2025-{8 + n:02d}-01", "ends_on": f"2025-{8 + n:02d}-20"}
            for n in range(1, 5)
        ],
    }
    [adoption] = plan_adoption([LegacyRecord("schoolsconfig-council", 1, "TermDatesSet", four_in_autumn)], ())

    assert adoption.event is None
    assert "4 terms start in the autumn" in (adoption.not_adopted_because or "")
    assert "an officer must set it" in adoption.describe()


async def test_adopting_appends_each_year_once_and_leaves_the_old_events_as_they_were(store, pool) -> None:
    for stream_id, event_type, data in LEGACY:
        await store.append(stream_id, [NewEvent(event_type, data, date.fromisoformat(data["set_on"]))])
    before = await pool.fetch("SELECT position, hash FROM eventlog.events ORDER BY position")

    first = await adopt_legacy_term_dates(store, pool)
    again = await adopt_legacy_term_dates(store, pool)

    assert [a.academic_year for a in first if a.event is not None] == [2024, 2025, 2026]
    assert again == []
    calendar = await store.read_stream(CALENDAR_STREAM)
    years = [CouncilTermDatesSet.model_validate(r.data) for r in calendar]
    assert [(y.academic_year, y.adopted_from[0].event_type) for y in years] == [
        (2024, "PepTermDatesSet"),
        (2025, "TermDatesSet"),
        (2026, "PupilPremiumTermDatesSet"),
    ]
    assert all(r.metadata["actor"] == "migration:council-calendar" for r in calendar)
    after = await pool.fetch("SELECT position, hash FROM eventlog.events ORDER BY position")
    assert after[: len(before)] == before
    assert (await verify_chain(pool)).ok


async def test_the_migrate_step_adopts_them(database_url, store) -> None:
    """``python -m shared.migrate`` (and the development launcher) bring the log to head this way."""
    stream_id, event_type, data = LEGACY[1]
    await store.append(stream_id, [NewEvent(event_type, data, date.fromisoformat(data["set_on"]))])

    adopted = await asyncio.to_thread(bring_to_head, database_url, database_roles(), {})

    assert [adoption.describe() for adoption in adopted] == ["2024 adopted from PepTermDatesSet"]
    [year] = await store.read_stream(CALENDAR_STREAM)
    assert year.data["academic_year"] == 2024
