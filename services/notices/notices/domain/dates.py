"""Every date the notices service computes: when a period ends, when something takes effect,
when a deadline has passed. Pure functions of a day, the regime in force (``rules``) and the
working-day calendar (``working_days``), both passed in.

Sources: domain.md section 4 and seed 003, appendix 3 ("Statutory duties"). The Act and the
guidance count working days in two ways:

* "the 15th working day following that day" / "within 15 working days of receipt": the day
  itself is not counted - ``working_day_following``;
* "within 10 working days beginning with the day on which the direction was given": the day
  itself is the first of the ten when it is a working day - ``last_of_working_days_beginning_with``.
"""

from __future__ import annotations

import calendar as gregorian
from datetime import date, timedelta

from shared.errors import InvalidInput

from .notice_content import validate_compliance_period
from .refusals import OutsideStatutoryPeriod
from .rules import InterventionRules
from .vocabulary import CompliancePeriod
from .working_days import WorkingDayCalendar

# Counting ---------------------------------------------------------------------------------


def working_day_following(calendar: WorkingDayCalendar, day: date, count: int) -> date:
    """The ``count``-th working day following ``day`` (``day`` itself never counts)."""
    return calendar.add_working_days(day, count)


def last_of_working_days_beginning_with(calendar: WorkingDayCalendar, day: date, count: int) -> date:
    """The last day of a period of ``count`` working days beginning with ``day``.

    ``day`` counts as the first of them when it is a working day; otherwise the period starts on
    the next working day.
    """
    if count < 1:
        raise ValueError("count must be at least 1")
    if calendar.is_working_day(day):
        return day if count == 1 else calendar.add_working_days(day, count - 1)
    return calendar.add_working_days(day, count)


def working_days_ahead(today: date, count: int, calendar: WorkingDayCalendar) -> date:
    """The last day of the next ``count`` working days after ``today`` (today itself for 0): how
    far ahead "deadlines in the next N working days" looks."""
    return calendar.add_working_days(today, count) if count else today


def add_months(day: date, months: int) -> date:
    """The same day of the month ``months`` later, or that month's last day when it is shorter
    (31 December + 2 months is 28 or 29 February)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last_day = gregorian.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def first_day_after(last_day: date) -> date:
    """The first day a period ending on ``last_day`` has passed: the day its deadline fires and
    the event recording that it passed takes effect."""
    return last_day + timedelta(days=1)


# Warning notices ----------------------------------------------------------------------------


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


def first_day_compliance_can_be_judged(compliance_period_ends_on: date) -> date:
    """The first day the council may judge whether a notice was complied with: the day after the
    compliance period's last day. s60(1) makes the school eligible only once "the compliance
    period has expired" and the governing body failed to comply "by the end of" it, so the last
    day is the governing body's to comply in. Notice of intention, and so eligibility and the
    powers, follow the judgement; the deadline ``CompliancePeriodEnded`` fires on this day too,
    and the list of schools causing concern shows the judgement due from it."""
    return first_day_after(compliance_period_ends_on)


def compliance_period_as_given(
    given_on: date, rules: InterventionRules, calendar: WorkingDayCalendar, asked: CompliancePeriod | None
) -> tuple[CompliancePeriod, date]:
    """The compliance period a notice given on ``given_on`` states, and the day it ends.

    Before 18 April 2016 the period is fixed by law: a notice may restate it but not set another.
    Since then the notice must set it, and it must end after the day the notice is given.
    """
    validate_compliance_period(asked)
    fixed = rules.fixed_compliance_period_working_days
    if fixed is not None:
        ends_on = compliance_period_end(given_on, rules, calendar)
        if asked is not None and asked.working_days != fixed and asked.ends_on != ends_on:
            raise OutsideStatutoryPeriod(
                f"A notice given on {given_on.isoformat()} (before 18 April 2016) has the statutory "
                f"compliance period: it ends on the {fixed}th working day following the day given, "
                f"{ends_on.isoformat()}. It cannot be set otherwise.",
                field="compliance_period",
            )
        return CompliancePeriod(working_days=fixed), ends_on
    if asked is None:
        raise InvalidInput(
            f"A notice given on {given_on.isoformat()} (from 18 April 2016) must specify its "
            "compliance period.",
            field="compliance_period",
        )
    ends_on = compliance_period_end(given_on, rules, calendar, asked)
    if ends_on <= given_on:
        raise InvalidInput(
            f"The compliance period must end after the day the notice is given ({given_on.isoformat()}).",
            field="compliance_period.ends_on",
        )
    return asked, ends_on


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


# Powers of intervention -------------------------------------------------------------------


def last_day_to_use_lapsing_powers(compliance_period_ended_on: date, rules: InterventionRules) -> date:
    """The last day of the two months following the end of the compliance period, within which
    s63, s64 and s66 must be used where eligibility came from a warning notice."""
    return add_months(compliance_period_ended_on, rules.powers_time_limit_months)


def powers_lapse_on(compliance_period_ended_on: date, rules: InterventionRules) -> date:
    """The first day on which s63, s64 and s66 can no longer be used under a warning notice."""
    return first_day_after(last_day_to_use_lapsing_powers(compliance_period_ended_on, rules))


def last_day_before_powers_lapse(powers_lapse_on: date) -> date:
    """The last day s63, s64 and s66 may still be used, from the day they lapse (the day kept in
    the events)."""
    return powers_lapse_on - timedelta(days=1)


def consultation_closes_on(started_on: date, days: int) -> date:
    """The last day of a consultation that runs ``days`` calendar days from its start."""
    return started_on + timedelta(days=days)


# The Secretary of State's directions --------------------------------------------------------


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
