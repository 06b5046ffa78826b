"""Financial years (April to March), their quarters, and council term dates (domain.md section 5)."""

from datetime import date

import pytest

from pupil_premium.domain.financial_year import FinancialYear, budget_stream_id
from pupil_premium.domain.terms import Term, TermCalendar, standard_term_dates
from shared.errors import InvalidInput


def test_the_financial_year_turns_on_the_first_of_april():
    assert FinancialYear.containing(date(2025, 3, 31)).label == "2024-25"
    assert FinancialYear.containing(date(2025, 4, 1)).label == "2025-26"


def test_a_financial_year_runs_from_april_to_march():
    year = FinancialYear.parse("2024-25")
    assert (year.first_day, year.last_day) == (date(2024, 4, 1), date(2025, 3, 31))
    assert FinancialYear.parse("1999-00").last_day == date(2000, 3, 31)


@pytest.mark.parametrize(
    ("number", "first", "last"),
    [
        (1, date(2024, 4, 1), date(2024, 6, 30)),
        (2, date(2024, 7, 1), date(2024, 9, 30)),
        (3, date(2024, 10, 1), date(2024, 12, 31)),
        (4, date(2025, 1, 1), date(2025, 3, 31)),
    ],
)
def test_quarters_of_the_financial_year(number, first, last):
    quarter = FinancialYear.parse("2024-25").quarter(number)
    assert (quarter.first_day, quarter.last_day) == (first, last)
    assert quarter.label == f"2024-25 Q{number}"


def test_there_is_no_fifth_quarter():
    with pytest.raises(InvalidInput) as refused:
        FinancialYear.parse("2024-25").quarter(5)
    assert refused.value.field == "quarter"


def test_each_financial_year_has_its_own_budget_stream():
    assert budget_stream_id("2024-25") == "ppbudget-2024-25"
    assert budget_stream_id(FinancialYear(2025)) == "ppbudget-2025-26"


def test_a_term_belongs_to_the_financial_year_in_which_it_starts():
    terms = standard_term_dates(2024, 2024)
    assert [t.key for t in terms.in_financial_year(FinancialYear(2024))] == ["autumn-2024", "spring-2025"]
    assert terms.get("summer-2025").financial_year.label == "2025-26"


def test_during_a_holiday_the_term_is_the_last_one_to_have_started():
    terms = TermCalendar(
        [
            Term("summer-2024", date(2024, 4, 15), date(2024, 7, 19)),
            Term("autumn-2024", date(2024, 9, 3), date(2024, 12, 20)),
        ]
    )
    assert terms.term_on(date(2024, 8, 10)).key == "summer-2024"
    assert terms.term_on(date(2024, 9, 3)).key == "autumn-2024"
    assert terms.term_on(date(2024, 4, 1)) is None
    assert terms.previous(terms.get("autumn-2024")).key == "summer-2024"


def test_an_unknown_term_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as refused:
        standard_term_dates(2024, 2024).get("winter-2024")
    assert refused.value.field == "term"


def test_overlapping_term_dates_are_not_accepted():
    with pytest.raises(ValueError):
        TermCalendar(
            [
                Term("autumn-2024", date(2024, 9, 3), date(2024, 12, 20)),
                Term("spring-2025", date(2024, 12, 20), date(2025, 3, 28)),
            ]
        )


def test_a_term_is_named_by_season_and_year():
    with pytest.raises(ValueError):
        Term("michaelmas-2024", date(2024, 9, 3), date(2024, 12, 20))
    assert Term("autumn-2024", date(2024, 9, 3), date(2024, 12, 20)).name == "Autumn 2024"
