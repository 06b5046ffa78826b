"""A child's data protection record (stream ``privacy-child:<id>``): the legal holds placed on
their records and lifted, and the erasure of their personal data (docs/privacy.md).

* A legal hold keeps the child's records whatever the retention schedule says (litigation, an
  inquiry, a complaint under investigation) until it is lifted. A child may have several; each
  is lifted on its own.
* An erasure is refused while any hold is in force. It names why: a retention rule of the
  schedule, which must have fallen due for the child (and be the rule their records are kept
  under), or ``erasure_request``, the child's right to erasure (UK GDPR Article 17), which the data
  protection officer has found applies.
* An erasure is final: once recorded, no hold can be placed and no second erasure recorded.
  Recording it is the decision; destroying the child's key, which makes every sealed field about
  them unreadable, follows it (``handlers.privacy``).

Holds and the erasure are events of one stream, each appended expecting the version decided on,
so a hold placed at the moment of an erasure is either seen by it (and the erasure refused) or
comes after it (and is refused): never both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum

from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Command, Event, child_subject
from shared.privacy.events import LegalHoldLifted, LegalHoldPlaced, PersonalDataErased

from .refusals import LegalHoldInForce, RetentionNotDue
from .retention import (
    ChildRecord,
    CountedFrom,
    RecordKind,
    RetentionRule,
    RetentionSchedule,
    RetentionSchedules,
)

PERSONAL_DATA_ERASED = "personal-data-erased"


class ErasureRule(StrEnum):
    """Why personal data is erased: the retention rule of the child's kind of record, fallen due,
    or a request under UK GDPR Article 17."""

    LOOKED_AFTER_CHILD = RecordKind.LOOKED_AFTER_CHILD.value
    PREVIOUSLY_LOOKED_AFTER_CHILD = RecordKind.PREVIOUSLY_LOOKED_AFTER_CHILD.value
    ERASURE_REQUEST = "erasure_request"


# -- state ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalHold:
    hold_id: str
    placed_on: date
    reason: str
    lifted_on: date | None = None
    lift_reason: str | None = None

    @property
    def in_force(self) -> bool:
        return self.lifted_on is None


@dataclass(frozen=True)
class Erasure:
    erased_on: date
    rule: str
    reason: str


@dataclass(frozen=True)
class DataProtectionRecord:
    """The child's holds, in the order placed, and their erasure if it has been recorded."""

    holds: Mapping[str, LegalHold] = field(default_factory=dict)
    erasure: Erasure | None = None

    @property
    def holds_in_force(self) -> tuple[LegalHold, ...]:
        return tuple(hold for hold in self.holds.values() if hold.in_force)


NO_RECORD = DataProtectionRecord()


# -- commands ---------------------------------------------------------------------------------


class PlaceLegalHold(Command):
    subject: str
    hold_id: str
    reason: str
    placed_on: date


class LiftLegalHold(Command):
    subject: str
    hold_id: str
    reason: str
    lifted_on: date


class ErasePersonalData(Command):
    subject: str
    rule: ErasureRule
    reason: str
    erased_on: date


# -- decide -----------------------------------------------------------------------------------


def place_legal_hold(command: PlaceLegalHold, record: DataProtectionRecord) -> list[Event]:
    reason = _reason(command.reason)
    _not_erased(command.subject, record, "no legal hold can be placed")
    if command.hold_id in record.holds:
        raise Conflict(f"a legal hold {command.hold_id} is already recorded", field="hold_id")
    return [
        LegalHoldPlaced(
            subject=command.subject, hold_id=command.hold_id, placed_on=command.placed_on, reason=reason
        )
    ]


def lift_legal_hold(command: LiftLegalHold, record: DataProtectionRecord) -> list[Event]:
    reason = _reason(command.reason)
    hold = record.holds.get(command.hold_id)
    if hold is None:
        raise NotFound(f"{command.subject} has no legal hold {command.hold_id}", field="hold_id")
    if hold.lifted_on is not None:
        raise Conflict(f"the legal hold {hold.hold_id} was lifted on {hold.lifted_on}", field="hold_id")
    if command.lifted_on < hold.placed_on:
        raise InvalidInput(
            f"the legal hold was placed on {hold.placed_on}, after that day", field="lifted_on"
        )
    return [
        LegalHoldLifted(
            subject=command.subject, hold_id=hold.hold_id, lifted_on=command.lifted_on, reason=reason
        )
    ]


