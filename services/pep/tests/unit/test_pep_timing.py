"""PEP due dates on real England working days and a council's term dates (domain.md section 2, 5)."""

from __future__ import annotations

from datetime import date

import pytest
from pep.domain.terms import AcademicYearTerms, SchoolCalendar, TermDates, TermDatesMissing, term
from pep.domain.timing import (
    DEFAULT_PEP_TIMING,
    PepTimingPolicies,
    PepTimingPolicy,
    ReviewDeadline,
    in_place_due_on_after_change_of_school,
    in_place_due_on_after_entering_care,
    initiation_due_on,
    review_due_on,
)

from shared.errors import InvalidInput, RuleViolation


def policies(**overrides: object) -> PepTimingPolicies:
    version = PepTimingPolicy.model_validate({"effective_from": date(2000, 1, 1), **overrides})
    return PepTimingPolicies(versions=(version,))


def test_initiation_is_due_ten_working_days_after_entering_care_skipping_the_2022_09_19_bank_holiday(
    term_dates: SchoolCalendar,
) -> None:
    """domain.md 2: initiated within 10 working days. Monday 19 September 2022 was a bank holiday,
    so the 10th working day after Monday 12 September is Tuesday 27th, not Monday 26th."""
    assert initiation_due_on(date(2022, 9, 12), DEFAULT_PEP_TIMING, term_dates) == date(2022, 9, 27)


def test_pep_is_due_in_place_twenty_working_days_after_entering_care(term_dates: SchoolCalendar) -> None:
    assert in_place_due_on_after_entering_care(date(2022, 9, 12), DEFAULT_PEP_TIMING, term_dates) == date(
        2022, 10, 11
    )


def test_pep_is_due_twenty_working_days_after_a_change_of_school_counted_from_the_first_day_there(
    term_dates: SchoolCalendar,
) -> None:
    assert in_place_due_on_after_change_of_school(date(2022, 9, 15), DEFAULT_PEP_TIMING, term_dates) == date(
        2022, 10, 14
    )


def test_working_days_across_easter_skip_good_friday_and_easter_monday(term_dates: SchoolCalendar) -> None:
    """Entering care on Wednesday 20 March 2024: Good Friday 29 March and Easter Monday 1 April are
    not working days, while the school Easter holiday days are (working days are not school days)."""
    assert initiation_due_on(date(2024, 3, 20), DEFAULT_PEP_TIMING, term_dates) == date(2024, 4, 5)
    assert in_place_due_on_after_entering_care(date(2024, 3, 20), DEFAULT_PEP_TIMING, term_dates) == date(
        2024, 4, 19
    )


def test_a_council_counting_school_days_skips_the_easter_holidays_and_the_may_bank_holiday(
    term_dates: SchoolCalendar,
) -> None:
    """domain.md 2: some councils count 20 *school* days. From 27 March 2024: one school day left
    in spring term, none over Easter (29 Mar - 14 Apr), and Monday 6 May is a bank holiday."""
    school_days = policies(count_school_days=True)
    assert in_place_due_on_after_entering_care(date(2024, 3, 27), school_days, term_dates) == date(
        2024, 5, 10
    )
    assert initiation_due_on(date(2024, 3, 20), school_days, term_dates) == date(2024, 4, 18)


def test_good_friday_and_easter_monday_are_not_school_days_in_a_term_that_crosses_easter(
    term_dates: SchoolCalendar,
) -> None:
    """The 2024/25 summer term starts on Monday 14 April 2025, before Easter."""
    assert term_dates.is_school_day(date(2025, 4, 17))
    assert not term_dates.is_school_day(date(2025, 4, 18))
    assert not term_dates.is_school_day(date(2025, 4, 21))
    assert term_dates.add_school_days(date(2025, 4, 14), 5) == date(2025, 4, 23)


def test_school_days_exclude_half_term_and_inset_days(term_dates: SchoolCalendar) -> None:
    assert not term_dates.is_school_day(date(2022, 10, 25))  # autumn half-term
    assert not term_dates.is_school_day(date(2024, 9, 2))  # INSET day
    assert term_dates.is_school_day(date(2024, 9, 3))
    assert not term_dates.is_school_day(date(2022, 9, 19))  # bank holiday in term
    assert term_dates.school_days_from(date(2022, 9, 12), date(2022, 9, 26)) == 9


def test_termly_review_is_due_by_the_last_school_day_of_term_by_default(term_dates: SchoolCalendar) -> None:
    assert review_due_on(term(2022, "autumn"), DEFAULT_PEP_TIMING, term_dates) == date(2022, 12, 20)
    # summer 2022/23 ends on a Friday
    assert review_due_on(term(2022, "summer"), DEFAULT_PEP_TIMING, term_dates) == date(2023, 7, 21)


def test_a_council_can_require_each_review_before_half_term(term_dates: SchoolCalendar) -> None:
    """domain.md 2: some councils require each review before that term's half-term."""
    before_half_term = policies(review_deadline=ReviewDeadline.BEFORE_HALF_TERM)
    assert review_due_on(term(2022, "autumn"), before_half_term, term_dates) == date(2022, 10, 21)
    assert review_due_on(term(2023, "spring"), before_half_term, term_dates) == date(2024, 2, 9)


