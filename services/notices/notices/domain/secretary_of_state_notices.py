"""The Secretary of State's warning notices to a school, as the council was told of them, and the
Secretary of State's permission for the council to give its own: stream ``sosnotices-<urn>``.

Since 18 April 2016 s60 of the Education and Inspections Act 2006, as amended by s2 of the
Education and Adoption Act 2016, lets either "relevant authority" give a maintained school's
governing body a warning notice: the council or the Secretary of State (in practice a DfE
regional director; domain.md section 7). The Secretary of State's notice is not the council's
act, so the council records it as a fact it was told of: who gave it, on what day, the day the
council was told, its grounds and the compliance period it sets. Two rules follow from it:

* the bar, s60(4A): "If a local authority are notified that the Secretary of State has given a
  warning notice to the governing body of a maintained school the local authority may not give
  a warning notice unless or until the Secretary of State informs them that they may." The bar
  runs from the day the council was told and, as the subsection reads, does not end with the
  Secretary of State's notice: only the Secretary of State's permission lifts it
  (``CouncilPermittedToGiveWarningNotice``), and a later notice of the Secretary of State's bars
  the council again;
* supersession, s60(4B): "If the Secretary of State gives a warning notice to the governing body
  of a maintained school, any earlier warning notice given to the maintained school by the local
  authority ceases to have effect from that time." It runs from the day the Secretary of State
  gave the notice, whenever the council hears of it. The subsection gives a time, not a day;
  the days are all the log keeps, so a council notice given on the same day as the Secretary of
  State's is taken as the earlier one.

Source: the text of s2 of the 2016 Act as legislation.gov.uk publishes it (ukpga/2016/6/section/2),
read through a search index because the site itself could not be reached. The Secretary of
State's power is in the amended s60 itself ("relevant authority"), not in a section of its own:
s60A of the 2006 Act is the teachers' pay and conditions warning notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from shared.errors import Conflict, InvalidInput
from shared.events import Command, Event

from . import dates
from .checks import not_before, not_in_future, require_text
from .event_base import SchoolEvent
from .recipients import Recipient, warning_notice_recipients
from .refusals import OutsideStatutoryPeriod, SecretaryOfStateNoticeStands
from .rules import RuleBook
from .school_facts import SchoolFacts, require_open_maintained_school
from .vocabulary import CompliancePeriod, Ground, NoticeGiver
from .warning_notice_events import WarningNoticeSuperseded
from .warning_notice_state import IN_EFFECT_STAGES, WarningNotice
from .working_days import WorkingDayCalendar


def secretary_of_state_notices_stream(urn: str) -> str:
    return f"sosnotices-{urn}"


# Events -----------------------------------------------------------------------------------


class SecretaryOfStateWarningNoticeRecorded(SchoolEvent):
    """The Secretary of State gave the school's governing body a warning notice (s60 of the
    Education and Inspections Act 2006 as amended by the Education and Adoption Act 2016), and
    the council records it as it was told: who gave it (in practice a DfE regional director),
    the day it was given, the day the council was told, its grounds, the compliance period it
    sets, and the copies the Act requires the Secretary of State to give (the rule set's
    ``copies_of_secretary_of_state_notice``). From ``told_on`` the council may not give its own
    warning notice to the school until the Secretary of State permits it; every council notice
    given on or before ``given_on`` and still in effect ceased to have effect that day
    (``WarningNoticeSuperseded`` on its stream, in the same append)."""

    event_type: ClassVar[str] = "SecretaryOfStateWarningNoticeRecorded"

    notice_id: str
    """The id the council records the notice under."""
    school_name: str
    given_by: NoticeGiver = NoticeGiver.SECRETARY_OF_STATE
    giver_name: str
    """Who gave it for the Secretary of State, e.g. "Regional Director, South East"."""
    reference: str | None = None
    """The Department's own reference for the notice, if it gave one."""
    given_on: date
    told_on: date
    rules: str
    """The key of the regime in force on ``given_on``."""
    grounds: tuple[Ground, ...]
    compliance_period: CompliancePeriod
    compliance_period_ends_on: date
    copies: tuple[Recipient, ...]
    """The governing body, then everyone the Act requires the Secretary of State to copy it to."""
    superseded_notice_ids: tuple[str, ...] = ()
    """The council's notices that ceased to have effect because of it."""

    def effective_on(self) -> date | None:
        return self.given_on


class CouncilPermittedToGiveWarningNotice(SchoolEvent):
    """The Secretary of State informed the council that it may give the school a warning notice of
    its own, lifting the bar of s60(4A) for the Secretary of State's notices the council had been
    told of by then."""

    event_type: ClassVar[str] = "CouncilPermittedToGiveWarningNotice"

    permitted_on: date
    permitted_by: str
    """Who informed the council for the Secretary of State."""

    def effective_on(self) -> date | None:
        return self.permitted_on


