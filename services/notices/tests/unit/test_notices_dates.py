"""Every date rule of the notices service, against England's real calendar (shared.calendar).

domain.md section 4; seed 003, appendix 3 ("Statutory duties").
"""

from datetime import date

import pytest
from notices.domain import dates
from notices.domain.rules import (
    BEFORE_18_APRIL_2016,
    DEFAULT_RULE_BOOK,
    FROM_18_APRIL_2016,
    InterventionRules,
    RuleBook,
)
from notices.domain.vocabulary import CompliancePeriod
from notices.domain.dates import add_months, last_of_working_days_beginning_with

from shared import calendar


def test_the_regime_before_18_april_2016_governs_a_notice_given_on_15_april_2016():
    """domain.md s4: notices given before 18 April 2016 finish under the old rules."""
    assert DEFAULT_RULE_BOOK.in_force_on(date(2016, 4, 15)) is BEFORE_18_APRIL_2016


def test_the_education_and_adoption_act_regime_governs_a_notice_given_on_18_april_2016():
    assert DEFAULT_RULE_BOOK.in_force_on(date(2016, 4, 18)) is FROM_18_APRIL_2016


def test_a_rule_book_is_data_and_a_council_can_add_a_regime_from_a_later_date():
    """domain.md s4: the rule set is configurable, keyed by effective date."""
    longer_consultation = InterventionRules(
        **{
            **FROM_18_APRIL_2016.__dict__,
            "key": "local2025",
            "in_force_from": date(2025, 9, 1),
            "consultation_days": 21,
        }
    )
    book = RuleBook((FROM_18_APRIL_2016, BEFORE_18_APRIL_2016, longer_consultation))
    assert book.in_force_on(date(2025, 8, 31)).consultation_days == 14
    assert book.in_force_on(date(2025, 9, 1)).consultation_days == 21


def test_a_rule_book_refuses_two_regimes_starting_the_same_day():
    with pytest.raises(ValueError):
        RuleBook((FROM_18_APRIL_2016, InterventionRules(**{**FROM_18_APRIL_2016.__dict__, "key": "other"})))


def test_a_notice_given_just_before_easter_2016_ends_its_compliance_period_after_the_easter_bank_holidays():
    """Given Thursday 24 March 2016; Good Friday 25 and Easter Monday 28 March are not working
    days, so the 15th working day following is Monday 18 April, not Thursday 14 April."""
    assert dates.compliance_period_end(date(2016, 3, 24), BEFORE_18_APRIL_2016, calendar) == date(2016, 4, 18)


def test_a_council_set_period_of_15_working_days_given_just_before_easter_2024_skips_good_friday_and_easter_monday():
    period = CompliancePeriod(working_days=15)
    assert dates.compliance_period_end(date(2024, 3, 28), FROM_18_APRIL_2016, calendar, period) == date(
        2024, 4, 22
    )


def test_a_notice_spanning_christmas_2015_skips_christmas_day_the_substitute_boxing_day_and_new_year():
    """Given Friday 18 December 2015: 25 December, Monday 28 December (Boxing Day substitute) and
    1 January 2016 are not working days; the period ends Wednesday 13 January 2016."""
    assert dates.compliance_period_end(date(2015, 12, 18), BEFORE_18_APRIL_2016, calendar) == date(
        2016, 1, 13
    )


def test_a_period_spanning_christmas_2023_ends_on_10_january_2024():
    period = CompliancePeriod(working_days=15)
    assert dates.compliance_period_end(date(2023, 12, 15), FROM_18_APRIL_2016, calendar, period) == date(
        2024, 1, 10
    )


def test_a_period_across_the_state_funeral_on_19_september_2022_ends_a_day_later():
    """domain.md s4: one-off bank holidays matter. Given Friday 9 September 2022, the 15th working
    day following is Monday 3 October (Friday 30 September without the funeral)."""
    period = CompliancePeriod(working_days=15)
    assert dates.compliance_period_end(date(2022, 9, 9), FROM_18_APRIL_2016, calendar, period) == date(
        2022, 10, 3
    )
    assert dates.compliance_period_end(date(2022, 9, 9), BEFORE_18_APRIL_2016, calendar) == date(2022, 10, 3)


def test_a_period_across_the_coronation_on_8_may_2023_skips_it_and_the_early_may_bank_holiday():
    """Given Friday 28 April 2023: 1 May and 8 May 2023 are bank holidays; the period ends Tuesday 23 May."""
    period = CompliancePeriod(working_days=15)
    assert dates.compliance_period_end(date(2023, 4, 28), FROM_18_APRIL_2016, calendar, period) == date(
        2023, 5, 23
    )


