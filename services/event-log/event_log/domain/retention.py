"""The council's retention schedule: how long each kind of child's record is kept, and so the day
it falls due for erasure (docs/privacy.md).

A schedule has one rule for each kind of record the virtual school keeps:

* ``looked_after_child`` - a child who entered the council's care (``ChildEnteredCare`` on their
  child stream), at any time, whatever happened since;
* ``previously_looked_after_child`` - a child registered for advice only
  (``PreviouslyLookedAfterChildRegistered``), never in this council's care.

Each rule says how long (whole years), from when (the child's date of birth, or the day they
last left care) and its source. A schedule is a policy with versions, like the council's other
policies (the PEP timing policy): each version is in force from its ``effective_from``, and setting
a version for the same date again replaces it. Until the council sets its own, and on every day
before its first version takes effect, ``DEFAULT_RETENTION_SCHEDULE`` applies:

* a looked-after child's records until their 75th birthday: The Care Planning, Placement and Case
  Review (England) Regulations 2010, regulation 50 (the case record, of which the care plan and so
  the PEP is part, is kept until the 75th anniversary of the child's birth);
* a previously looked-after child's until their date of birth + 25 years, as the IRMS Information
  Management Toolkit for Schools keeps a pupil's educational record.

The schedule says when a record *may* be erased; erasing it is the data protection officer's
decision (``protection.erase_personal_data``), and a legal hold stops it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import MAXYEAR, date
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.errors import InvalidInput
from shared.events import Command, Event

#: The council's retention schedule: one stream, like the council's other settings.
RETENTION_CATEGORY = "retention"
RETENTION_STREAM = f"{RETENTION_CATEGORY}-council"
#: The most years a rule may keep a record: longer than any statutory period, and never past the
#: calendar's end from any date of birth the services hold.
MAX_YEARS = 150

CARE_PLANNING_REGULATIONS_2010 = (
    "The Care Planning, Placement and Case Review (England) Regulations 2010, regulation 50: a "
    "looked-after child's case record, the care plan and so the PEP with it, is kept until the 75th "
    "anniversary of the child's date of birth"
)
IRMS_SCHOOLS_TOOLKIT = (
    "IRMS Information Management Toolkit for Schools: a pupil's educational record is kept until "
    "the pupil's date of birth + 25 years"
)


class RecordKind(StrEnum):
    """The kinds of child's record a retention rule is set for."""

    LOOKED_AFTER_CHILD = "looked_after_child"
    PREVIOUSLY_LOOKED_AFTER_CHILD = "previously_looked_after_child"


class CountedFrom(StrEnum):
    """The day a retention period is counted from."""

    DATE_OF_BIRTH = "date_of_birth"
    LEFT_CARE = "left_care"


class RetentionRule(BaseModel):
    """Keep a kind of record ``keep_for_years`` from the day named by ``counted_from``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    record: RecordKind
    keep_for_years: int = Field(ge=1, le=MAX_YEARS)
    counted_from: CountedFrom
    source: str = Field(description="the law, guidance or council decision the rule comes from")

    def due_on(self, child: ChildRecord) -> date | None:
        """The day the child's records fall due for erasure under this rule; None while the day
        it counts from is not known (no date of birth recorded, or the child is still in care)."""
        start = child.date_of_birth if self.counted_from is CountedFrom.DATE_OF_BIRTH else child.left_care_on
        return None if start is None else anniversary(start, self.keep_for_years)


def anniversary(day: date, years: int) -> date | None:
    """The day ``years`` after ``day``. From 29 February it is 1 March in a year without one: a
    record is never erased before the full period has run. None past the calendar's last year."""
    year = day.year + years
    if year > MAXYEAR:
        return None
    try:
        return day.replace(year=year)
    except ValueError:
        return date(year, 3, 1)


