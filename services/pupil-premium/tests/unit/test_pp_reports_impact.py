"""The impact report: spend evaluated against outcomes per child, school and kind of support
(seed 002: "Evaluation of PP+ spend identifies impact of spend against outcomes for pupils")."""

import pytest

from pp_builders import URN
from pp_scenario import autumn_2024
from pupil_premium.domain.reports.impact import ImpactLine, impact_report


def test_impact_by_child():
    assert impact_report(autumn_2024(), by="child") == [
        ImpactLine(
            key="C1",
            requests_funded=1,
            spend_pence=50_000,
            requests_evaluated=1,
            spend_evaluated_pence=50_000,
            awaiting_review=0,
            targets_achieved=1,
            targets_on_track=0,
            targets_behind=1,
            targets_not_achieved=0,
            targets_not_reported=0,
            achieved_percent=50,
            on_track_or_achieved_percent=50,
            spend_per_target_achieved_pence=50_000,
        ),
        ImpactLine(
            key="C2",
            requests_funded=1,
            spend_pence=40_000,
            requests_evaluated=0,
            spend_evaluated_pence=0,
            awaiting_review=1,
            targets_achieved=0,
            targets_on_track=0,
            targets_behind=0,
            targets_not_achieved=0,
            targets_not_reported=0,
            achieved_percent=None,
            on_track_or_achieved_percent=None,
            spend_per_target_achieved_pence=None,
        ),
    ]


def test_impact_by_school_counts_only_funded_requests():
    (line,) = impact_report(autumn_2024(), by="school")
    assert line.key == URN
    assert (line.requests_funded, line.spend_pence, line.requests_evaluated, line.awaiting_review) == (
        2,
        90_000,
        1,
        1,
    )


def test_impact_by_kind_of_support():
    lines = {line.key: line for line in impact_report(autumn_2024(), by="intervention_type")}
    assert sorted(lines) == ["mentoring", "tutoring"]
    assert lines["tutoring"].achieved_percent == 50
    assert lines["mentoring"].awaiting_review == 1


def test_impact_is_reported_only_by_child_school_or_kind_of_support():
    with pytest.raises(ValueError):
        impact_report(autumn_2024(), by="carer")
