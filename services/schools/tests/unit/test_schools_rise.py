"""A school's work with the DfE's RISE team: an adviser, a plan, funding, dates and an outcome
(domain.md section 7: RISE targets stuck schools with about eighteen months of support)."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.refusals import SchoolNotOpen
from schools.domain.register import NO_SCHOOL, SchoolRegistered
from schools.domain.register import evolve as evolve_school
from schools.domain.rise import (
    NO_RISE,
    EndRiseEngagement,
    RecordRiseFunding,
    RecordRisePlan,
    RiseEngagement,
    RiseEngagementEnded,
    RiseEngagementStarted,
    RiseFundingRecorded,
    RiseImprovementPlanRecorded,
    RiseOutcome,
    RiseRecord,
    StartRiseEngagement,
    decide,
    evolve,
)

from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Event

URN = "118234"
TODAY = date(2026, 11, 2)
STARTED = date(2026, 1, 12)
PLANNED_END = date(2027, 7, 12)
SCHOOL = evolve_school(
    NO_SCHOOL,
    SchoolRegistered(
        urn=URN,
        name="Oak Tree Primary School",
        la_code="886",
        establishment_type=EstablishmentType.COMMUNITY,
        phase=Phase.PRIMARY,
        opened_on=date(1975, 9, 1),
        status=SchoolStatus.OPEN,
        registered_on=date(2013, 1, 7),
    ),
)


def given(*events: Event) -> RiseRecord:
    return reduce(evolve, events, NO_RISE)


def start(**changes: object) -> StartRiseEngagement:
    values: dict[str, object] = {
        "urn": URN,
        "engagement_id": "rise-1",
        "adviser": "Dr R Adeyemi",
        "started_on": STARTED,
        "planned_end_on": PLANNED_END,
        "recorded_by": "sia.khan",
        "recorded_on": TODAY,
    }
    values.update(changes)
    return StartRiseEngagement(**values)


def started() -> RiseEngagementStarted:
    return RiseEngagementStarted(
        urn=URN,
        engagement_id="rise-1",
        adviser="Dr R Adeyemi",
        started_on=STARTED,
        planned_end_on=PLANNED_END,
        recorded_by="sia.khan",
    )


def end(**changes: object) -> EndRiseEngagement:
    values: dict[str, object] = {
        "urn": URN,
        "engagement_id": "rise-1",
        "ended_on": date(2026, 10, 30),
        "outcome": RiseOutcome.IMPROVED,
        "summary": "Expected standard in every area at the October inspection",
        "recorded_by": "sia.khan",
        "recorded_on": TODAY,
    }
    values.update(changes)
    return EndRiseEngagement(**values)


def ended() -> RiseEngagementEnded:
    [event] = decide(end(), given(started()), school=SCHOOL)
    assert isinstance(event, RiseEngagementEnded)
    return event


def test_starting_an_engagement_records_the_adviser_dates_plan_and_funding() -> None:
    events = decide(start(plan="SE-2026-0142", amount_pence=4500000), NO_RISE, school=SCHOOL)

    common = {"urn": URN, "engagement_id": "rise-1", "recorded_by": "sia.khan"}
    assert events == [
        started(),
        RiseImprovementPlanRecorded(**common, plan="SE-2026-0142", recorded_on=TODAY),
        RiseFundingRecorded(**common, amount_pence=4500000, recorded_on=TODAY),
    ]
    assert events[0].effective_on() == STARTED
    assert events[0].subjects() == ["school:118234"]
    assert given(*events).current() == RiseEngagement(
        engagement_id="rise-1",
        adviser="Dr R Adeyemi",
        started_on=STARTED,
        planned_end_on=PLANNED_END,
        plan="SE-2026-0142",
        amount_pence=4500000,
    )


def test_a_start_without_plan_or_funding_records_the_start_alone() -> None:
    assert decide(start(), NO_RISE, school=SCHOOL) == [started()]


def test_the_plan_and_funding_are_recorded_later_and_the_latest_stands() -> None:
    plan = RecordRisePlan(
        urn=URN,
        engagement_id="rise-1",
        plan="Revised plan, May 2026",
        recorded_by="pa.okafor",
        recorded_on=TODAY,
    )
    funding = RecordRiseFunding(
        urn=URN, engagement_id="rise-1", amount_pence=6000000, recorded_by="pa.okafor", recorded_on=TODAY
    )

    planned = given(started(), *decide(plan, given(started()), school=SCHOOL))
    record = reduce(evolve, decide(funding, planned, school=SCHOOL), planned)

    assert (record.current().plan, record.current().amount_pence) == ("Revised plan, May 2026", 6000000)
    assert decide(plan, record, school=SCHOOL) == []
    assert decide(funding, record, school=SCHOOL) == []


def test_ending_records_the_date_and_outcome_and_closes_the_record() -> None:
    record = given(started(), ended())

    [engagement] = record.engagements
    assert (engagement.ended_on, engagement.outcome) == (date(2026, 10, 30), RiseOutcome.IMPROVED)
    assert record.current() is None
    assert ended().effective_on() == date(2026, 10, 30)


def test_the_same_end_sent_again_records_nothing_and_a_different_one_is_refused() -> None:
    record = given(started(), ended())

    assert decide(end(), record, school=SCHOOL) == []
    with pytest.raises(Conflict):
        decide(end(outcome=RiseOutcome.NOT_IMPROVED), record, school=SCHOOL)


def test_nothing_changes_on_an_engagement_that_has_ended() -> None:
    plan = RecordRisePlan(urn=URN, engagement_id="rise-1", plan="late", recorded_by="x", recorded_on=TODAY)

    with pytest.raises(RuleViolation) as refused:
        decide(plan, given(started(), ended()), school=SCHOOL)

    assert refused.value.field == "engagement_id"


def test_one_engagement_at_a_time() -> None:
    with pytest.raises(RuleViolation) as refused:
        decide(start(engagement_id="rise-2", started_on=date(2026, 6, 1)), given(started()), school=SCHOOL)

    assert refused.value.field == "engagement_id"


def test_a_new_engagement_starts_after_the_last_ended() -> None:
    record = given(started(), ended())

    with pytest.raises(InvalidInput) as refused:
        decide(start(engagement_id="rise-2", started_on=date(2026, 10, 1)), record, school=SCHOOL)
    events = decide(start(engagement_id="rise-2", started_on=date(2026, 11, 2)), record, school=SCHOOL)

    assert refused.value.field == "started_on"
    assert [e.engagement_id for e in events] == ["rise-2"]


@pytest.mark.parametrize(
    ("command", "error", "field"),
    [
        (start(planned_end_on=STARTED), InvalidInput, "planned_end_on"),
        (start(planned_end_on=date(2030, 1, 12)), InvalidInput, "planned_end_on"),
        (start(started_on=date(2026, 11, 3)), InvalidInput, "started_on"),
        (start(started_on=date(1970, 1, 5)), SchoolNotOpen, "started_on"),
        (start(adviser="  "), InvalidInput, "adviser"),
        (start(amount_pence=-1), InvalidInput, "amount_pence"),
        (start(plan=" "), InvalidInput, "plan"),
    ],
)
def test_a_start_that_cannot_be_right_is_refused(
    command: StartRiseEngagement, error: type, field: str
) -> None:
    with pytest.raises(error) as refused:
        decide(command, NO_RISE, school=SCHOOL)

    assert refused.value.field == field


def test_an_engagement_not_recorded_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        decide(end(engagement_id="rise-9"), given(started()), school=SCHOOL)

    assert refused.value.field == "engagement_id"


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(end(ended_on=date(2025, 12, 1)), given(started()), school=SCHOOL)

    assert refused.value.field == "ended_on"


def test_an_engagement_is_with_a_registered_school() -> None:
    with pytest.raises(NotFound):
        decide(start(urn="999999"), NO_RISE, school=SCHOOL)
