"""The council's own settings for PEPs, kept as events: term dates and PEP timing policy versions.

domain.md sections 2 and 5: term dates are set per council, and PEP timings differ between
councils and change over time, so both are data with the date they apply from, never constants.
They live in one stream the service owns (``pepconfig-council``) so every due date can be traced
to the settings in force when it was worked out, and an auditor can replay them.

* Term dates are set one academic year at a time; the years held must follow on from each other
  (a gap would leave dates nobody can count school days across). Setting a year again corrects it.
* A timing policy version applies from its ``effective_from``; setting a version for the same date
  again replaces it. Until the council sets one, the domain defaults apply (``DEFAULT_PEP_TIMING``:
  10 working days to initiate, 20 to be in place, a review each term by its end).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import ClassVar

from shared.errors import RuleViolation
from shared.events import Command, Event

from .terms import SchoolCalendar, TermCalendar, TermDates, academic_year_label
from .timing import DEFAULT_PEP_TIMING, PepTimingPolicies, PepTimingPolicy, ReviewDeadline

UNNAMED_COUNCIL = "the council"

# --- events -----------------------------------------------------------------------------------


class PepTermDatesSet(Event):
    """The council's term dates for one academic year (replacing any set before for that year)."""

    event_type: ClassVar[str] = "PepTermDatesSet"

    council: str
    academic_year: int
    autumn: TermDates
    spring: TermDates
    summer: TermDates
    closure_days: tuple[date, ...] = ()
    set_on: date

    def calendar(self) -> TermCalendar:
        return TermCalendar(
            academic_year=self.academic_year,
            autumn=self.autumn,
            spring=self.spring,
            summer=self.summer,
            closure_days=self.closure_days,
        )

    def effective_on(self) -> date:
        return self.set_on


class PepTimingPolicySet(Event):
    """A version of the council's PEP timing policy, in force from ``effective_from``."""

    event_type: ClassVar[str] = "PepTimingPolicySet"

    effective_from: date
    initiation_days: int
    in_place_after_entering_care_days: int
    in_place_after_change_of_school_days: int
    count_school_days: bool
    review_deadline: ReviewDeadline
    review_school_days_into_term: int | None = None
    set_on: date

    def policy(self) -> PepTimingPolicy:
        return PepTimingPolicy.model_validate(self.model_dump(exclude={"set_on"}))

    def effective_on(self) -> date:
        return self.set_on


CONFIG_EVENTS: tuple[type[Event], ...] = (PepTermDatesSet, PepTimingPolicySet)


# --- commands ---------------------------------------------------------------------------------


class SetTermDates(Command):
    council: str
    calendar: TermCalendar
    set_on: date


class SetPepTimingPolicy(Command):
    policy: PepTimingPolicy
    set_on: date


# --- state ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilConfig:
    council: str = UNNAMED_COUNCIL
    term_years: dict[int, TermCalendar] = field(default_factory=dict)
    policy_versions: dict[date, PepTimingPolicy] = field(default_factory=dict)

    def school_calendar(self) -> SchoolCalendar:
        """The term dates set so far (possibly none: school-day questions are then refused)."""
        years = tuple(self.term_years[year] for year in sorted(self.term_years))
        return SchoolCalendar(council=self.council, years=years)

    def timing_policies(self) -> PepTimingPolicies:
        """The council's versions over the domain defaults; a version set for the defaults' own
        effective date replaces them."""
        versions = {version.effective_from: version for version in DEFAULT_PEP_TIMING.versions}
        versions.update(self.policy_versions)
        return PepTimingPolicies(versions=tuple(versions[day] for day in sorted(versions)))


NO_CONFIG = CouncilConfig()


# --- decide / evolve --------------------------------------------------------------------------


def decide(command: SetTermDates | SetPepTimingPolicy, state: CouncilConfig) -> list[Event]:
    if isinstance(command, SetTermDates):
        return _set_term_dates(command, state)
    if isinstance(command, SetPepTimingPolicy):
        return _set_policy(command, state)
    raise TypeError(f"not a council settings command: {type(command).__name__}")


def _set_term_dates(command: SetTermDates, state: CouncilConfig) -> list[Event]:
    calendar = command.calendar
    year = calendar.academic_year
    held = sorted(state.term_years)
    if held and year not in state.term_years and year not in (held[0] - 1, held[-1] + 1):
        raise RuleViolation(
            f"term dates are held for {academic_year_label(held[0])} to {academic_year_label(held[-1])}; "
            f"set {academic_year_label(held[0] - 1)} or {academic_year_label(held[-1] + 1)} next, "
            "so that school days can be counted without a gap",
            field="academic_year",
        )
    council = command.council.strip() or state.council
    if state.term_years.get(year) == calendar and council == state.council:
        return []
    return [
        PepTermDatesSet(
            council=council,
            academic_year=year,
            autumn=calendar.autumn,
            spring=calendar.spring,
            summer=calendar.summer,
            closure_days=calendar.closure_days,
            set_on=command.set_on,
        )
    ]


def _set_policy(command: SetPepTimingPolicy, state: CouncilConfig) -> list[Event]:
    policy = command.policy
    if state.policy_versions.get(policy.effective_from) == policy:
        return []
    return [PepTimingPolicySet(**policy.model_dump(), set_on=command.set_on)]


def evolve(state: CouncilConfig, event: Event) -> CouncilConfig:
    if isinstance(event, PepTermDatesSet):
        return replace(
            state,
            council=event.council,
            term_years={**state.term_years, event.academic_year: event.calendar()},
        )
    if isinstance(event, PepTimingPolicySet):
        return replace(state, policy_versions={**state.policy_versions, event.effective_from: event.policy()})
    raise TypeError(f"not a council settings event: {type(event).__name__}")


def fold(events: list[Event], state: CouncilConfig = NO_CONFIG) -> CouncilConfig:
    for event in events:
        state = evolve(state, event)
    return state
