"""Every date the notices service computes, as pure functions of a day, a regime and a calendar.

Sources: domain.md section 4 and seed 003, appendix 3 ("Statutory duties").
"""

from __future__ import annotations

from datetime import date, timedelta

from .rules import InterventionRules
from .vocabulary import CompliancePeriod
from .working_days import (
    WorkingDayCalendar,
    add_months,
    last_of_working_days_beginning_with,
    working_day_following,
)


def compliance_period_end(
    given_on: date,
    rules: InterventionRules,
    calendar: WorkingDayCalendar,
    specified: CompliancePeriod | None = None,
) -> date:
    """The last day of a notice's compliance period, which begins the day the notice is given.

    Before 18 April 2016 it ends on the 15th working day following that day, whatever the notice
    says; since then it ends when the notice says (a number of working days after the day given,
    or a date).
    """
    fixed = rules.fixed_compliance_period_working_days
    if fixed is not None:
        return working_day_following(calendar, given_on, fixed)
    if specified is None:
        raise ValueError("under this regime the notice must specify its compliance period")
    if specified.ends_on is not None:
        return specified.ends_on
    if specified.working_days is None:
        raise ValueError("a compliance period needs working days or an end date")
    return working_day_following(calendar, given_on, specified.working_days)


def representation_window_end(
    given_on: date, rules: InterventionRules, calendar: WorkingDayCalendar
) -> date | None:
    """The last day for the governing body's written representations to Ofsted: within 15
    working days of receipt of the notice. ``None`` where the regime gives no such right."""
    if not rules.representations_to_ofsted:
        return None
    return working_day_following(calendar, given_on, rules.representation_window_working_days)


def eligibility_date_after_confirmation(
    confirmed_on: date, rules: InterventionRules, calendar: WorkingDayCalendar
) -> date:
    """The day a school becomes eligible for intervention after Ofsted confirms its notice:
    15 working days after the confirmation (the day after the period of 15 working days
    beginning with the day of confirmation, when that is a working day)."""
    return working_day_following(calendar, confirmed_on, rules.eligible_after_confirmation_working_days)


def last_day_to_use_lapsing_powers(compliance_period_ended_on: date, rules: InterventionRules) -> date:
    """The last day of the two months following the end of the compliance period, within which
    s63, s64 and s66 must be used where eligibility came from a warning notice."""
    return add_months(compliance_period_ended_on, rules.powers_time_limit_months)


def powers_lapse_on(compliance_period_ended_on: date, rules: InterventionRules) -> date:
    """The first day on which s63, s64 and s66 can no longer be used under a warning notice."""
    return last_day_to_use_lapsing_powers(compliance_period_ended_on, rules) + timedelta(days=1)


def direction_response_due(
    direction_given_on: date, rules: InterventionRules, calendar: WorkingDayCalendar
) -> date:
    """The last day for the council's written response to a direction to consider giving a
    notice: within 10 working days beginning with the day the direction was given."""
    return last_of_working_days_beginning_with(
        calendar, direction_given_on, rules.direction_response_working_days
    )


def notice_due_after_agreeing(
    responded_on: date, rules: InterventionRules, calendar: WorkingDayCalendar
) -> date:
    """Having answered that it will give the notice, the council gives it within five working
    days from the day the response is given (that day not counted)."""
    return working_day_following(calendar, responded_on, rules.directed_notice_working_days)


def notice_due_after_direction_to_give(
    directed_on: date, rules: InterventionRules, calendar: WorkingDayCalendar
) -> date:
    """Directed to give the notice after declining, the council gives it within five working days
    beginning with the day the direction is given."""
    return last_of_working_days_beginning_with(calendar, directed_on, rules.directed_notice_working_days)


def consultation_closes_on(started_on: date, days: int) -> date:
    """The last day of a consultation that runs ``days`` calendar days from its start."""
    return started_on + timedelta(days=days)
