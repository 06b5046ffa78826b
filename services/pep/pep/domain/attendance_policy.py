"""The council's attendance policy: the thresholds and periods its attendance alerts are raised on.

domain.md section 6 fixes the measures (persistently absent: 10% or more of possible sessions
missed; severely absent: 50% or more); *Working together to improve school attendance* (August
2024) leaves to schools and councils how soon they act on a pattern. So each of these is the
council's choice, versioned by the date it takes effect, like the PEP timing policy
(``timing.PepTimingPolicies``); the version in force on the day of the latest mark applies. The
defaults (``DEFAULT_ATTENDANCE_POLICY``):

* ``persistent_absence_percent`` 10 and ``severe_absence_percent`` 50 - the national measures;
* ``rolling_school_weeks`` 6 - the rolling measure covers the child's last six school weeks (the
  weeks, Monday to Sunday, in which a school marked them: holidays are not counted), about half a
  term;
* ``minimum_possible_sessions`` 10 - a threshold alert waits until the period holds at least one
  school week of possible sessions, so one absent morning on the first day of term is not
  "severe absence";
* ``unexplained_absences_in_a_row`` 10 - ten possible sessions in a row (five school days) marked
  as unauthorised absence (``N`` reason not yet given, ``O``, ``G``, ``U``) alert the virtual
  school and the social worker; sessions not counted (a closure, ``X``) neither break nor extend
  the run;
* ``missing_education_school_days`` 10 - a child on roll with no mark from any school for ten
  school days may be missing education (the threshold of continuous absence in DfE *Children
  missing education*, 2016, for schools to make enquiries with the council).
"""

from __future__ import annotations

from datetime import date
from functools import cached_property

from pydantic import BaseModel, ConfigDict, model_validator

from shared.errors import InvalidInput, RuleViolation


class AttendancePolicySettings(BaseModel):
    # What the virtual school head chooses, with the defaults; the API's body takes exactly these.
    effective_from: date
    persistent_absence_percent: int = 10
    severe_absence_percent: int = 50
    rolling_school_weeks: int = 6
    minimum_possible_sessions: int = 10
    unexplained_absences_in_a_row: int = 10
    missing_education_school_days: int = 10


class AttendancePolicy(AttendancePolicySettings):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @model_validator(mode="after")
    def _check(self) -> AttendancePolicy:
        for name in ("persistent_absence_percent", "severe_absence_percent"):
            if not 1 <= getattr(self, name) <= 100:
                raise InvalidInput("a threshold is a percentage from 1 to 100", field=name)
        if self.severe_absence_percent <= self.persistent_absence_percent:
            raise InvalidInput(
                "severe absence is a higher share of sessions missed than persistent absence",
                field="severe_absence_percent",
            )
        for name in (
            "rolling_school_weeks",
            "minimum_possible_sessions",
            "unexplained_absences_in_a_row",
            "missing_education_school_days",
        ):
            if getattr(self, name) < 1:
                raise InvalidInput("must be at least 1", field=name)
        return self


class AttendancePolicies(BaseModel):
    """The versions of the council's attendance policy, each in force from its ``effective_from``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    versions: tuple[AttendancePolicy, ...]

    def in_force_on(self, day: date) -> AttendancePolicy:
        try:
            return self._in_force[day]
        except KeyError:
            pass
        candidates = [version for version in self.versions if version.effective_from <= day]
        if not candidates:
            raise RuleViolation(f"no attendance policy was in force on {day}", field="effective_from")
        policy = self._in_force[day] = max(candidates, key=lambda version: version.effective_from)
        return policy

    @cached_property
    def _in_force(self) -> dict[date, AttendancePolicy]:
        return {}


# In force for all the history a council holds, until it sets its own.
DEFAULT_ATTENDANCE_POLICY = AttendancePolicies(versions=(AttendancePolicy(effective_from=date(2000, 1, 1)),))
