"""The quarterly finance monitoring report (seed 002: "Finance monitoring - quarterly")."""

from datetime import date

import pytest

from pp_builders import FY, URN
from pp_scenario import autumn_2024
from pupil_premium.domain.reports.finance import SpendLine, quarterly_finance_report
from shared.errors import InvalidInput


def test_the_third_quarter_shows_its_movements_and_the_position_at_its_end():
    report = quarterly_finance_report(autumn_2024(), financial_year=FY, quarter=3)
    assert (report.period_start, report.period_end) == (date(2024, 10, 1), date(2024, 12, 31))
    assert (report.grant_pence, report.top_sliced_pence) == (1_000_000, 200_000)
    assert (report.approved_in_quarter_pence, report.paid_in_quarter_pence) == (90_000, 340_000)
    assert (report.approved_to_date_pence, report.paid_to_date_pence) == (340_000, 340_000)
    assert (report.committed_at_end_pence, report.remaining_at_end_pence) == (0, 460_000)
    assert (report.requests_received, report.requests_decided, report.requests_paid) == (2, 4, 2)
    assert report.median_days_to_payment == 19.5


def test_the_second_quarter_shows_the_project_committed_but_not_yet_paid():
    report = quarterly_finance_report(autumn_2024(), financial_year=FY, quarter=2)
    assert (report.approved_in_quarter_pence, report.paid_in_quarter_pence) == (250_000, 0)
    assert (report.committed_at_end_pence, report.remaining_at_end_pence) == (250_000, 550_000)
    assert report.requests_received == 3
    assert report.median_days_to_payment is None


def test_spend_is_broken_down_by_school():
    report = quarterly_finance_report(autumn_2024(), financial_year=FY, quarter=3)
    assert report.by_school == (
        SpendLine(
            key=URN,
            approved_in_quarter_pence=90_000,
            paid_in_quarter_pence=340_000,
            approved_to_date_pence=340_000,
            paid_to_date_pence=340_000,
            children_funded_to_date=3,  # C1, C2 and the project's cohort; C5's award was withdrawn
        ),
    )


def test_spend_is_broken_down_by_kind_of_support():
    report = quarterly_finance_report(autumn_2024(), financial_year=FY, quarter=3)
    assert [
        (line.key, line.approved_to_date_pence, line.paid_in_quarter_pence)
        for line in report.by_kind_of_support
    ] == [
        ("mentoring", 40_000, 40_000),
        ("school_project", 250_000, 250_000),
        ("tutoring", 50_000, 50_000),
    ]


def test_there_are_four_quarters():
    with pytest.raises(InvalidInput) as refusal:
        quarterly_finance_report(autumn_2024(), financial_year=FY, quarter=5)
    assert refusal.value.field == "quarter"
