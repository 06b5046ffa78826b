"""CSV downloads of the tracking sheet and reports: money in pounds from integer pence."""

from datetime import date

import pytest

from pp_builders import FY
from pp_scenario import autumn_2024
from pupil_premium.domain.reports.csv_export import to_csv
from pupil_premium.domain.reports.finance import SpendLine, quarterly_finance_report
from pupil_premium.domain.budget_state import every_request
from pupil_premium.domain.reports.tracking import TrackingLine, weekly_tracking


def test_the_weekly_tracking_sheet_downloads_as_csv():
    week = weekly_tracking(every_request(autumn_2024()), week_starting=date(2024, 10, 14))
    rows = to_csv(week.lines).splitlines()
    assert rows[0] == (
        "request_id,child_id,school_urn,term,intervention_type,status,amount_requested_pounds,"
        "amount_approved_pounds,requested_on,decided_on,paid_on,days_open"
    )
    assert (
        rows[1] == "R2,C2,123456,autumn-2024,mentoring,paid,600.00,400.00,2024-09-25,2024-10-08,2024-10-16,"
    )
    assert rows[2] == "R4,C4,654321,autumn-2024,tutoring,submitted,650.00,0.00,2024-10-09,,,11"


def test_the_quarterly_spend_by_school_downloads_as_csv():
    report = quarterly_finance_report(autumn_2024(), financial_year=FY, quarter=3)
    assert to_csv(report.by_school).splitlines() == [
        "key,approved_in_quarter_pounds,paid_in_quarter_pounds,approved_to_date_pounds,paid_to_date_pounds,"
        "children_funded_to_date",
        "123456,900.00,3400.00,3400.00,3400.00,3",
    ]


def test_an_empty_download_still_has_its_header():
    assert to_csv([], SpendLine).startswith("key,approved_in_quarter_pounds,")
    assert to_csv([], TrackingLine).count("\r\n") == 1
    with pytest.raises(ValueError):
        to_csv([])


def test_text_that_would_start_a_formula_is_defused_while_money_stays_a_number():
    """A key is text (a child's id when the impact report is by child); money is the service's
    own figure, so even a negative amount stays a number in the spreadsheet."""
    line = SpendLine(
        key="@SUM(1)",
        approved_in_quarter_pence=-1250,
        paid_in_quarter_pence=0,
        approved_to_date_pence=150,
        paid_to_date_pence=0,
        children_funded_to_date=-1,
    )
    assert to_csv([line]).splitlines()[1] == "'@SUM(1),-12.50,0.00,1.50,0.00,-1"
