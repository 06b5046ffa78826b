"""Setting a year of the council calendar in a test of a service that reads it but does not keep
it (the pep and pupil-premium services): decided by the calendar's own rules and appended to its
stream, as the schools service's ``PUT /council/term-dates/{academic_year}`` does."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared import council_calendar
from shared.council_calendar import CALENDAR_STREAM, AcademicYearTerms, SetCouncilTermDates
from shared.eventlog.records import NewEvent
from shared.eventlog.store import EventStore


async def set_term_dates(
    store: EventStore, academic_year: int, body: dict[str, Any], *, set_by: str = "vsh-1", set_on: date
) -> None:
    """``body`` is the request body the schools service takes: ``council``, ``autumn``, ``spring``,
    ``summer`` (each ``start``, ``half_term_start``, ``half_term_end``, ``end``), ``closure_days``."""
    calendar, version = council_calendar.NO_CALENDAR, 0
    for record in await store.read_stream(CALENDAR_STREAM):
        calendar = council_calendar.evolve(
            calendar, council_calendar.CouncilTermDatesSet.model_validate(record.data)
        )
        version = record.stream_version
    fields = {key: value for key, value in body.items() if key != "council"}
    command = SetCouncilTermDates(
        council=body.get("council", ""),
        terms=AcademicYearTerms.model_validate({"academic_year": academic_year, **fields}),
        set_by=set_by,
        set_on=set_on,
    )
    events = council_calendar.decide(command, calendar)
    if events:
        await store.append(
            CALENDAR_STREAM,
            [NewEvent.from_event(event, default_effective_date=set_on) for event in events],
            expected_version=version,
            metadata={"actor": set_by, "role": "virtual_school_head", "service": "schools"},
        )
