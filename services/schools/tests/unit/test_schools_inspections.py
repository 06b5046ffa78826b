"""Recording Ofsted inspections and their publication, and the "stuck" flag (domain.md section 1;
seed 004 sections 4 and 7: "double satisfactory" schools)."""

from __future__ import annotations

from datetime import date
from functools import reduce

import pytest
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.frameworks import CategoryOfConcern, Framework, InspectionType
from schools.domain.inspection_policies import OFSTED_INSPECTIONS_BEGAN, StuckRule
from schools.domain.inspections import (
    NO_INSPECTIONS,
    InspectionHistory,
    InspectionRecorded,
    InspectionReportPublished,
    PublishInspectionReport,
    RecordInspection,
    SchoolIdentifiedAsStuck,
    decide,
    evolve,
)
from schools.domain.register import NO_SCHOOL, SchoolClosed, SchoolRegistered
from schools.domain.register import evolve as evolve_school

from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Event

TODAY = date(2013, 11, 15)

SCHOOL = evolve_school(
    NO_SCHOOL,
    SchoolRegistered(
        urn="118234",
        name="Oak Tree Primary School",
        la_code="886",
        establishment_type=EstablishmentType.COMMUNITY,
        phase=Phase.PRIMARY,
        opened_on=date(1975, 9, 1),
        status=SchoolStatus.OPEN,
        registered_on=date(2013, 1, 7),
    ),
)


def given(*events: Event) -> InspectionHistory:
    return reduce(evolve, events, NO_INSPECTIONS)


def inspect(**overrides: object) -> RecordInspection:
    values: dict[str, object] = {
        "urn": "118234",
        "inspection_id": "412345",
        "inspected_on": date(2013, 10, 2),
        "inspection_type": InspectionType.GRADED,
        "framework": Framework.SEPTEMBER_2012,
        "overall_effectiveness": "requires_improvement",
    }
    values.update(overrides)
    return RecordInspection(**values)


def recorded(**overrides: object) -> InspectionRecorded:
    (event, *_) = decide(inspect(**overrides), NO_INSPECTIONS, school=SCHOOL, today=TODAY)
    assert isinstance(event, InspectionRecorded)
    return event


def test_an_inspection_is_recorded_with_its_framework_judgements_and_headline() -> None:
    events = decide(inspect(), NO_INSPECTIONS, school=SCHOOL, today=TODAY)

    assert events == [
        InspectionRecorded(
            urn="118234",
            inspection_id="412345",
            inspected_on=date(2013, 10, 2),
            inspection_type=InspectionType.GRADED,
            framework=Framework.SEPTEMBER_2012,
            overall_effectiveness="requires_improvement",
            headline_judgement="requires_improvement",
            below_good=True,
            good_or_better=False,
        )
    ]
    assert events[0].effective_on() == date(2013, 10, 2)
    assert events[0].subjects() == ["school:118234"]


def test_a_category_of_concern_is_carried_on_the_inspection() -> None:
    event = recorded(
        overall_effectiveness="inadequate",
        category_of_concern=CategoryOfConcern.SERIOUS_WEAKNESSES,
    )

    assert event.category_of_concern == CategoryOfConcern.SERIOUS_WEAKNESSES
    assert event.below_good is True
    assert given(event).current_category_of_concern() == CategoryOfConcern.SERIOUS_WEAKNESSES


def test_an_inspection_cannot_be_dated_in_the_future() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(inspect(inspected_on=date(2013, 11, 16)), NO_INSPECTIONS, school=SCHOOL, today=TODAY)

    assert refused.value.field == "inspected_on"


def test_a_judgement_from_the_wrong_framework_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(
            inspect(overall_effectiveness="satisfactory"),
            NO_INSPECTIONS,
            school=SCHOOL,
            today=TODAY,
        )

    assert refused.value.field == "overall_effectiveness"


def test_an_inspection_of_an_unregistered_urn_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        decide(inspect(), NO_INSPECTIONS, school=NO_SCHOOL, today=TODAY)

    assert refused.value.field == "urn"


