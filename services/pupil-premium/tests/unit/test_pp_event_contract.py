"""The events are the service's public contract: named in the past tense, stored and read back whole,
with the children and schools they concern and the date they took effect."""

from datetime import date

import pytest

from pp_builders import FY, PANEL, URN, line, requested
from pp_scenario import A1, autumn_2024
from pupil_premium.domain.council_config import (
    CappedTermlyRequestsTerms,
    DevolutionPolicyAdopted,
    PupilPremiumRateSet,
    PupilPremiumTermDatesSet,
    TermDates,
)
from pupil_premium.domain.events import (
    PUPIL_PREMIUM_EVENT_TYPES,
    PUPIL_PREMIUM_EVENTS,
    GrantCalculatedFromCensus,
    PaymentRunCancelled,
    ProjectMilestoneMet,
    PupilPremiumPlusRequested,
    SchoolProjectRefused,
    TopSliceAmended,
)
from pupil_premium.domain.pep_events import PEP_EVENT_TYPES

EVENTS = [
    *autumn_2024(),
    GrantCalculatedFromCensus(
        financial_year=FY,
        census_date=date(2024, 3, 31),
        looked_after_children=389,
        rate_pence=257_000,
        grant_pence=99_973_000,
        recorded_on=date(2024, 5, 1),
    ),
    TopSliceAmended(
        financial_year=FY,
        top_slice_id="TS1",
        name="Tutoring",
        previous_amount_pence=200_000,
        amount_pence=150_000,
        reason="Contract price",
        amended_on=date(2024, 11, 1),
        decided_by="VSH",
    ),
    SchoolProjectRefused(
        financial_year=FY,
        project_id="P2",
        school_urn=URN,
        reasons=("No plan",),
        panel_members=PANEL,
        decided_on=date(2024, 11, 1),
    ),
    ProjectMilestoneMet(
        financial_year=FY,
        project_id="P1",
        school_urn=URN,
        milestone_id="M1",
        description="Mentor trained",
        due_on=date(2024, 11, 1),
        met_on=date(2024, 10, 30),
        evidence="Certificate",
    ),
    PaymentRunCancelled(
        financial_year=FY,
        run_id="RUN3",
        payments=(line(A1),),
        total_pence=50_000,
        reason="Rejected by the finance system",
        cancelled_on=date(2024, 11, 1),
    ),
    PupilPremiumRateSet(
        financial_year="2026-27",
        rate_pence=270_000,
        previous_rate_pence=None,
        set_on=date(2026, 4, 2),
        set_by="Virtual School Head",
    ),
    DevolutionPolicyAdopted(
        effective_from=date(2026, 9, 1),
        policy=CappedTermlyRequestsTerms(termly_cap_pence=70_000),
        description="requests against PEP targets of up to 700.00 pounds a term",
        adopted_on=date(2026, 7, 1),
        adopted_by="Virtual School Head",
    ),
    PupilPremiumTermDatesSet(
        academic_year=2026,
        terms=(
            TermDates(term="autumn-2026", starts_on=date(2026, 9, 3), ends_on=date(2026, 12, 18)),
            TermDates(term="spring-2027", starts_on=date(2027, 1, 5), ends_on=date(2027, 3, 26)),
            TermDates(term="summer-2027", starts_on=date(2027, 4, 12), ends_on=date(2027, 7, 21)),
        ),
        set_on=date(2026, 6, 1),
        set_by="Virtual School Head",
    ),
]


def test_the_catalogue_lists_every_event_type_once_under_its_class_name():
    names = [cls.event_type for cls in PUPIL_PREMIUM_EVENT_TYPES]
    assert names == [cls.__name__ for cls in PUPIL_PREMIUM_EVENT_TYPES]
    assert len(set(names)) == len(names)
    assert all(PUPIL_PREMIUM_EVENTS.knows(name) for name in names)


def test_the_service_writes_none_of_the_pep_services_event_types():
    assert not {cls.event_type for cls in PEP_EVENT_TYPES} & {
        cls.event_type for cls in PUPIL_PREMIUM_EVENT_TYPES
    }


@pytest.mark.parametrize("event", EVENTS, ids=lambda event: type(event).__name__)
def test_every_event_reads_back_exactly_as_it_was_stored(event):
    stored = event.to_data()
    assert PUPIL_PREMIUM_EVENTS.decode(event.event_type, event.schema_version, stored) == event
    assert isinstance(event.effective_on(), date)


def test_every_event_type_is_checked_here():
    assert {type(event) for event in EVENTS} == set(PUPIL_PREMIUM_EVENT_TYPES)


def test_a_request_concerns_the_child_and_the_school():
    assert requested("R1", child_id="C7", urn="100001").subjects() == ["child:C7", "school:100001"]


def test_money_in_an_event_is_whole_pence():
    data = requested("R1").to_data()
    assert data["amount_pence"] == 50_000
    with pytest.raises(ValueError):
        PupilPremiumPlusRequested.model_validate({**data, "amount_pence": 500.5})


def test_an_event_cannot_be_changed_once_made():
    event = requested("R1")
    with pytest.raises(ValueError):
        event.amount_pence = 1
