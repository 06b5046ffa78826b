"""A school's work with the DfE's RISE team: one stream per school, ``rise-<urn>``.

RISE (Regional Improvement for Standards and Excellence, 2025) sends an improvement adviser to
schools the DfE judges stuck (domain.md section 7), with an improvement plan and targeted funding,
and gives the school about eighteen months to improve. The council keeps a record of each
engagement against the school - who the RISE adviser is, the plan (its text or the DfE's
reference), the funding awarded, when it started, when it is planned to end, when it ended and
with what outcome - beside its own categorisation and support, so the principal adviser sees both.

A school works with one RISE adviser at a time: a new engagement starts once the last has ended.
The plan and the funding may be recorded when the engagement starts or later, and changed while
it runs (the latest recorded stands); nothing changes once it has ended.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import ClassVar

from schools.domain.checks import not_in_future, required_text
from schools.domain.register import School, open_on, registered
from schools.domain.school_events import RecordedFields, SchoolCommand, SchoolEvent
from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Event

#: The DfE describes RISE's targeted support as lasting about eighteen months; a planned end
#: further off than three years is almost certainly a mistyped year.
LONGEST_PLANNED_DAYS = 3 * 366
#: Funding is recorded in whole pence; a single school's RISE grant is far below £10 million.
MOST_FUNDING_PENCE = 10_000_000_00


def rise_stream(urn: str) -> str:
    return f"rise-{urn}"


class RiseOutcome(StrEnum):
    IMPROVED = "improved"  # the school is no longer stuck: its inspection or the DfE's review says so
    PARTLY_IMPROVED = "partly_improved"
    NOT_IMPROVED = "not_improved"
    WITHDRAWN = "withdrawn"  # the engagement ended early (the school closed, converted or declined)


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------


class RiseEngagementFacts(RecordedFields):
    """An engagement as the council records its start."""

    engagement_id: str
    adviser: str
    started_on: date
    planned_end_on: date


class RiseEngagementStarted(RiseEngagementFacts, SchoolEvent):
    """The school began work with a RISE adviser on ``started_on``, planned to end on
    ``planned_end_on``; ``recorded_by`` is the council officer who recorded it."""

    event_type: ClassVar[str] = "RiseEngagementStarted"
    effective_field: ClassVar[str] = "started_on"

    recorded_by: str


class RiseImprovementPlanRecorded(SchoolEvent):
    """The engagement's improvement plan, as text or the DfE's reference to it; replaces any
    recorded before."""

    event_type: ClassVar[str] = "RiseImprovementPlanRecorded"
    effective_field: ClassVar[str] = "recorded_on"

    engagement_id: str
    plan: str
    recorded_by: str
    recorded_on: date


class RiseFundingRecorded(SchoolEvent):
    """The funding awarded to the school for the engagement, in pence; replaces any recorded before."""

    event_type: ClassVar[str] = "RiseFundingRecorded"
    effective_field: ClassVar[str] = "recorded_on"

    engagement_id: str
    amount_pence: int
    recorded_by: str
    recorded_on: date


class RiseEngagementEnded(SchoolEvent):
    """The engagement ended on ``ended_on`` with ``outcome``, summed up in ``summary``."""

    event_type: ClassVar[str] = "RiseEngagementEnded"
    effective_field: ClassVar[str] = "ended_on"

    engagement_id: str
    ended_on: date
    outcome: RiseOutcome
    summary: str
    recorded_by: str


RISE_EVENTS: tuple[type[Event], ...] = (
    RiseEngagementStarted,
    RiseImprovementPlanRecorded,
    RiseFundingRecorded,
    RiseEngagementEnded,
)


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


class StartRiseEngagement(RiseEngagementFacts, SchoolCommand):
    """Record that the school began work with a RISE adviser; the plan and funding if known."""

    plan: str | None = None
    amount_pence: int | None = None
    recorded_by: str
    recorded_on: date


class RecordRisePlan(SchoolCommand):
    engagement_id: str
    plan: str
    recorded_by: str
    recorded_on: date


class RecordRiseFunding(SchoolCommand):
    engagement_id: str
    amount_pence: int
    recorded_by: str
    recorded_on: date


class EndRiseEngagement(SchoolCommand):
    engagement_id: str
    ended_on: date
    outcome: RiseOutcome
    summary: str
    recorded_by: str
    recorded_on: date


RiseCommand = StartRiseEngagement | RecordRisePlan | RecordRiseFunding | EndRiseEngagement


# ---------------------------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RiseEngagement:
    engagement_id: str
    adviser: str
    started_on: date
    planned_end_on: date
    plan: str | None = None
    amount_pence: int | None = None
    ended_on: date | None = None
    outcome: RiseOutcome | None = None
    summary: str | None = None

    @property
    def under_way(self) -> bool:
        return self.ended_on is None


@dataclass(frozen=True)
class RiseRecord:
    """A school's RISE engagements in the order they started."""

    engagements: tuple[RiseEngagement, ...] = ()

    def find(self, engagement_id: str) -> RiseEngagement | None:
        return next((e for e in self.engagements if e.engagement_id == engagement_id), None)

    def current(self) -> RiseEngagement | None:
        """The engagement under way, if any."""
        return next((e for e in self.engagements if e.under_way), None)

    def _with(self, engagement_id: str, **changes: object) -> RiseRecord:
        return RiseRecord(
            engagements=tuple(
                replace(e, **changes) if e.engagement_id == engagement_id else e for e in self.engagements
            )
        )


NO_RISE = RiseRecord()


