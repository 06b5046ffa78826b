"""The council's settings PEP deadlines and attendance alerts are worked out with: its term dates,
PEP timing policy and attendance policy.

domain.md sections 2 and 5: term dates are set per council, and PEP timings differ between
councils and change over time, so both are data with the date they apply from, never constants.

* Term dates are the council's one calendar (``shared.council_calendar``, stream
  ``calendar-council``), set once for every service; this service folds that stream into its
  settings and never writes it. ``PepTermDatesSet`` is what this service recorded before the
  calendar existed: its years were carried into the calendar (``shared.calendar_adoption``), so
  the fold passes over it.
* A timing policy version applies from its ``effective_from``; setting a version for the same date
  again replaces it. Versions live in the stream this service owns (``pepconfig-council``), so
  every due date can be traced to the settings in force when it was worked out, and an auditor
  can replay them. Until the council sets one, the domain defaults apply (``DEFAULT_PEP_TIMING``:
  10 working days to initiate, 20 to be in place, a review each term by its end).
* The attendance policy (``attendance_policy``) is versioned the same way, in the same stream.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import ClassVar

from shared.council_calendar import CALENDAR_EVENTS, AcademicYearTerms, CouncilTermDatesSet
from shared.events import Command, Event

from .attendance_policy import DEFAULT_ATTENDANCE_POLICY, AttendancePolicies, AttendancePolicy
from .terms import SchoolCalendar, TermDates
from .timing import DEFAULT_PEP_TIMING, PepTimingPolicies, PepTimingPolicy, ReviewDeadline

UNNAMED_COUNCIL = "the council"

# --- events -----------------------------------------------------------------------------------


class PepTermDatesSet(Event):
    """Retired: the council's term dates for one academic year, as this service recorded them
    before the council calendar (``CouncilTermDatesSet``) held them for every service. Kept so the
    history stays readable; nothing records it any more."""

    event_type: ClassVar[str] = "PepTermDatesSet"

    council: str
    academic_year: int
    autumn: TermDates
    spring: TermDates
    summer: TermDates
    closure_days: tuple[date, ...] = ()
    set_on: date

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


class AttendancePolicySet(Event):
    """A version of the council's attendance policy (thresholds and periods of the attendance
    alerts), in force from ``effective_from``."""

    event_type: ClassVar[str] = "AttendancePolicySet"

    effective_from: date
    persistent_absence_percent: int
    severe_absence_percent: int
    rolling_school_weeks: int
    minimum_possible_sessions: int
    unexplained_absences_in_a_row: int
    missing_education_school_days: int
    set_on: date

    def policy(self) -> AttendancePolicy:
        return AttendancePolicy.model_validate(self.model_dump(exclude={"set_on"}))

    def effective_on(self) -> date:
        return self.set_on


CONFIG_EVENTS: tuple[type[Event], ...] = (PepTermDatesSet, PepTimingPolicySet, AttendancePolicySet)
#: What the settings are folded from: this service's own stream and the council calendar.
SETTINGS_EVENTS: tuple[type[Event], ...] = (*CONFIG_EVENTS, *CALENDAR_EVENTS)


# --- commands ---------------------------------------------------------------------------------


class SetPepTimingPolicy(Command):
    policy: PepTimingPolicy
    set_on: date


class SetAttendancePolicy(Command):
    policy: AttendancePolicy
    set_on: date


# --- state ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilConfig:
    council: str = UNNAMED_COUNCIL
    term_years: dict[int, AcademicYearTerms] = field(default_factory=dict)
    policy_versions: dict[date, PepTimingPolicy] = field(default_factory=dict)
    attendance_policy_versions: dict[date, AttendancePolicy] = field(default_factory=dict)

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


    def attendance_policies(self) -> AttendancePolicies:
        """The council's attendance policy versions over the defaults, as ``timing_policies``."""
        versions = {version.effective_from: version for version in DEFAULT_ATTENDANCE_POLICY.versions}
        versions.update(self.attendance_policy_versions)
        return AttendancePolicies(versions=tuple(versions[day] for day in sorted(versions)))


NO_CONFIG = CouncilConfig()


# --- decide / evolve --------------------------------------------------------------------------


def decide(command: SetPepTimingPolicy | SetAttendancePolicy, state: CouncilConfig) -> list[Event]:
    if isinstance(command, SetPepTimingPolicy):
        return _set_policy(command, state)
    if isinstance(command, SetAttendancePolicy):
        if state.attendance_policy_versions.get(command.policy.effective_from) == command.policy:
            return []
        return [AttendancePolicySet(**command.policy.model_dump(), set_on=command.set_on)]
    raise TypeError(f"not a council settings command: {type(command).__name__}")


def _set_policy(command: SetPepTimingPolicy, state: CouncilConfig) -> list[Event]:
    policy = command.policy
    if state.policy_versions.get(policy.effective_from) == policy:
        return []
    return [PepTimingPolicySet(**policy.model_dump(), set_on=command.set_on)]


def evolve(state: CouncilConfig, event: Event) -> CouncilConfig:
    if isinstance(event, CouncilTermDatesSet):
        return replace(
            state,
            council=event.council,
            term_years={**state.term_years, event.academic_year: event.terms()},
        )
    if isinstance(event, PepTermDatesSet):
        return state  # retired: its years are in the council calendar
    if isinstance(event, PepTimingPolicySet):
        return replace(state, policy_versions={**state.policy_versions, event.effective_from: event.policy()})
    if isinstance(event, AttendancePolicySet):
        return replace(
            state,
            attendance_policy_versions={**state.attendance_policy_versions, event.effective_from: event.policy()},
        )
    raise TypeError(f"not a council settings event: {type(event).__name__}")


def fold(events: list[Event], state: CouncilConfig = NO_CONFIG) -> CouncilConfig:
    for event in events:
        state = evolve(state, event)
    return state