SECRETARY_OF_STATE_NOTICE_EVENTS = (
    SecretaryOfStateWarningNoticeRecorded,
    CouncilPermittedToGiveWarningNotice,
)


# State ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SecretaryOfStateNotice:
    notice_id: str
    giver_name: str
    reference: str | None
    given_on: date
    told_on: date
    rules: str
    grounds: tuple[Ground, ...]
    compliance_period_ends_on: date
    copies: tuple[Recipient, ...]
    superseded_notice_ids: tuple[str, ...]


@dataclass(frozen=True)
class Permission:
    permitted_on: date
    permitted_by: str


@dataclass(frozen=True)
class SecretaryOfStateNotices:
    urn: str | None = None
    school_name: str = ""
    notices: tuple[SecretaryOfStateNotice, ...] = ()
    permissions: tuple[Permission, ...] = ()

    def notice(self, notice_id: str) -> SecretaryOfStateNotice | None:
        return next((n for n in self.notices if n.notice_id == notice_id), None)

    def barring_notice(self, day: date) -> SecretaryOfStateNotice | None:
        """The Secretary of State's notice that bars the council from giving its own on ``day``:
        the last the council had been told of by then, unless the Secretary of State permitted the
        council to give one on or after the day it was told (and by ``day``)."""
        told = [n for n in self.notices if n.told_on <= day]
        if not told:
            return None
        latest = max(told, key=lambda n: n.told_on)
        if any(latest.told_on <= p.permitted_on <= day for p in self.permissions):
            return None
        return latest

    def superseding(self, council_notice_given_on: date) -> SecretaryOfStateNotice | None:
        """The first Secretary of State's notice given on or after the day a council notice was
        given: the one that made it cease to have effect."""
        later = [n for n in self.notices if n.given_on >= council_notice_given_on]
        return min(later, key=lambda n: n.given_on) if later else None


NO_SECRETARY_OF_STATE_NOTICES = SecretaryOfStateNotices()


def evolve(state: SecretaryOfStateNotices, event: Event) -> SecretaryOfStateNotices:
    match event:
        case SecretaryOfStateWarningNoticeRecorded():
            notice = SecretaryOfStateNotice(
                notice_id=event.notice_id,
                giver_name=event.giver_name,
                reference=event.reference,
                given_on=event.given_on,
                told_on=event.told_on,
                rules=event.rules,
                grounds=event.grounds,
                compliance_period_ends_on=event.compliance_period_ends_on,
                copies=event.copies,
                superseded_notice_ids=event.superseded_notice_ids,
            )
            return replace(
                state, urn=event.urn, school_name=event.school_name, notices=(*state.notices, notice)
            )
        case CouncilPermittedToGiveWarningNotice():
            permission = Permission(permitted_on=event.permitted_on, permitted_by=event.permitted_by)
            return replace(state, urn=event.urn, permissions=(*state.permissions, permission))
        case _:
            return state


# Rules the council's own notices follow ---------------------------------------------------


def require_council_may_give(state: SecretaryOfStateNotices, given_on: date, school_name: str) -> None:
    """Refuse a council warning notice given on ``given_on`` while the bar of s60(4A) stands."""
    barring = state.barring_notice(given_on)
    if barring is None:
        return
    raise SecretaryOfStateNoticeStands(
        f"The council was told on {barring.told_on.isoformat()} that the Secretary of State "
        f"({barring.giver_name}) gave {school_name} a warning notice on {barring.given_on.isoformat()}: "
        "the council may not give its own warning notice unless or until the Secretary of State "
        "informs it that it may (Education and Inspections Act 2006, s60(4A)). Record that "
        "permission first.",
        field="given_on",
    )


def superseded_by(
    notice: SecretaryOfStateNotice, council_notice: WarningNotice
) -> WarningNoticeSuperseded | None:
    """The event that ends ``council_notice`` because of the Secretary of State's ``notice``, or
    ``None`` when it is not an earlier notice still in effect."""
    if council_notice.stage not in IN_EFFECT_STAGES or council_notice.given_on is None:
        return None
    if council_notice.given_on > notice.given_on:
        return None
    assert council_notice.urn is not None and council_notice.notice_id is not None
    return WarningNoticeSuperseded(
        urn=council_notice.urn,
        notice_id=council_notice.notice_id,
        ended_on=notice.given_on,
        superseded_by=notice.notice_id,
        superseded_by_giver=notice.giver_name,
        reason=(
            f"The Secretary of State ({notice.giver_name}) gave the school a warning notice on "
            f"{notice.given_on.isoformat()}; an earlier warning notice given by the council ceases to "
            "have effect from that time (Education and Inspections Act 2006, s60(4B))."
        ),
    )


# Commands ---------------------------------------------------------------------------------


class RecordSecretaryOfStateWarningNotice(Command):
    urn: str
    notice_id: str
    giver_name: str
    given_on: date
    told_on: date
    grounds: tuple[Ground, ...]
    compliance_period: CompliancePeriod
    reference: str | None = None
    diocesan_authority: str | None = None
    foundation_governors_appointer: str | None = None


