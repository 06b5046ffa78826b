"""Published results, floor standards per year and the downward-trend flag (domain.md section 1;
seed 004 section 4: the 2011 Key Stage 2 floor and Medway's 2011 figures)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import reduce

import pytest
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.floor_standards import (
    DEFAULT_FLOOR_STANDARDS,
    KS2_2011,
    FloorRule,
    FloorStandards,
    KeyStage,
    Threshold,
)
from schools.domain.performance import (
    NO_RESULTS,
    DownwardTrendIdentified,
    PerformanceRecord,
    RecordResults,
    ResultsRecorded,
    SchoolAboveFloor,
    SchoolBelowFloor,
    decide,
    evolve,
)
from schools.domain.register import NO_SCHOOL, SchoolRegistered
from schools.domain.register import evolve as evolve_school

from shared.errors import InvalidInput, NotFound
from shared.events import Event

TODAY = date(2013, 12, 12)

SCHOOL = evolve_school(
    NO_SCHOOL,
    SchoolRegistered(
        urn="118234",
        name="Oak Tree Primary School",
        la_code="887",
        establishment_type=EstablishmentType.COMMUNITY,
        phase=Phase.PRIMARY,
        status=SchoolStatus.OPEN,
        registered_on=date(2011, 1, 7),
    ),
)

FLOOR_2011 = {
    "pct_level4_english_and_maths": Decimal(60),
    "pct_expected_progress_english": Decimal(87),
    "pct_expected_progress_maths": Decimal(86),
}


def given(*events: Event) -> PerformanceRecord:
    return reduce(evolve, events, NO_RESULTS)


def ks2(year: int, attainment: str, english: str = "80", maths: str = "80") -> RecordResults:
    return RecordResults(
        urn="118234",
        year=year,
        key_stage=KeyStage.KS2,
        measures={
            "pct_level4_english_and_maths": Decimal(attainment),
            "pct_expected_progress_english": Decimal(english),
            "pct_expected_progress_maths": Decimal(maths),
        },
        published_on=date(year, 12, 8),
    )


def when(
    command: RecordResults,
    record: PerformanceRecord = NO_RESULTS,
    standards: FloorStandards = DEFAULT_FLOOR_STANDARDS,
) -> list[Event]:
    return decide(command, record, school=SCHOOL, floor_standards=standards, today=TODAY)


def history(
    *commands: RecordResults, standards: FloorStandards = DEFAULT_FLOOR_STANDARDS
) -> PerformanceRecord:
    record = NO_RESULTS
    for command in commands:
        record = reduce(evolve, when(command, record, standards), record)
    return record


def test_below_60_percent_and_below_median_progress_in_both_subjects_is_below_floor() -> None:
    events = when(ks2(2011, "55", english="82", maths="77"))

    assert events == [
        ResultsRecorded(
            urn="118234",
            year=2011,
            key_stage=KeyStage.KS2,
            measures={
                "pct_level4_english_and_maths": Decimal(55),
                "pct_expected_progress_english": Decimal(82),
                "pct_expected_progress_maths": Decimal(77),
            },
            published_on=date(2011, 12, 8),
        ),
        SchoolBelowFloor(
            urn="118234",
            year=2011,
            key_stage=KeyStage.KS2,
            results={
                "pct_level4_english_and_maths": Decimal(55),
                "pct_expected_progress_english": Decimal(82),
                "pct_expected_progress_maths": Decimal(77),
            },
            floor=FLOOR_2011,
            published_on=date(2011, 12, 8),
        ),
    ]


def test_below_60_percent_but_at_median_progress_in_english_is_above_floor() -> None:
    """Medway 2011: 16 schools below 60%, only 11 below floor, five making median progress in
    English and/or maths."""
    events = when(ks2(2011, "55", english="87", maths="70"))

    assert [type(e) for e in events] == [ResultsRecorded, SchoolAboveFloor]


def test_at_60_percent_the_school_is_not_below_floor_whatever_its_progress() -> None:
    events = when(ks2(2011, "60", english="50", maths="50"))

    assert isinstance(events[1], SchoolAboveFloor)


def test_a_year_with_no_floor_rule_records_results_without_a_floor_flag() -> None:
    events = when(ks2(2010, "40", english="50", maths="50"))

    assert [type(e) for e in events] == [ResultsRecorded]


def test_the_rule_for_a_year_names_the_measures_it_needs() -> None:
    incomplete = RecordResults(
        urn="118234",
        year=2011,
        key_stage=KeyStage.KS2,
        measures={"pct_level4_english_and_maths": Decimal(55)},
        published_on=date(2011, 12, 8),
    )

    with pytest.raises(InvalidInput) as refused:
        when(incomplete)

    assert refused.value.field == "measures.pct_expected_progress_english"


def test_each_year_has_its_own_rule_configured_as_data() -> None:
    ks2_2016 = FloorRule(
        year=2016,
        key_stage=KeyStage.KS2,
        attainment=Threshold("pct_expected_standard_rwm", Decimal(65)),
        progress=(
            Threshold("progress_reading", Decimal(-5)),
            Threshold("progress_writing", Decimal(-7)),
            Threshold("progress_maths", Decimal(-5)),
        ),
        progress_short_on="any",
        source="2016 KS2 floor standard",
    )
    standards = FloorStandards(rules=(KS2_2011, ks2_2016))
    results = RecordResults(
        urn="118234",
        year=2016,
        key_stage=KeyStage.KS2,
        measures={
            "pct_expected_standard_rwm": Decimal(50),
            "progress_reading": Decimal("1.2"),
            "progress_writing": Decimal("-7.5"),
            "progress_maths": Decimal("0.3"),
        },
        published_on=date(2016, 12, 15),
    )

    events = decide(results, NO_RESULTS, school=SCHOOL, floor_standards=standards, today=date(2017, 1, 5))

    assert isinstance(events[1], SchoolBelowFloor)
    assert events[1].floor == {
        "pct_expected_standard_rwm": Decimal(65),
        "progress_reading": Decimal(-5),
        "progress_writing": Decimal(-7),
        "progress_maths": Decimal(-5),
    }


def test_recording_the_same_results_again_appends_nothing() -> None:
    record = history(ks2(2011, "55", english="82", maths="77"))

    assert when(ks2(2011, "55", english="82", maths="77"), record) == []


def test_corrected_results_that_lift_the_school_over_the_floor_say_so() -> None:
    record = history(ks2(2011, "58", english="82", maths="77"))

    events = when(ks2(2011, "61", english="82", maths="77"), record)

    assert [type(e) for e in events] == [ResultsRecorded, SchoolAboveFloor]
    assert events[0].previous_measures["pct_level4_english_and_maths"] == Decimal(58)
    assert evolve(record, events[1]).latest_floor_outcome(KeyStage.KS2) == (2011, False)


def test_corrected_results_with_the_same_outcome_add_no_floor_event() -> None:
    record = history(ks2(2011, "58", english="82", maths="77"))

    events = when(ks2(2011, "57", english="82", maths="77"), record)

    assert [type(e) for e in events] == [ResultsRecorded]


def test_three_years_of_decline_in_the_headline_measure_is_a_downward_trend() -> None:
    record = history(ks2(2009, "72"), ks2(2010, "66"))

    events = when(ks2(2011, "61"), record)

    assert events[-1] == DownwardTrendIdentified(
        urn="118234",
        key_stage=KeyStage.KS2,
        measure="pct_level4_english_and_maths",
        years=[2009, 2010, 2011],
        values=[Decimal(72), Decimal(66), Decimal(61)],
        published_on=date(2011, 12, 8),
    )


def test_a_year_that_held_steady_breaks_the_trend() -> None:
    record = history(ks2(2009, "72"), ks2(2010, "66"))

    events = when(ks2(2011, "66"), record)

    assert not any(isinstance(e, DownwardTrendIdentified) for e in events)


def test_a_missing_year_means_no_trend() -> None:
    record = history(ks2(2008, "80"), ks2(2010, "66"))

    events = when(ks2(2011, "61"), record)

    assert not any(isinstance(e, DownwardTrendIdentified) for e in events)


def test_an_earlier_year_recorded_late_completes_a_trend() -> None:
    record = history(ks2(2011, "61"), ks2(2010, "66"))

    events = when(ks2(2009, "72"), record)

    assert events[-1].years == [2009, 2010, 2011]


def test_a_trend_is_flagged_once() -> None:
    record = history(ks2(2009, "72"), ks2(2010, "66"), ks2(2011, "61"))

    events = when(ks2(2011, "60", english="90"), record)

    assert not any(isinstance(e, DownwardTrendIdentified) for e in events)


def test_results_cannot_be_published_in_the_future_or_before_the_tests() -> None:
    future = ks2(2013, "70").model_copy(update={"published_on": date(2013, 12, 20)})
    early = ks2(2013, "70").model_copy(update={"published_on": date(2012, 12, 20)})

    with pytest.raises(InvalidInput) as in_future:
        when(future)
    with pytest.raises(InvalidInput) as too_early:
        when(early)

    assert in_future.value.field == "published_on"
    assert too_early.value.field == "published_on"


def test_a_percentage_above_100_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        when(ks2(2011, "101"))

    assert refused.value.field == "measures.pct_level4_english_and_maths"


def test_results_for_an_unregistered_school_are_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        decide(
            ks2(2011, "70"),
            NO_RESULTS,
            school=NO_SCHOOL,
            floor_standards=DEFAULT_FLOOR_STANDARDS,
            today=TODAY,
        )

    assert refused.value.field == "urn"