def test_a_review_due_a_number_of_school_days_into_term_skips_the_2022_09_19_bank_holiday(
    term_dates: SchoolCalendar,
) -> None:
    """Autumn 2022/23 starts Monday 5 September; the 15th school day would be 23 September
    without the State Funeral holiday on the 19th, so it is Monday 26th."""
    into_term = policies(
        review_deadline=ReviewDeadline.SCHOOL_DAYS_INTO_TERM, review_school_days_into_term=15
    )
    assert review_due_on(term(2022, "autumn"), into_term, term_dates) == date(2022, 9, 26)


def test_the_policy_in_force_on_the_day_the_clock_starts_applies() -> None:
    """domain.md: configurable policies are versioned by effective date."""
    versions = PepTimingPolicies(
        versions=(
            PepTimingPolicy(effective_from=date(2000, 1, 1)),
            PepTimingPolicy(effective_from=date(2023, 9, 1), count_school_days=True),
        )
    )
    assert not versions.in_force_on(date(2023, 8, 31)).count_school_days
    assert versions.in_force_on(date(2023, 9, 1)).count_school_days


def test_a_change_of_policy_times_children_who_entered_care_after_it_by_the_new_rule(
    term_dates: SchoolCalendar,
) -> None:
    versions = PepTimingPolicies(
        versions=(
            PepTimingPolicy(effective_from=date(2000, 1, 1)),
            PepTimingPolicy(effective_from=date(2024, 3, 25), count_school_days=True),
        )
    )
    assert in_place_due_on_after_entering_care(date(2024, 3, 20), versions, term_dates) == date(2024, 4, 19)
    assert in_place_due_on_after_entering_care(date(2024, 3, 27), versions, term_dates) == date(2024, 5, 10)


def test_no_policy_in_force_before_the_first_version_is_refused() -> None:
    versions = PepTimingPolicies(versions=(PepTimingPolicy(effective_from=date(2020, 1, 1)),))
    with pytest.raises(RuleViolation) as error:
        versions.in_force_on(date(2019, 12, 31))
    assert error.value.field == "effective_from"


def test_counting_school_days_beyond_the_term_dates_given_is_refused(term_dates: SchoolCalendar) -> None:
    with pytest.raises(TermDatesMissing):
        in_place_due_on_after_entering_care(date(2025, 7, 10), policies(count_school_days=True), term_dates)


def test_a_review_due_a_number_of_school_days_into_term_needs_that_number() -> None:
    with pytest.raises(InvalidInput) as error:
        PepTimingPolicy(effective_from=date(2024, 1, 1), review_deadline=ReviewDeadline.SCHOOL_DAYS_INTO_TERM)
    assert error.value.field == "review_school_days_into_term"


def test_a_period_of_no_days_is_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        PepTimingPolicy(effective_from=date(2024, 1, 1), initiation_days=0)
    assert error.value.field == "initiation_days"


def test_term_dates_with_half_term_before_the_term_starts_are_refused() -> None:
    with pytest.raises(InvalidInput) as error:
        AcademicYearTerms(
            academic_year=2025,
            autumn=TermDates(
                start=date(2025, 9, 3),
                half_term_start=date(2025, 9, 1),
                half_term_end=date(2025, 9, 2),
                end=date(2025, 12, 19),
            ),
            spring=TermDates(
                start=date(2026, 1, 5),
                half_term_start=date(2026, 2, 16),
                half_term_end=date(2026, 2, 20),
                end=date(2026, 3, 27),
            ),
            summer=TermDates(
                start=date(2026, 4, 13),
                half_term_start=date(2026, 5, 25),
                half_term_end=date(2026, 5, 29),
                end=date(2026, 7, 21),
            ),
        )
    assert error.value.field == "autumn.half_term_start"


def test_a_school_day_in_an_academic_year_missing_in_between_is_refused_naming_it(
    term_dates: SchoolCalendar,
) -> None:
    """Years carried over from older records may leave a gap: no day in it is guessed at."""
    first, third = term_dates.years[0], term_dates.years[2]
    gapped = SchoolCalendar(council="Medway", years=(first, third))
    assert gapped.is_school_day(third.autumn.start)
    missing_year = first.academic_year + 1
    with pytest.raises(TermDatesMissing) as missing:
        gapped.is_school_day(date(missing_year, 11, 3))
    assert f"{missing_year}/" in missing.value.detail


def test_a_term_is_reported_in_itself_and_a_holiday_date_in_the_next_term(term_dates: SchoolCalendar) -> None:
    assert term_dates.term_for_reporting(date(2022, 10, 26)) == term(2022, "autumn")
    assert term_dates.term_for_reporting(date(2022, 12, 28)) == term(2022, "spring")
    assert str(term(2022, "autumn")) == "autumn 2022/23"
