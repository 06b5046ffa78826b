"""The schools events as a public contract: every one is in the catalogue, survives the trip
through JSON unchanged, names the schools it concerns and the date it took effect."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from schools.domain.catalogue import SCHOOLS_EVENT_TYPES, schools_catalogue
from schools.domain.categorisation import (
    CategoryProposalRejected,
    CategoryProposed,
    CouncilCategory,
    SchoolCategorised,
)
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.floor_standards import KeyStage
from schools.domain.frameworks import CategoryOfConcern, Framework, InspectionType
from schools.domain.inspections import (
    InspectionRecorded,
    InspectionReportPublished,
    SchoolIdentifiedAsStuck,
)
from schools.domain.performance import (
    DownwardTrendIdentified,
    ResultsRecorded,
    SchoolAboveFloor,
    SchoolBelowFloor,
)
from schools.domain.known_schools import KNOWN_SCHOOL_EVENTS, KnownSchoolChanged, KnownSchoolRecorded
from schools.domain.register import (
    LinkRelation,
    SchoolClosed,
    SchoolConvertedToAcademy,
    SchoolDetailsChanged,
    SchoolLinked,
    SchoolRegistered,
    SchoolStatusChanged,
)
from schools.domain.reviews import (
    ProgressReviewCancelled,
    ProgressReviewHeld,
    ProgressReviewScheduled,
    ReviewFrequency,
    ReviewOutcome,
)
from schools.domain.rise import (
    RiseEngagementEnded,
    RiseEngagementStarted,
    RiseFundingRecorded,
    RiseImprovementPlanRecorded,
    RiseOutcome,
)
from schools.domain.support import AdviserVisitLogged, SupportAllocated, SupportIncreased
from schools.domain.terms import academic_year_label, academic_year_of

from shared.events import Event

D = date(2013, 10, 2)
DETAILS = {
    "name": "St Joseph's Catholic Primary School",
    "la_code": "886",
    "la_name": "Kent",
    "establishment_type": EstablishmentType.VOLUNTARY_AIDED,
    "phase": Phase.PRIMARY,
    "religious_character": "Roman Catholic",
    "diocese": "Archdiocese of Southwark",
    "opened_on": date(1960, 9, 1),
}

SAMPLES: list[Event] = [
    SchoolRegistered(urn="118234", **DETAILS, status=SchoolStatus.OPEN, registered_on=D),
    SchoolDetailsChanged(
        urn="118234",
        **DETAILS,
        headteacher="Mr B Singh",
        changed_fields=["headteacher"],
        changed_on=D,
    ),
    SchoolStatusChanged(
        urn="118234",
        status=SchoolStatus.PROPOSED_TO_CLOSE,
        previous_status=SchoolStatus.OPEN,
        changed_on=D,
    ),
    SchoolClosed(urn="118234", previous_status=SchoolStatus.OPEN, closed_on=D),
    SchoolConvertedToAcademy(
        urn="118234",
        academy_urn="139876",
        academy_name="St Joseph's Academy",
        academy_type=EstablishmentType.ACADEMY_CONVERTER,
        converted_on=D,
    ),
    SchoolLinked(
        urn="118234",
        linked_urn="139876",
        relation=LinkRelation.SUCCESSOR,
        link_type="Successor",
        linked_name="St Joseph's Academy",
        linked_on=D,
        recorded_on=D,
    ),
    InspectionRecorded(
        urn="118234",
        inspection_id="412345",
        inspected_on=D,
        inspection_type=InspectionType.GRADED,
        framework=Framework.SEPTEMBER_2012,
        overall_effectiveness="inadequate",
        category_of_concern=CategoryOfConcern.SPECIAL_MEASURES,
        headline_judgement="inadequate",
        below_good=True,
    ),
    InspectionReportPublished(urn="118234", inspection_id="412345", published_on=D),
    SchoolIdentifiedAsStuck(
        urn="118234",
        judgement="satisfactory",
        earlier_inspection_id="300100",
        earlier_inspected_on=date(2010, 3, 3),
        later_inspection_id="380200",
        later_inspected_on=D,
    ),
    CategoryProposed(
        urn="118234",
        proposal_id="P1",
        category=CouncilCategory.OFSTED_CATEGORY,
        reasons=["special measures"],
        proposed_by="sia.khan",
        proposed_on=D,
        review_cycle="2013-14 term 1",
    ),
    SchoolCategorised(
        urn="118234",
        proposal_id="P1",
        category=CouncilCategory.OFSTED_CATEGORY,
        reasons=["special measures"],
        proposed_by="sia.khan",
        proposed_on=D,
        approved_by="pa.morgan",
        categorised_on=D,
        review_cycle="2013-14 term 1",
    ),
    CategoryProposalRejected(
        urn="118234", proposal_id="P2", rejected_by="pa.morgan", rejected_on=D, reason="wait"
    ),
    SupportAllocated(
        urn="118234",
        academic_year=2013,
        days=Decimal(20),
        category=CouncilCategory.OFSTED_CATEGORY,
        academy=False,
        offer_effective_from=date(2013, 9, 1),
        allocated_on=D,
    ),
    SupportIncreased(
        urn="118234",
        academic_year=2013,
        extra_days=Decimal("1.5"),
        reason="inspection due",
        increased_by="pa.morgan",
        increased_on=D,
    ),
    AdviserVisitLogged(
        urn="118234",
        visit_id="V1",
        academic_year=2013,
        visited_on=D,
        adviser="sia.khan",
        days=Decimal("0.5"),
        purpose="data review",
    ),
    ResultsRecorded(
        urn="118234",
        year=2013,
        key_stage=KeyStage.KS2,
        measures={"pct_level4_english_and_maths": Decimal("58.5")},
        published_on=D,
    ),
    SchoolBelowFloor(
        urn="118234",
        year=2011,
        key_stage=KeyStage.KS2,
        results={"pct_level4_english_and_maths": Decimal(55)},
        floor={"pct_level4_english_and_maths": Decimal(60)},
        published_on=D,
    ),
    SchoolAboveFloor(
        urn="118234",
        year=2012,
        key_stage=KeyStage.KS2,
        results={"pct_level4_english_and_maths": Decimal(65)},
        floor={"pct_level4_english_and_maths": Decimal(60)},
        published_on=D,
    ),
    DownwardTrendIdentified(
        urn="118234",
        key_stage=KeyStage.KS2,
        measure="pct_level4_english_and_maths",
        years=[2009, 2010, 2011],
        values=[Decimal(72), Decimal(66), Decimal(61)],
        published_on=D,
    ),
    ProgressReviewScheduled(
        urn="118234",
        review_id="R1",
        frequency=ReviewFrequency.SIX_WEEKLY,
        category=CouncilCategory.OFSTED_CATEGORY,
        due_on=D,
        required_by=D,
        scheduled_on=date(2013, 8, 21),
    ),
    ProgressReviewHeld(
        urn="118234",
        review_id="R1",
        held_on=D,
        due_on=D,
        outcome=ReviewOutcome.GOOD_PROGRESS,
        summary="on track",
        recorded_by="sia.khan",
    ),
    ProgressReviewCancelled(urn="118234", review_id="R2", cancelled_on=D, reason="closed"),
    RiseEngagementStarted(
        urn="118234",
        engagement_id="rise-1",
        adviser="Dr R Adeyemi",
        started_on=D,
        planned_end_on=date(2015, 4, 2),
        recorded_by="sia.khan",
    ),
    RiseImprovementPlanRecorded(
        urn="118234", engagement_id="rise-1", plan="SE-2013-0142", recorded_by="sia.khan", recorded_on=D
    ),
    RiseFundingRecorded(
        urn="118234", engagement_id="rise-1", amount_pence=4500000, recorded_by="sia.khan", recorded_on=D
    ),
    RiseEngagementEnded(
        urn="118234",
        engagement_id="rise-1",
        ended_on=D,
        outcome=RiseOutcome.IMPROVED,
        summary="good at the next inspection",
        recorded_by="sia.khan",
    ),
]


KNOWN = {
    "name": "Étoile Primary School",
    "la_code": "202",
    "la_name": "Camden",
    "establishment_type": EstablishmentType.ACADEMY_CONVERTER,
    "phase": Phase.PRIMARY,
    "status": SchoolStatus.OPEN,
    "opened_on": date(2012, 9, 1),
    "trust_name": "North London Learning Trust",
    "headteacher": "Ms C O’Neill",
}
KNOWN_SAMPLES: list[Event] = [
    KnownSchoolRecorded(urn="118234", **KNOWN, recorded_on=D),
    KnownSchoolChanged(urn="118234", **{**KNOWN, "headteacher": None}, changed_fields=["headteacher"], changed_on=D),
]


def test_every_event_the_service_writes_is_in_its_catalogue_once() -> None:
    catalogue = schools_catalogue()
    names = [cls.event_type for cls in (*SCHOOLS_EVENT_TYPES, *KNOWN_SCHOOL_EVENTS)]

    assert len(names) == len(set(names))
    assert {type(e) for e in SAMPLES} == set(SCHOOLS_EVENT_TYPES)
    assert {type(e) for e in KNOWN_SAMPLES} == set(KNOWN_SCHOOL_EVENTS)
    assert all(catalogue.knows(name) for name in names)


def test_known_schools_are_kept_out_of_what_the_councils_own_read_models_follow() -> None:
    # The profiles (the council's list of schools and its dashboard) follow SCHOOLS_EVENT_TYPES.
    assert not set(KNOWN_SCHOOL_EVENTS) & set(SCHOOLS_EVENT_TYPES)


@pytest.mark.parametrize("event", SAMPLES + KNOWN_SAMPLES, ids=lambda e: type(e).__name__)
def test_an_event_survives_storage_as_json_unchanged(event: Event) -> None:
    stored = json.loads(json.dumps(event.to_data()))

    decoded = schools_catalogue().decode(event.event_type, event.schema_version, stored)

    assert decoded == event


@pytest.mark.parametrize("event", SAMPLES + KNOWN_SAMPLES, ids=lambda e: type(e).__name__)
def test_every_event_concerns_its_school_and_has_the_date_it_took_effect(event: Event) -> None:
    assert "school:118234" in event.subjects()
    assert isinstance(event.effective_on(), date)


def test_the_register_events_tell_notices_whether_the_school_is_maintained_and_its_diocese() -> None:
    registered = SAMPLES[0].to_data()

    assert registered["establishment_type"] == "voluntary_aided"
    assert registered["religious_character"] == "Roman Catholic"
    assert registered["diocese"] == "Archdiocese of Southwark"
    assert registered["la_code"] == "886"
    assert registered["status"] == "open"
    assert registered["maintained"] is True
    assert registered["has_foundation_governors"] is True


@pytest.mark.parametrize(
    ("day", "year", "label"),
    [
        (date(2013, 9, 1), 2013, "2013-14"),
        (date(2014, 8, 31), 2013, "2013-14"),
        (date(1999, 12, 1), 1999, "1999-00"),
    ],
)
def test_the_academic_year_runs_september_to_august(day: date, year: int, label: str) -> None:
    assert academic_year_of(day) == year
    assert academic_year_label(year) == label


def sample_of(event_type: str):
    [sample] = [event for event in SAMPLES if event.event_type == event_type]
    return sample


def test_an_inspection_stored_before_the_concern_policy_reads_as_judged_by_the_fixed_vocabulary() -> None:
    stored_v1 = {
        key: value
        for key, value in json.loads(json.dumps(sample_of("InspectionRecorded").to_data())).items()
        if key not in {"good_or_better", "concern_policy_from"}
    }

    decoded = schools_catalogue().decode("InspectionRecorded", 1, stored_v1)

    assert isinstance(decoded, InspectionRecorded)
    assert decoded.below_good is True
    assert decoded.good_or_better is False
    assert decoded.concern_policy_from is None


def test_a_stuck_flag_stored_before_the_rules_were_configurable_was_the_same_judgement_twice() -> None:
    stored_v1 = {
        key: value
        for key, value in json.loads(json.dumps(sample_of("SchoolIdentifiedAsStuck").to_data())).items()
        if key not in {"rule", "rule_effective_from"}
    }

    decoded = schools_catalogue().decode("SchoolIdentifiedAsStuck", 1, stored_v1)

    assert isinstance(decoded, SchoolIdentifiedAsStuck)
    assert decoded.rule == "same_judgement_twice"