class RecordCouncilPermittedToGiveWarningNotice(Command):
    urn: str
    permitted_on: date
    permitted_by: str


SecretaryOfStateNoticeCommand = (
    RecordSecretaryOfStateWarningNotice | RecordCouncilPermittedToGiveWarningNotice
)


@dataclass(frozen=True)
class Decided:
    """What a command records: on the school's ``sosnotices-<urn>`` stream, and on the stream of
    each council notice a Secretary of State's notice made cease to have effect."""

    recorded: list[Event]
    superseded: list[WarningNoticeSuperseded]


def decide(
    command: SecretaryOfStateNoticeCommand,
    state: SecretaryOfStateNotices,
    *,
    school: SchoolFacts,
    today: date,
    rules: RuleBook,
    calendar: WorkingDayCalendar,
    council_notices: Iterable[WarningNotice] = (),
) -> Decided:
    """``council_notices`` are the council's notices to the school, as folded: those a Secretary
    of State's notice supersedes are ended in the same decision."""
    match command:
        case RecordSecretaryOfStateWarningNotice():
            return _record_notice(command, state, school, today, rules, calendar, council_notices)
        case RecordCouncilPermittedToGiveWarningNotice():
            return Decided(_permit(command, state, today), [])
    raise TypeError(f"not a Secretary of State's notice command: {type(command).__name__}")


def _record_notice(
    command: RecordSecretaryOfStateWarningNotice,
    state: SecretaryOfStateNotices,
    school: SchoolFacts,
    today: date,
    rules: RuleBook,
    calendar: WorkingDayCalendar,
    council_notices: Iterable[WarningNotice],
) -> Decided:
    if state.notice(command.notice_id) is not None:
        raise Conflict("A Secretary of State's notice with this id is already recorded.", field="notice_id")
    require_open_maintained_school(school, command.urn, "record a Secretary of State's warning notice to it")
    not_in_future(command.given_on, today, "given_on")
    not_in_future(command.told_on, today, "told_on")
    not_before(command.told_on, command.given_on, "told_on", "the day the notice was given")
    regime = rules.in_force_on(command.given_on, field="given_on")
    if not regime.secretary_of_state_gives_notices:
        raise OutsideStatutoryPeriod(
            f"On {command.given_on.isoformat()} ({regime.title}) only the council could give a "
            "maintained school a warning notice: the Secretary of State may since 18 April 2016.",
            field="given_on",
        )
    giver = require_text(command.giver_name, "giver_name", "who gave the notice for the Secretary of State")
    if not command.grounds:
        raise InvalidInput("Name the grounds the notice gives (s60(2)).", field="grounds")
    if len(set(command.grounds)) != len(command.grounds):
        raise InvalidInput("Each ground may appear only once.", field="grounds")
    period, ends_on = dates.compliance_period_as_given(
        command.given_on, regime, calendar, command.compliance_period
    )
    copies = warning_notice_recipients(
        school,
        regime.copies_of_secretary_of_state_notice,
        diocesan_authority=command.diocesan_authority,
        foundation_governors_appointer=command.foundation_governors_appointer,
    )
    reference = (command.reference or "").strip() or None
    notice = SecretaryOfStateNotice(
        notice_id=command.notice_id,
        giver_name=giver,
        reference=reference,
        given_on=command.given_on,
        told_on=command.told_on,
        rules=regime.key,
        grounds=command.grounds,
        compliance_period_ends_on=ends_on,
        copies=copies,
        superseded_notice_ids=(),
    )
    ended = [e for e in (superseded_by(notice, n) for n in council_notices) if e is not None]
    recorded = SecretaryOfStateWarningNoticeRecorded(
        urn=command.urn,
        notice_id=command.notice_id,
        school_name=school.name,
        giver_name=giver,
        reference=reference,
        given_on=command.given_on,
        told_on=command.told_on,
        rules=regime.key,
        grounds=command.grounds,
        compliance_period=period,
        compliance_period_ends_on=ends_on,
        copies=copies,
        superseded_notice_ids=tuple(e.notice_id for e in ended),
    )
    return Decided([recorded], ended)


def _permit(
    command: RecordCouncilPermittedToGiveWarningNotice, state: SecretaryOfStateNotices, today: date
) -> list[Event]:
    if not state.notices:
        raise Conflict(
            "No Secretary of State's warning notice is recorded for this school: the council needs "
            "no permission to give its own.",
            field="urn",
        )
    not_in_future(command.permitted_on, today, "permitted_on")
    first_told = min(n.told_on for n in state.notices)
    not_before(command.permitted_on, first_told, "permitted_on", "the day the council was told of the notice")
    permitted_by = require_text(command.permitted_by, "permitted_by", "who informed the council")
    return [
        CouncilPermittedToGiveWarningNotice(
            urn=command.urn, permitted_on=command.permitted_on, permitted_by=permitted_by
        )
    ]
