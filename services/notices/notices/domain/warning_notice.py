"""A performance standards and safety warning notice (s60), stream ``notice-<notice id>``.

Drafted, then given to a maintained school's governing body with copies to everyone the school's
facts call for. Before 18 April 2016 the compliance period is the 15 working days following the
day given and the governing body may make representations to Ofsted; from that day the notice
sets its own period and there are no representations. At the end of the period the council
judges compliance; if the notice was not complied with, its written notice of intention to use
its powers makes the school eligible for intervention (domain.md section 4; seed 003, appendix 3).
"""

from __future__ import annotations

from datetime import date

from shared.errors import Conflict, InvalidInput
from shared.events import Command, Event

from . import dates
from .checks import not_before, not_in_future, require_text
from .notice_content import NoticeContent, validate_content
from .recipients import warning_notice_recipients
from .refusals import OutsideStatutoryPeriod, WarningNoticeStage
from .rules import RuleBook
from .secretary_of_state_notices import (
    NO_SECRETARY_OF_STATE_NOTICES,
    SecretaryOfStateNotices,
    require_council_may_give,
    superseded_by,
)
from .school_facts import SchoolFacts, require_open_maintained_school
from .vocabulary import CompliancePeriod, Power
from .warning_notice_events import (
    NoticeOfIntentionToUsePowersGiven,
    OfstedConfirmedWarningNotice,
    OfstedDidNotConfirmWarningNotice,
    RepresentationsMadeToOfsted,
    WarningNoticeComplied,
    WarningNoticeCopyGiven,
    WarningNoticeDraftAmended,
    WarningNoticeDraftDiscarded,
    WarningNoticeDrafted,
    WarningNoticeGiven,
    WarningNoticeNotComplied,
)
from .warning_notice_state import (
    GIVEN_STAGES,
    NO_NOTICE,
    NoticeStage,
    WarningNotice,
    deadlines_due,
    evolve,
    pending_deadlines,
)
from .working_days import WorkingDayCalendar

__all__ = [
    "GIVEN_STAGES",
    "NO_NOTICE",
    "AmendWarningNoticeDraft",
    "DiscardWarningNoticeDraft",
    "DraftWarningNotice",
    "GiveNoticeOfIntentionToUsePowers",
    "GiveWarningNotice",
    "NoticeStage",
    "RecordComplianceJudgement",
    "RecordOfstedDecision",
    "RecordRepresentationsToOfsted",
    "WarningNotice",
    "WarningNoticeCommand",
    "deadlines_due",
    "decide",
    "evolve",
    "notice_stream",
    "pending_deadlines",
]


def notice_stream(notice_id: str) -> str:
    return f"notice-{notice_id}"


# Commands ---------------------------------------------------------------------------------


class DraftWarningNotice(Command):
    notice_id: str
    urn: str
    drafted_on: date
    content: NoticeContent
    direction_id: str | None = None


class AmendWarningNoticeDraft(Command):
    notice_id: str
    amended_on: date
    content: NoticeContent


class DiscardWarningNoticeDraft(Command):
    notice_id: str
    discarded_on: date
    reason: str


class GiveWarningNotice(Command):
    notice_id: str
    given_on: date
    compliance_period: CompliancePeriod | None = None
    """Replaces the draft's compliance period when given."""
    diocesan_authority: str | None = None
    """Needed for a Church of England or Roman Catholic school with no diocese on record."""
    foundation_governors_appointer: str | None = None
    """Needed for a foundation or voluntary school."""


class RecordRepresentationsToOfsted(Command):
    notice_id: str
    made_on: date
    summary: str


class RecordOfstedDecision(Command):
    notice_id: str
    decided_on: date
    confirmed: bool


class RecordComplianceJudgement(Command):
    notice_id: str
    judged_on: date
    complied: bool
    evidence: str


class GiveNoticeOfIntentionToUsePowers(Command):
    notice_id: str
    given_on: date
    powers: tuple[Power, ...]


WarningNoticeCommand = (
    DraftWarningNotice
    | AmendWarningNoticeDraft
    | DiscardWarningNoticeDraft
    | GiveWarningNotice
    | RecordRepresentationsToOfsted
    | RecordOfstedDecision
    | RecordComplianceJudgement
    | GiveNoticeOfIntentionToUsePowers
)