def erase_personal_data(
    command: ErasePersonalData,
    record: DataProtectionRecord,
    *,
    child: ChildRecord,
    schedules: RetentionSchedules,
) -> list[Event]:
    """Erase the child's personal data: refused once erased, while a legal hold is in force, and
    under a retention rule that is not the child's or has not fallen due by the day of erasure."""
    reason = _reason(command.reason)
    _not_erased(command.subject, record, "it cannot be erased again")
    held = record.holds_in_force
    if held:
        raise LegalHoldInForce(
            f"{command.subject} is under {_count(len(held), 'legal hold')} "
            f"({', '.join(f'{h.hold_id}, placed on {h.placed_on}' for h in held)}): lift "
            f"{'it' if len(held) == 1 else 'them'} before erasing"
        )
    if command.rule is not ErasureRule.ERASURE_REQUEST:
        rule, due_on = _retention_due(
            child, schedules.in_force_on(command.erased_on), RecordKind(command.rule)
        )
        if due_on > command.erased_on:
            raise RetentionNotDue(
                f"under {rule.record.value} ({rule.keep_for_years} years from the {_from(rule)}) the records "
                f"of {command.subject} fall due for erasure on {due_on}",
                field="rule",
            )
    return [
        PersonalDataErased(
            subject=command.subject, erased_on=command.erased_on, rule=command.rule.value, reason=reason
        )
    ]


def _retention_due(
    child: ChildRecord, schedule: RetentionSchedule, kind: RecordKind
) -> tuple[RetentionRule, date]:
    subject = child_subject(child.child_id)
    falls_due = schedule.falls_due(child)
    if falls_due is None:
        raise RetentionNotDue(
            f"no retention rule applies to {subject}: the log records no entry into care and no "
            "registration as previously looked after; erase under erasure_request if the right to "
            "erasure applies",
            field="rule",
        )
    rule, due_on = falls_due
    if rule.record is not kind:
        raise RetentionNotDue(
            f"the records of {subject} are kept under {rule.record.value}, not {kind.value}", field="rule"
        )
    if due_on is None:
        raise RetentionNotDue(
            f"{rule.record.value} counts from the {_from(rule)}, which the log does not record for "
            f"{subject}, so it has not fallen due",
            field="rule",
        )
    return rule, due_on


def _from(rule: RetentionRule) -> str:
    return "date of birth" if rule.counted_from is CountedFrom.DATE_OF_BIRTH else "day the child left care"


def _not_erased(subject: str, record: DataProtectionRecord, consequence: str) -> None:
    if record.erasure is not None:
        raise Conflict(
            f"the personal data of {subject} was erased on {record.erasure.erased_on}: {consequence}",
            problem_type=PERSONAL_DATA_ERASED,
        )


def _reason(text: str) -> str:
    reason = text.strip()
    if not reason:
        raise InvalidInput("say why", field="reason")
    return reason


def _count(n: int, thing: str) -> str:
    return f"a {thing}" if n == 1 else f"{n} {thing}s"


# -- evolve -----------------------------------------------------------------------------------


def evolve(record: DataProtectionRecord, event: Event) -> DataProtectionRecord:
    if isinstance(event, LegalHoldPlaced):
        hold = LegalHold(hold_id=event.hold_id, placed_on=event.placed_on, reason=event.reason)
        return replace(record, holds={**record.holds, event.hold_id: hold})
    if isinstance(event, LegalHoldLifted):
        lifted = replace(record.holds[event.hold_id], lifted_on=event.lifted_on, lift_reason=event.reason)
        return replace(record, holds={**record.holds, event.hold_id: lifted})
    if isinstance(event, PersonalDataErased):
        return replace(
            record, erasure=Erasure(erased_on=event.erased_on, rule=event.rule, reason=event.reason)
        )
    raise TypeError(f"not a data protection event: {type(event).__name__}")


# -- the children due for erasure -------------------------------------------------------------


@dataclass(frozen=True)
class DueForErasure:
    """A child whose records have fallen due under the schedule, and the holds that stop their
    erasure (none: the data protection officer may erase them)."""

    child_id: str
    rule: RetentionRule
    due_on: date
    holds_in_force: tuple[str, ...] = ()

    @property
    def held(self) -> bool:
        return bool(self.holds_in_force)


def due_for_erasure(
    children: Iterable[ChildRecord],
    records: Mapping[str, DataProtectionRecord],
    schedules: RetentionSchedules,
    on: date,
) -> list[DueForErasure]:
    """The children whose records fall due on or before ``on`` under the schedule in force that
    day, by due date then child; children already erased are not among them. ``records`` are the
    children's data protection records by subject (``child:<id>``)."""
    schedule = schedules.in_force_on(on)
    due: list[DueForErasure] = []
    for child in children:
        record = records.get(child_subject(child.child_id), NO_RECORD)
        falls_due = schedule.falls_due(child)
        if record.erasure is not None or falls_due is None:
            continue
        rule, due_on = falls_due
        if due_on is not None and due_on <= on:
            due.append(
                DueForErasure(child.child_id, rule, due_on, tuple(h.hold_id for h in record.holds_in_force))
            )
    return sorted(due, key=lambda d: (d.due_on, d.child_id))