def test_an_inspection_of_a_malformed_urn_is_invalid() -> None:
    with pytest.raises(InvalidInput) as refused:
        decide(inspect(urn="1182"), NO_INSPECTIONS, school=SCHOOL, today=TODAY)

    assert refused.value.field == "urn"


def test_a_closed_school_is_not_inspected_after_it_closed() -> None:
    closed = evolve_school(
        SCHOOL,
        SchoolClosed(urn="118234", previous_status=SchoolStatus.OPEN, closed_on=date(2013, 8, 31)),
    )

    with pytest.raises(RuleViolation) as refused:
        decide(inspect(), NO_INSPECTIONS, school=closed, today=TODAY)

    assert refused.value.field == "inspected_on"


def test_the_same_inspection_is_recorded_once() -> None:
    history = given(recorded())

    with pytest.raises(Conflict) as refused:
        decide(inspect(), history, school=SCHOOL, today=TODAY)

    assert refused.value.field == "inspection_id"


def test_publishing_the_report_records_its_date() -> None:
    history = given(recorded())

    events = decide(
        PublishInspectionReport(urn="118234", inspection_id="412345", published_on=date(2013, 10, 30)),
        history,
        school=SCHOOL,
        today=TODAY,
    )

    assert events == [
        InspectionReportPublished(urn="118234", inspection_id="412345", published_on=date(2013, 10, 30))
    ]
    assert given(recorded(), *events).find("412345").published_on == date(2013, 10, 30)


def test_a_report_is_not_published_before_the_inspection() -> None:
    history = given(recorded())

    with pytest.raises(InvalidInput) as refused:
        decide(
            PublishInspectionReport(urn="118234", inspection_id="412345", published_on=date(2013, 9, 30)),
            history,
            school=SCHOOL,
            today=TODAY,
        )

    assert refused.value.field == "published_on"


def test_publishing_an_unknown_inspection_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        decide(
            PublishInspectionReport(urn="118234", inspection_id="999", published_on=TODAY),
            NO_INSPECTIONS,
            school=SCHOOL,
            today=TODAY,
        )

    assert refused.value.field == "inspection_id"


def test_publishing_twice_on_the_same_date_appends_nothing_and_on_another_conflicts() -> None:
    published = InspectionReportPublished(
        urn="118234", inspection_id="412345", published_on=date(2013, 10, 30)
    )
    history = given(recorded(), published)

    same = decide(
        PublishInspectionReport(urn="118234", inspection_id="412345", published_on=date(2013, 10, 30)),
        history,
        school=SCHOOL,
        today=TODAY,
    )
    with pytest.raises(Conflict) as refused:
        decide(
            PublishInspectionReport(urn="118234", inspection_id="412345", published_on=date(2013, 11, 1)),
            history,
            school=SCHOOL,
            today=TODAY,
        )

    assert same == []
    assert refused.value.field == "published_on"


# --- stuck schools --------------------------------------------------------------------------------


def satisfactory_in_2010() -> InspectionRecorded:
    return InspectionRecorded(
        urn="118234",
        inspection_id="300100",
        inspected_on=date(2010, 3, 3),
        inspection_type=InspectionType.GRADED,
        framework=Framework.UNTIL_AUGUST_2012,
        overall_effectiveness="satisfactory",
        headline_judgement="satisfactory",
        below_good=True,
    )


def test_two_consecutive_satisfactory_inspections_flag_the_school_as_stuck() -> None:
    history = given(satisfactory_in_2010())

    events = decide(
        inspect(
            inspection_id="380200",
            inspected_on=date(2012, 5, 9),
            framework=Framework.UNTIL_AUGUST_2012,
            overall_effectiveness="satisfactory",
        ),
        history,
        school=SCHOOL,
        today=TODAY,
    )

    assert events[1:] == [
        SchoolIdentifiedAsStuck(
            urn="118234",
            judgement="satisfactory",
            earlier_inspection_id="300100",
            earlier_inspected_on=date(2010, 3, 3),
            later_inspection_id="380200",
            later_inspected_on=date(2012, 5, 9),
            rule=StuckRule.SAME_JUDGEMENT_TWICE,
            rule_effective_from=OFSTED_INSPECTIONS_BEGAN,
        )
    ]
    assert events[1].effective_on() == date(2012, 5, 9)


