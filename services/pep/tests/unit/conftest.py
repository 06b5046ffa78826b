"""Term dates of a council, as the PEP unit tests use them.

Four academic years, 2021/22 to 2024/25. Real England bank holidays apply through the working-day
calendar: 19 September 2022 (the State Funeral) and the coronation holiday of 8 May 2023 fall in
term, and the 2024/25 summer term starts on 14 April 2025, so it crosses Easter (Good Friday
18 April, Easter Monday 21 April). 2 September 2024 is an INSET day.
"""

from __future__ import annotations

from datetime import date

import pytest

from pep.domain.terms import SchoolCalendar, AcademicYearTerms, TermDates


def _term(start: date, half_term_start: date, half_term_end: date, end: date) -> TermDates:
    return TermDates(start=start, half_term_start=half_term_start, half_term_end=half_term_end, end=end)


TERM_DATES = SchoolCalendar(
    council="Medway",
    years=(
        AcademicYearTerms(
            academic_year=2021,
            autumn=_term(date(2021, 9, 2), date(2021, 10, 25), date(2021, 10, 29), date(2021, 12, 17)),
            spring=_term(date(2022, 1, 4), date(2022, 2, 21), date(2022, 2, 25), date(2022, 4, 1)),
            summer=_term(date(2022, 4, 19), date(2022, 5, 30), date(2022, 6, 3), date(2022, 7, 22)),
        ),
        AcademicYearTerms(
            academic_year=2022,
            autumn=_term(date(2022, 9, 5), date(2022, 10, 24), date(2022, 10, 28), date(2022, 12, 20)),
            spring=_term(date(2023, 1, 4), date(2023, 2, 13), date(2023, 2, 17), date(2023, 3, 31)),
            summer=_term(date(2023, 4, 17), date(2023, 5, 29), date(2023, 6, 2), date(2023, 7, 21)),
        ),
        AcademicYearTerms(
            academic_year=2023,
            autumn=_term(date(2023, 9, 4), date(2023, 10, 23), date(2023, 10, 27), date(2023, 12, 20)),
            spring=_term(date(2024, 1, 3), date(2024, 2, 12), date(2024, 2, 16), date(2024, 3, 28)),
            summer=_term(date(2024, 4, 15), date(2024, 5, 27), date(2024, 5, 31), date(2024, 7, 23)),
        ),
        AcademicYearTerms(
            academic_year=2024,
            autumn=_term(date(2024, 9, 2), date(2024, 10, 28), date(2024, 11, 1), date(2024, 12, 20)),
            spring=_term(date(2025, 1, 6), date(2025, 2, 17), date(2025, 2, 21), date(2025, 4, 4)),
            summer=_term(date(2025, 4, 14), date(2025, 5, 26), date(2025, 5, 30), date(2025, 7, 22)),
            closure_days=(date(2024, 9, 2),),
        ),
    ),
)


@pytest.fixture
def term_dates() -> SchoolCalendar:
    return TERM_DATES