# Decisions --------------------------------------------------------------------------------


def decide(
    command: WarningNoticeCommand,
    state: WarningNotice,
    *,
    school: SchoolFacts,
    today: date,
    rules: RuleBook,
    calendar: WorkingDayCalendar,
    secretary_of_state: SecretaryOfStateNotices = NO_SECRETARY_OF_STATE_NOTICES,
) -> list[Event]:
    """``school`` is the facts of the notice's school (``UNKNOWN_SCHOOL`` when the schools
    service has never registered the URN); ``rules`` chooses the regime by the day given;
    ``secretary_of_state`` is the Secretary of State's notices to the school the council has
    recorded (they bar the council's, and end its earlier ones)."""
    match command:
        case DraftWarningNotice():
            return _draft(command, state, school, today)
        case AmendWarningNoticeDraft():
            return _amend(command, _draft_of(state), today)
        case DiscardWarningNoticeDraft():
            return _discard(command, _draft_of(state), today)
        case GiveWarningNotice():
            return _give(command, _draft_of(state), school, today, rules, calendar, secretary_of_state)
        case RecordRepresentationsToOfsted():
            return _representations(command, _given(state), today)
        case RecordOfstedDecision():
            return _ofsted_decision(command, _given(state), today, rules, calendar)
        case RecordComplianceJudgement():
            return _compliance(command, _given(state), today)
        case GiveNoticeOfIntentionToUsePowers():
            return _intention(command, _given(state), today)
    raise TypeError(f"not a warning notice command: {type(command).__name__}")


def _draft_of(state: WarningNotice) -> WarningNotice:
    if state.stage is NoticeStage.NONE:
        raise WarningNoticeStage("There is no such warning notice.", field="notice_id")
    if state.stage is NoticeStage.DISCARDED:
        raise WarningNoticeStage("This draft warning notice was discarded.", field="notice_id")
    if state.stage is not NoticeStage.DRAFT:
        raise WarningNoticeStage(
            f"This warning notice was given on {_iso(state.given_on)}; it can no longer be changed.",
            field="notice_id",
        )
    return state


def _given(state: WarningNotice) -> WarningNotice:
    if not state.is_given:
        raise WarningNoticeStage("This warning notice has not been given.", field="notice_id")
    return state


def _iso(day: date | None) -> str:
    return day.isoformat() if day else "an unknown day"


def _draft(
    command: DraftWarningNotice, state: WarningNotice, school: SchoolFacts, today: date
) -> list[Event]:
    if state.stage is not NoticeStage.NONE:
        raise Conflict("A warning notice with this id already exists.", field="notice_id")
    require_open_maintained_school(school, command.urn, "give it a warning notice")
    not_in_future(command.drafted_on, today, "drafted_on")
    validate_content(command.content)
    return [
        WarningNoticeDrafted(
            urn=command.urn,
            notice_id=command.notice_id,
            school_name=school.name,
            drafted_on=command.drafted_on,
            content=command.content,
            direction_id=command.direction_id,
        )
    ]


def _amend(command: AmendWarningNoticeDraft, state: WarningNotice, today: date) -> list[Event]:
    assert state.urn is not None and state.drafted_on is not None
    not_in_future(command.amended_on, today, "amended_on")
    not_before(command.amended_on, state.drafted_on, "amended_on", "the day it was drafted")
    validate_content(command.content)
    return [
        WarningNoticeDraftAmended(
            urn=state.urn, notice_id=command.notice_id, amended_on=command.amended_on, content=command.content
        )
    ]


def _discard(command: DiscardWarningNoticeDraft, state: WarningNotice, today: date) -> list[Event]:
    assert state.urn is not None and state.drafted_on is not None
    not_in_future(command.discarded_on, today, "discarded_on")
    not_before(command.discarded_on, state.drafted_on, "discarded_on", "the day it was drafted")
    reason = require_text(command.reason, "reason", "the reason the draft is discarded")
    return [
        WarningNoticeDraftDiscarded(
            urn=state.urn, notice_id=command.notice_id, discarded_on=command.discarded_on, reason=reason
        )
    ]