def test_requires_improvement_after_satisfactory_is_still_stuck_at_grade_3() -> None:
    history = given(satisfactory_in_2010())

    events = decide(inspect(), history, school=SCHOOL, today=TODAY)

    assert [type(e) for e in events] == [InspectionRecorded, SchoolIdentifiedAsStuck]
    assert events[1].judgement == "requires_improvement"


def test_improving_to_good_is_not_stuck() -> None:
    history = given(satisfactory_in_2010())

    events = decide(inspect(overall_effectiveness="good"), history, school=SCHOOL, today=TODAY)

    assert [type(e) for e in events] == [InspectionRecorded]


def test_two_consecutive_good_inspections_are_not_stuck() -> None:
    good = satisfactory_in_2010().model_copy(
        update={"overall_effectiveness": "good", "headline_judgement": "good", "below_good": False}
    )

    events = decide(inspect(overall_effectiveness="good"), given(good), school=SCHOOL, today=TODAY)

    assert [type(e) for e in events] == [InspectionRecorded]


def test_a_different_sub_good_judgement_is_not_the_same_judgement() -> None:
    history = given(satisfactory_in_2010())

    events = decide(
        inspect(
            overall_effectiveness="inadequate",
            category_of_concern=CategoryOfConcern.SPECIAL_MEASURES,
        ),
        history,
        school=SCHOOL,
        today=TODAY,
    )

    assert [type(e) for e in events] == [InspectionRecorded]


def test_a_monitoring_inspection_in_between_does_not_break_the_run_of_graded_ones() -> None:
    monitoring = InspectionRecorded(
        urn="118234",
        inspection_id="350000",
        inspected_on=date(2011, 6, 1),
        inspection_type=InspectionType.MONITORING,
        framework=Framework.UNTIL_AUGUST_2012,
        below_good=False,
    )
    history = given(satisfactory_in_2010(), monitoring)

    events = decide(inspect(), history, school=SCHOOL, today=TODAY)

    assert events[1].earlier_inspection_id == "300100"


def test_an_older_inspection_recorded_late_is_compared_with_its_neighbours_in_date_order() -> None:
    requires_improvement_2013 = recorded()
    history = given(requires_improvement_2013)

    events = decide(
        inspect(
            inspection_id="300100",
            inspected_on=date(2010, 3, 3),
            framework=Framework.UNTIL_AUGUST_2012,
            overall_effectiveness="satisfactory",
        ),
        history,
        school=SCHOOL,
        today=TODAY,
    )

    assert events[1] == SchoolIdentifiedAsStuck(
        urn="118234",
        judgement="requires_improvement",
        earlier_inspection_id="300100",
        earlier_inspected_on=date(2010, 3, 3),
        later_inspection_id="412345",
        later_inspected_on=date(2013, 10, 2),
        rule=StuckRule.SAME_JUDGEMENT_TWICE,
        rule_effective_from=OFSTED_INSPECTIONS_BEGAN,
    )


def test_the_latest_graded_inspection_decides_the_current_category_of_concern() -> None:
    special_measures = recorded(
        inspection_id="400000",
        inspected_on=date(2013, 1, 10),
        overall_effectiveness="inadequate",
        category_of_concern=CategoryOfConcern.SPECIAL_MEASURES,
    )
    out_of_category = recorded(overall_effectiveness="requires_improvement")

    assert given(special_measures).current_category_of_concern() == (CategoryOfConcern.SPECIAL_MEASURES)
    assert given(special_measures, out_of_category).current_category_of_concern() is None