class RetentionSchedule(BaseModel):
    """One version of the schedule: a rule for every kind of record, in force from
    ``effective_from`` (None for the default, in force until the council's first version)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    effective_from: date | None = None
    rules: tuple[RetentionRule, ...]

    @model_validator(mode="after")
    def _one_rule_for_each_kind(self) -> RetentionSchedule:
        seen: set[RecordKind] = set()
        for index, rule in enumerate(self.rules):
            if rule.record in seen:
                raise InvalidInput(
                    f"the schedule has two rules for {rule.record.value}", field=f"rules[{index}].record"
                )
            seen.add(rule.record)
        missing = [kind.value for kind in RecordKind if kind not in seen]
        if missing:
            raise InvalidInput(f"the schedule needs a rule for {', '.join(missing)}", field="rules")
        for index, rule in enumerate(self.rules):
            if not rule.source.strip():
                raise InvalidInput("say where the rule comes from", field=f"rules[{index}].source")
        return self

    def rule_for(self, kind: RecordKind) -> RetentionRule:
        return next(rule for rule in self.rules if rule.record is kind)

    def falls_due(self, child: ChildRecord) -> tuple[RetentionRule, date | None] | None:
        """The rule the child's records are kept under and the day it falls due (None while that
        is not known); None when no rule applies (never in care, never registered)."""
        if child.kind is None:
            return None
        rule = self.rule_for(child.kind)
        return rule, rule.due_on(child)


DEFAULT_RETENTION_SCHEDULE = RetentionSchedule(
    rules=(
        RetentionRule(
            record=RecordKind.LOOKED_AFTER_CHILD,
            keep_for_years=75,
            counted_from=CountedFrom.DATE_OF_BIRTH,
            source=CARE_PLANNING_REGULATIONS_2010,
        ),
        RetentionRule(
            record=RecordKind.PREVIOUSLY_LOOKED_AFTER_CHILD,
            keep_for_years=25,
            counted_from=CountedFrom.DATE_OF_BIRTH,
            source=IRMS_SCHOOLS_TOOLKIT,
        ),
    )
)


# -- what the schedule needs to know of a child -------------------------------------------------

# The pep service's events (pep/domain/child_events.py) this reads, by name and field: services
# talk through the log, never through each other's code.
ENTERED_CARE = "ChildEnteredCare"
LEFT_CARE = "ChildLeftCare"
REGISTERED_PREVIOUSLY_LOOKED_AFTER = "PreviouslyLookedAfterChildRegistered"
DATE_OF_BIRTH = "date_of_birth"


@dataclass(frozen=True)
class ChildRecord:
    """A child as the retention schedule sees them: which kind of record the council keeps, their
    date of birth and the day they last left care (None while in care, or never in care)."""

    child_id: str
    kind: RecordKind | None = None
    date_of_birth: date | None = None
    left_care_on: date | None = None


def child_record(child_id: str, events: Iterable[tuple[str, Mapping[str, Any]]]) -> ChildRecord:
    """The child's record from their child stream's events, in order, as ``(type, data)`` with the
    personal fields opened. The date of birth is the last one recorded (an event that corrects it
    carries it again). Once the child's key is destroyed every date of birth reads as None, and so
    the record has none."""
    entered_care = registered = False
    date_of_birth: date | None = None
    left_care_on: date | None = None
    for event_type, data in events:
        if data.get(DATE_OF_BIRTH) is not None:
            date_of_birth = _day(data[DATE_OF_BIRTH])
        if event_type == ENTERED_CARE:
            entered_care, left_care_on = True, None
        elif event_type == LEFT_CARE:
            left_care_on = _day(data["left_care_on"])
        elif event_type == REGISTERED_PREVIOUSLY_LOOKED_AFTER:
            registered = True
            if not entered_care:
                left_care_on = _day(data["left_care_on"])
    kind: RecordKind | None = None
    if entered_care:
        kind = RecordKind.LOOKED_AFTER_CHILD
    elif registered:
        kind = RecordKind.PREVIOUSLY_LOOKED_AFTER_CHILD
    return ChildRecord(child_id, kind, date_of_birth, left_care_on)


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


# -- the versions: events, command, state, decide, evolve -------------------------------------


class RetentionScheduleSet(Event):
    """A version of the council's retention schedule, in force from ``effective_from``; a version
    set again for the same date replaces it."""

    event_type: ClassVar[str] = "RetentionScheduleSet"

    effective_from: date
    rules: tuple[RetentionRule, ...]
    set_on: date

    def schedule(self) -> RetentionSchedule:
        return RetentionSchedule(effective_from=self.effective_from, rules=self.rules)

    def effective_on(self) -> date:
        return self.set_on


class SetRetentionSchedule(Command):
    schedule: RetentionSchedule
    set_on: date


@dataclass(frozen=True)
class RetentionSchedules:
    """The versions the council has set, by the day each takes effect."""

    versions: Mapping[date, RetentionSchedule] = field(default_factory=dict)

    def in_force_on(self, day: date) -> RetentionSchedule:
        """The council's latest version in force on the day, or the default before any is."""
        started = [effective_from for effective_from in self.versions if effective_from <= day]
        return self.versions[max(started)] if started else DEFAULT_RETENTION_SCHEDULE

    def in_order(self) -> tuple[RetentionSchedule, ...]:
        return tuple(self.versions[day] for day in sorted(self.versions))


NO_SCHEDULES = RetentionSchedules()


def decide(command: SetRetentionSchedule, schedules: RetentionSchedules) -> list[Event]:
    """Set a version; the same version again appends nothing."""
    schedule = command.schedule
    if schedule.effective_from is None:
        raise InvalidInput("say from which day the schedule is in force", field="effective_from")
    if schedules.versions.get(schedule.effective_from) == schedule:
        return []
    return [
        RetentionScheduleSet(
            effective_from=schedule.effective_from, rules=schedule.rules, set_on=command.set_on
        )
    ]


def evolve(schedules: RetentionSchedules, event: Event) -> RetentionSchedules:
    if isinstance(event, RetentionScheduleSet):
        return replace(schedules, versions={**schedules.versions, event.effective_from: event.schedule()})
    raise TypeError(f"not a retention schedule event: {type(event).__name__}")