def test_since_18_april_2016_a_period_given_as_a_date_ends_on_that_date():
    period = CompliancePeriod(ends_on=date(2016, 6, 30))
    assert dates.compliance_period_end(date(2016, 4, 18), FROM_18_APRIL_2016, calendar, period) == date(
        2016, 6, 30
    )


def test_before_18_april_2016_the_statutory_period_applies_whatever_the_notice_says():
    period = CompliancePeriod(working_days=40)
    assert dates.compliance_period_end(date(2016, 4, 15), BEFORE_18_APRIL_2016, calendar, period) == date(
        2016, 5, 9
    )


def test_a_notice_given_on_15_april_2016_ends_its_period_after_the_early_may_bank_holiday():
    """Monday 2 May 2016 is not a working day: the 15th working day following 15 April is 9 May."""
    assert dates.compliance_period_end(date(2016, 4, 15), BEFORE_18_APRIL_2016, calendar) == date(2016, 5, 9)


def test_representations_are_due_within_15_working_days_of_receipt_before_18_april_2016():
    assert dates.representation_window_end(date(2016, 3, 24), BEFORE_18_APRIL_2016, calendar) == date(
        2016, 4, 18
    )


def test_there_is_no_representation_window_from_18_april_2016():
    assert dates.representation_window_end(date(2016, 4, 18), FROM_18_APRIL_2016, calendar) is None


def test_a_confirmed_notice_makes_the_school_eligible_15_working_days_after_confirmation_across_easter():
    """seed 003: eligible after 15 working days beginning with the day Ofsted confirms. Confirmed
    Thursday 24 March 2016, the period runs to Friday 15 April; eligible Monday 18 April."""
    assert dates.eligibility_date_after_confirmation(
        date(2016, 3, 24), BEFORE_18_APRIL_2016, calendar
    ) == date(2016, 4, 18)


def test_lapsing_powers_may_be_used_until_two_months_after_the_compliance_period_ends():
    assert dates.last_day_to_use_lapsing_powers(date(2016, 5, 9), BEFORE_18_APRIL_2016) == date(2016, 7, 9)
    assert dates.powers_lapse_on(date(2016, 5, 9), BEFORE_18_APRIL_2016) == date(2016, 7, 10)


def test_two_months_after_the_last_day_of_a_long_month_is_the_last_day_of_february():
    assert dates.powers_lapse_on(date(2023, 12, 31), FROM_18_APRIL_2016) == date(2024, 3, 1)
    assert dates.powers_lapse_on(date(2022, 12, 30), FROM_18_APRIL_2016) == date(2023, 3, 1)
    assert add_months(date(2024, 11, 30), 2) == date(2025, 1, 30)


def test_a_direction_response_is_due_on_the_tenth_working_day_counting_the_day_of_the_direction():
    """seed 003: within 10 working days beginning with the day the direction was given. Given
    Friday 9 September 2022, with the funeral on the 19th: Friday 23 September."""
    assert dates.direction_response_due(date(2022, 9, 9), FROM_18_APRIL_2016, calendar) == date(2022, 9, 23)


def test_a_direction_given_on_a_bank_holiday_counts_from_the_next_working_day():
    """Given on Monday 1 May 2023 (a bank holiday), with the coronation on the 8th: Tuesday 16 May."""
    assert dates.direction_response_due(date(2023, 5, 1), FROM_18_APRIL_2016, calendar) == date(2023, 5, 16)


def test_having_agreed_the_council_gives_the_notice_within_five_working_days_from_its_response():
    """Responded Friday 5 May 2023; the coronation Monday does not count: Monday 15 May."""
    assert dates.notice_due_after_agreeing(date(2023, 5, 5), FROM_18_APRIL_2016, calendar) == date(
        2023, 5, 15
    )


def test_directed_to_give_the_notice_the_council_has_five_working_days_beginning_with_the_direction():
    """Directed Thursday 4 May 2023: 4, 5, 9, 10 and 11 May."""
    assert dates.notice_due_after_direction_to_give(date(2023, 5, 4), FROM_18_APRIL_2016, calendar) == date(
        2023, 5, 11
    )


def test_a_period_of_one_working_day_beginning_with_a_working_day_is_that_day():
    assert last_of_working_days_beginning_with(calendar, date(2023, 5, 4), 1) == date(2023, 5, 4)
    assert last_of_working_days_beginning_with(calendar, date(2023, 5, 8), 1) == date(2023, 5, 9)


def test_a_consultation_normally_closes_14_days_after_it_starts():
    assert dates.consultation_closes_on(date(2023, 5, 2), FROM_18_APRIL_2016.consultation_days) == date(
        2023, 5, 16
    )