def _give(
    command: GiveWarningNotice,
    state: WarningNotice,
    school: SchoolFacts,
    today: date,
    rules: RuleBook,
    calendar: WorkingDayCalendar,
    secretary_of_state: SecretaryOfStateNotices,
) -> list[Event]:
    assert state.urn is not None and state.content is not None and state.drafted_on is not None
    not_in_future(command.given_on, today, "given_on")
    not_before(command.given_on, state.drafted_on, "given_on", "the day it was drafted")
    require_open_maintained_school(school, state.urn, "give it a warning notice")
    regime = rules.in_force_on(command.given_on, field="given_on")
    require_council_may_give(secretary_of_state, command.given_on, school.name)
    period, ends_on = dates.compliance_period_as_given(
        command.given_on, regime, calendar, command.compliance_period or state.content.compliance_period
    )
    recipients = warning_notice_recipients(
        school,
        regime.copies_of_council_notice,
        diocesan_authority=command.diocesan_authority,
        foundation_governors_appointer=command.foundation_governors_appointer,
        directed_by_secretary_of_state=state.direction_id is not None,
    )
    window_ends_on = dates.representation_window_end(command.given_on, regime, calendar)
    given = WarningNoticeGiven(
        urn=state.urn,
        notice_id=command.notice_id,
        school_name=school.name,
        given_on=command.given_on,
        rules=regime.key,
        content=state.content.model_copy(update={"compliance_period": period}),
        compliance_period_ends_on=ends_on,
        representations_allowed=regime.representations_to_ofsted,
        representation_window_ends_on=window_ends_on,
        powers_lapse_on=dates.powers_lapse_on(ends_on, regime),
        recipients=recipients,
        direction_id=state.direction_id,
    )
    copies = [
        WarningNoticeCopyGiven(
            urn=state.urn, notice_id=command.notice_id, recipient=recipient, given_on=command.given_on
        )
        for recipient in recipients
    ]
    # A notice recorded late, given on or before a Secretary of State's notice already recorded,
    # ceased to have effect when that notice was given (s60(4B)).
    later = secretary_of_state.superseding(command.given_on)
    ended = superseded_by(later, evolve(state, given)) if later is not None else None
    return [given, *copies, *([ended] if ended else [])]


def _representations(
    command: RecordRepresentationsToOfsted, state: WarningNotice, today: date
) -> list[Event]:
    assert state.urn is not None and state.given_on is not None
    if not state.representations_allowed:
        raise OutsideStatutoryPeriod(
            f"This notice was given on {state.given_on.isoformat()}: since 18 April 2016 a governing "
            "body can no longer make representations to Ofsted against a warning notice.",
            field="notice_id",
        )
    if state.representations_made_on is not None:
        raise WarningNoticeStage(
            f"Representations were already made on {state.representations_made_on.isoformat()}.",
            field="notice_id",
        )
    if state.stage is not NoticeStage.COMPLIANCE_PERIOD:
        raise WarningNoticeStage(
            f"The notice is at stage {state.stage.value}; representations are closed.", field="notice_id"
        )
    not_in_future(command.made_on, today, "made_on")
    not_before(command.made_on, state.given_on, "made_on", "the day the notice was given")
    window = state.representation_window_ends_on
    assert window is not None
    if command.made_on > window:
        raise OutsideStatutoryPeriod(
            f"Representations must be made within 15 working days of receiving the notice, by "
            f"{window.isoformat()}.",
            field="made_on",
        )
    summary = require_text(command.summary, "summary", "a summary of the representations")
    return [
        RepresentationsMadeToOfsted(
            urn=state.urn, notice_id=command.notice_id, made_on=command.made_on, summary=summary
        )
    ]