def evolve(record: RiseRecord, event: Event) -> RiseRecord:
    match event:
        case RiseEngagementStarted():
            started = RiseEngagement(
                engagement_id=event.engagement_id,
                adviser=event.adviser,
                started_on=event.started_on,
                planned_end_on=event.planned_end_on,
            )
            return RiseRecord(engagements=(*record.engagements, started))
        case RiseImprovementPlanRecorded():
            return record._with(event.engagement_id, plan=event.plan)
        case RiseFundingRecorded():
            return record._with(event.engagement_id, amount_pence=event.amount_pence)
        case RiseEngagementEnded():
            return record._with(
                event.engagement_id, ended_on=event.ended_on, outcome=event.outcome, summary=event.summary
            )
    return record


# ---------------------------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------------------------


def decide(command: RiseCommand, record: RiseRecord, *, school: School) -> list[Event]:
    """``school`` is the register entry: an engagement is with a registered school, open when it
    starts. A plan or funding the same as the one recorded appends nothing."""
    registered(school, command.urn)
    match command:
        case StartRiseEngagement():
            return _start(command, record, school)
        case RecordRisePlan():
            engagement = _running(record, command.engagement_id)
            plan = required_text(command.plan, "plan")
            if engagement.plan == plan:
                return []
            return [
                RiseImprovementPlanRecorded(
                    urn=command.urn,
                    engagement_id=engagement.engagement_id,
                    plan=plan,
                    recorded_by=command.recorded_by,
                    recorded_on=command.recorded_on,
                )
            ]
        case RecordRiseFunding():
            engagement = _running(record, command.engagement_id)
            amount = _pence(command.amount_pence)
            if engagement.amount_pence == amount:
                return []
            return [
                RiseFundingRecorded(
                    urn=command.urn,
                    engagement_id=engagement.engagement_id,
                    amount_pence=amount,
                    recorded_by=command.recorded_by,
                    recorded_on=command.recorded_on,
                )
            ]
        case EndRiseEngagement():
            return _end(command, record)
    raise TypeError(f"not a RISE command: {type(command).__name__}")


def _start(command: StartRiseEngagement, record: RiseRecord, school: School) -> list[Event]:
    engagement_id = required_text(command.engagement_id, "engagement_id")
    if record.find(engagement_id) is not None:
        raise Conflict(f"RISE engagement {engagement_id} is already recorded", field="engagement_id")
    current = record.current()
    if current is not None:
        raise RuleViolation(
            f"the school is working with RISE already (engagement {current.engagement_id}, since "
            f"{current.started_on.isoformat()}): record its end first",
            field="engagement_id",
        )
    not_in_future(command.started_on, command.recorded_on, "started_on")
    open_on(school, command.started_on, "started_on")
    last = record.engagements[-1] if record.engagements else None
    if last is not None and last.ended_on is not None and command.started_on < last.ended_on:
        raise InvalidInput(
            f"the last RISE engagement ended on {last.ended_on.isoformat()}: a new one starts after it",
            field="started_on",
        )
    if command.planned_end_on <= command.started_on:
        raise InvalidInput("the planned end comes after the start", field="planned_end_on")
    if (command.planned_end_on - command.started_on).days > LONGEST_PLANNED_DAYS:
        raise InvalidInput(
            "RISE support is planned for about eighteen months: a planned end more than three years "
            "after the start is not accepted",
            field="planned_end_on",
        )
    common = {"urn": command.urn, "engagement_id": engagement_id, "recorded_by": command.recorded_by}
    events: list[Event] = [
        RiseEngagementStarted(
            **common,
            adviser=required_text(command.adviser, "adviser"),
            started_on=command.started_on,
            planned_end_on=command.planned_end_on,
        )
    ]
    if command.plan is not None:
        plan = required_text(command.plan, "plan")
        events.append(RiseImprovementPlanRecorded(**common, plan=plan, recorded_on=command.recorded_on))
    if command.amount_pence is not None:
        amount = _pence(command.amount_pence)
        events.append(RiseFundingRecorded(**common, amount_pence=amount, recorded_on=command.recorded_on))
    return events


def _end(command: EndRiseEngagement, record: RiseRecord) -> list[Event]:
    engagement = _found(record, command.engagement_id)
    summary = required_text(command.summary, "summary")
    if engagement.ended_on is not None:
        ended = (engagement.ended_on, engagement.outcome, engagement.summary)
        if ended == (command.ended_on, command.outcome, summary):
            return []
        raise Conflict(
            f"RISE engagement {engagement.engagement_id} ended on {engagement.ended_on.isoformat()}",
            field="engagement_id",
        )
    not_in_future(command.ended_on, command.recorded_on, "ended_on")
    if command.ended_on < engagement.started_on:
        raise InvalidInput(
            f"the engagement started on {engagement.started_on.isoformat()}: it ends on or after that",
            field="ended_on",
        )
    return [
        RiseEngagementEnded(
            urn=command.urn,
            engagement_id=engagement.engagement_id,
            ended_on=command.ended_on,
            outcome=command.outcome,
            summary=summary,
            recorded_by=command.recorded_by,
        )
    ]


def _found(record: RiseRecord, engagement_id: str) -> RiseEngagement:
    engagement = record.find(engagement_id)
    if engagement is None:
        raise NotFound(
            f"no RISE engagement {engagement_id} is recorded for this school", field="engagement_id"
        )
    return engagement


def _running(record: RiseRecord, engagement_id: str) -> RiseEngagement:
    engagement = _found(record, engagement_id)
    if engagement.ended_on is not None:
        raise RuleViolation(
            f"RISE engagement {engagement_id} ended on {engagement.ended_on.isoformat()}: "
            "its record is closed",
            field="engagement_id",
        )
    return engagement


def _pence(amount: int) -> int:
    if not 0 <= amount <= MOST_FUNDING_PENCE:
        raise InvalidInput(
            f"funding is a number of pence from 0 to {MOST_FUNDING_PENCE}", field="amount_pence"
        )
    return amount
