"""When a PEP is due: the council's timing policy and the due dates it gives.

domain.md section 2 (*configurable*): the PEP is initiated within 10 working days of entering
care, must be in place within 20 working days of entering care and again of a change of school
(some councils count 20 *school* days), and is reviewed every term, by a date in that term the
council chooses (some require each review before that term's half-term). Policies are versioned
by the date they take effect; the version in force on the day that starts the clock applies.

A step done on its due date is in time; it is overdue from the day after.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from functools import cached_property, lru_cache

from pydantic import BaseModel, ConfigDict, model_validator

from shared.calendar import add_working_days
from shared.errors import InvalidInput, RuleViolation

from .terms import SchoolCalendar, TermRef


class ReviewDeadline(StrEnum):
    END_OF_TERM = "end_of_term"  # the last school day of the term
    BEFORE_HALF_TERM = "before_half_term"  # the last school day before half-term
    SCHOOL_DAYS_INTO_TERM = "school_days_into_term"  # the n-th school day of the term


class PepTimingSettings(BaseModel):
    # What the virtual school head chooses, with the statutory defaults; the API's request body
    # takes exactly these, and ``PepTimingPolicy`` checks them.
    effective_from: date
    initiation_days: int = 10
    in_place_after_entering_care_days: int = 20
    in_place_after_change_of_school_days: int = 20
    count_school_days: bool = False
    review_deadline: ReviewDeadline = ReviewDeadline.END_OF_TERM
    review_school_days_into_term: int | None = None


class PepTimingPolicy(PepTimingSettings):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="after")
    def _check(self) -> PepTimingPolicy:
        for name in (
            "initiation_days",
            "in_place_after_entering_care_days",
            "in_place_after_change_of_school_days",
        ):
            if getattr(self, name) < 1:
                raise InvalidInput("a period must be at least one day", field=name)
        if self.review_deadline is ReviewDeadline.SCHOOL_DAYS_INTO_TERM:
            if self.review_school_days_into_term is None or self.review_school_days_into_term < 1:
                raise InvalidInput(
                    "say by which school day of the term the review is due",
                    field="review_school_days_into_term",
                )
        elif self.review_school_days_into_term is not None:
            raise InvalidInput(
                "only used when the review is due a number of school days into the term",
                field="review_school_days_into_term",
            )
        return self

    @property
    def day_kind(self) -> str:
        return "school days" if self.count_school_days else "working days"


class PepTimingPolicies(BaseModel):
    """The versions of a council's PEP timing policy, each in force from its ``effective_from``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    versions: tuple[PepTimingPolicy, ...]

    @model_validator(mode="after")
    def _check(self) -> PepTimingPolicies:
        if not self.versions:
            raise InvalidInput("at least one policy version is needed", field="versions")
        seen: set[date] = set()
        for index, version in enumerate(self.versions):
            if version.effective_from in seen:
                raise InvalidInput(
                    f"two versions take effect on {version.effective_from}",
                    field=f"versions[{index}].effective_from",
                )
            seen.add(version.effective_from)
        return self

    def in_force_on(self, day: date) -> PepTimingPolicy:
        # The policies never change once made, and every deadline of every child asks this.
        try:
            return self._in_force[day]
        except KeyError:
            pass
        candidates = [version for version in self.versions if version.effective_from <= day]
        if not candidates:
            raise RuleViolation(f"no PEP timing policy was in force on {day}", field="effective_from")
        policy = self._in_force[day] = max(candidates, key=lambda version: version.effective_from)
        return policy

    @cached_property
    def _in_force(self) -> dict[date, PepTimingPolicy]:
        # Not a field: equality, hashing and serialisation see only the versions.
        return {}


# domain.md section 2 defaults, in force for all the history a council holds.
DEFAULT_PEP_TIMING = PepTimingPolicies(versions=(PepTimingPolicy(effective_from=date(2000, 1, 1)),))


# Working days depend only on the dates (England's bank holidays), so their sums are kept.
_working_days_after = lru_cache(maxsize=8192)(add_working_days)


def _count_forward(start: date, days: int, policy: PepTimingPolicy, calendar: SchoolCalendar) -> date:
    if policy.count_school_days:
        return calendar.add_school_days(start, days)
    return _working_days_after(start, days)


def initiation_due_on(entered_care_on: date, policies: PepTimingPolicies, calendar: SchoolCalendar) -> date:
    policy = policies.in_force_on(entered_care_on)
    return _count_forward(entered_care_on, policy.initiation_days, policy, calendar)


def in_place_due_on_after_entering_care(
    entered_care_on: date, policies: PepTimingPolicies, calendar: SchoolCalendar
) -> date:
    policy = policies.in_force_on(entered_care_on)
    return _count_forward(entered_care_on, policy.in_place_after_entering_care_days, policy, calendar)


def in_place_due_on_after_change_of_school(
    started_at_new_school_on: date, policies: PepTimingPolicies, calendar: SchoolCalendar
) -> date:
    policy = policies.in_force_on(started_at_new_school_on)
    return _count_forward(
        started_at_new_school_on, policy.in_place_after_change_of_school_days, policy, calendar
    )


def review_due_on(ref: TermRef, policies: PepTimingPolicies, calendar: SchoolCalendar) -> date:
    dates = calendar.term_dates(ref)
    policy = policies.in_force_on(dates.start)
    if policy.review_deadline is ReviewDeadline.END_OF_TERM:
        return calendar.last_school_day_on_or_before(dates.end, not_before=dates.start)
    if policy.review_deadline is ReviewDeadline.BEFORE_HALF_TERM:
        return calendar.last_school_day_on_or_before(dates.half_term_start, not_before=dates.start)
    assert policy.review_school_days_into_term is not None
    first_day_before_term = date.fromordinal(dates.start.toordinal() - 1)
    return calendar.add_school_days(first_day_before_term, policy.review_school_days_into_term)