def _ofsted_decision(
    command: RecordOfstedDecision,
    state: WarningNotice,
    today: date,
    rules: RuleBook,
    calendar: WorkingDayCalendar,
) -> list[Event]:
    assert state.urn is not None and state.given_on is not None
    if state.stage is not NoticeStage.REPRESENTATIONS_WITH_OFSTED:
        raise WarningNoticeStage(
            "Ofsted decides only on representations it has received and not yet decided.", field="notice_id"
        )
    assert state.representations_made_on is not None
    not_in_future(command.decided_on, today, "decided_on")
    not_before(
        command.decided_on, state.representations_made_on, "decided_on", "the day representations were made"
    )
    if not command.confirmed:
        return [
            OfstedDidNotConfirmWarningNotice(
                urn=state.urn, notice_id=command.notice_id, decided_on=command.decided_on
            )
        ]
    regime = rules.in_force_on(state.given_on)
    eligible_on = dates.eligibility_date_after_confirmation(command.decided_on, regime, calendar)
    return [
        OfstedConfirmedWarningNotice(
            urn=state.urn,
            notice_id=command.notice_id,
            confirmed_on=command.decided_on,
            eligible_on=eligible_on,
            powers_lapse_on=dates.powers_lapse_on(eligible_on, regime),
        )
    ]


_WHY_NO_JUDGEMENT = {
    NoticeStage.REPRESENTATIONS_WITH_OFSTED: "the governing body's representations are with Ofsted; wait for its decision",
    NoticeStage.CONFIRMED_BY_OFSTED: "Ofsted confirmed the notice; the school becomes eligible for intervention without a judgement",
    NoticeStage.NOT_CONFIRMED_BY_OFSTED: "Ofsted did not confirm the notice",
    NoticeStage.COMPLIED: "compliance was already judged",
    NoticeStage.NOT_COMPLIED: "compliance was already judged",
    NoticeStage.SCHOOL_ELIGIBLE: "the school is already eligible for intervention",
    NoticeStage.SUPERSEDED: "the notice ceased to have effect when the Secretary of State gave the school a warning notice",
}


def _compliance(command: RecordComplianceJudgement, state: WarningNotice, today: date) -> list[Event]:
    assert state.urn is not None and state.compliance_period_ends_on is not None
    if state.stage is not NoticeStage.COMPLIANCE_PERIOD:
        raise WarningNoticeStage(
            f"Compliance cannot be judged: {_WHY_NO_JUDGEMENT[state.stage]}.", field="notice_id"
        )
    not_in_future(command.judged_on, today, "judged_on")
    judged_from = dates.first_day_compliance_can_be_judged(state.compliance_period_ends_on)
    if command.judged_on < judged_from:
        raise OutsideStatutoryPeriod(
            f"The compliance period runs until {state.compliance_period_ends_on.isoformat()}, and the "
            "governing body has all of that day to comply: compliance can be judged from "
            f"{judged_from.isoformat()}.",
            field="judged_on",
        )
    evidence = require_text(command.evidence, "evidence", "the evidence for the judgement")
    event_class = WarningNoticeComplied if command.complied else WarningNoticeNotComplied
    return [
        event_class(
            urn=state.urn, notice_id=command.notice_id, judged_on=command.judged_on, evidence=evidence
        )
    ]


def _intention(command: GiveNoticeOfIntentionToUsePowers, state: WarningNotice, today: date) -> list[Event]:
    assert state.urn is not None
    if state.stage is not NoticeStage.NOT_COMPLIED:
        raise WarningNoticeStage(
            "Notice of intention to use powers follows a judgement that the warning notice was not complied with.",
            field="notice_id",
        )
    assert state.judged_on is not None and state.compliance_period_ends_on is not None
    assert state.powers_lapse_on is not None
    not_in_future(command.given_on, today, "given_on")
    not_before(command.given_on, state.judged_on, "given_on", "the compliance judgement")
    if not command.powers:
        raise InvalidInput("Name the powers the council proposes to use.", field="powers")
    if len(set(command.powers)) != len(command.powers):
        raise InvalidInput("Each power may appear only once.", field="powers")
    return [
        NoticeOfIntentionToUsePowersGiven(
            urn=state.urn,
            notice_id=command.notice_id,
            given_on=command.given_on,
            powers=command.powers,
            compliance_period_ended_on=state.compliance_period_ends_on,
            powers_lapse_on=state.powers_lapse_on,
        )
    ]
