"""The state of a warning notice's stream (``notice-<notice id>``) and its deadlines: the
compliance period's end, the end of the window for representations (before 18 April 2016) and
the eligibility date of a notice Ofsted confirmed."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from shared.events import Event

from .dates import first_day_after, first_day_compliance_can_be_judged
from .deadlines import Deadline, DeadlineKind
from .deadlines import deadlines_due as _fired
from .notice_content import NoticeContent
from .recipients import Recipient
from .vocabulary import NoticeGiver, Power
from .warning_notice_events import (
    CompliancePeriodEnded,
    NoticeOfIntentionToUsePowersGiven,
    OfstedConfirmedWarningNotice,
    OfstedDidNotConfirmWarningNotice,
    RepresentationsMadeToOfsted,
    RepresentationWindowClosed,
    WarningNoticeComplied,
    WarningNoticeCopyGiven,
    WarningNoticeDraftAmended,
    WarningNoticeDraftDiscarded,
    WarningNoticeDrafted,
    WarningNoticeEligibilityDateReached,
    WarningNoticeGiven,
    WarningNoticeNotComplied,
    WarningNoticeSuperseded,
)


class NoticeStage(StrEnum):
    NONE = "none"
    DRAFT = "draft"
    DISCARDED = "discarded"
    COMPLIANCE_PERIOD = "compliance_period"
    REPRESENTATIONS_WITH_OFSTED = "representations_with_ofsted"
    CONFIRMED_BY_OFSTED = "confirmed_by_ofsted"
    NOT_CONFIRMED_BY_OFSTED = "not_confirmed_by_ofsted"
    COMPLIED = "complied"
    NOT_COMPLIED = "not_complied"
    SCHOOL_ELIGIBLE = "school_eligible"
    SUPERSEDED = "superseded"
    """Ceased to have effect: the Secretary of State gave the school a warning notice later."""


GIVEN_STAGES = frozenset(
    {
        NoticeStage.COMPLIANCE_PERIOD,
        NoticeStage.REPRESENTATIONS_WITH_OFSTED,
        NoticeStage.CONFIRMED_BY_OFSTED,
        NoticeStage.NOT_CONFIRMED_BY_OFSTED,
        NoticeStage.COMPLIED,
        NoticeStage.NOT_COMPLIED,
        NoticeStage.SCHOOL_ELIGIBLE,
        NoticeStage.SUPERSEDED,
    }
)

IN_EFFECT_STAGES = GIVEN_STAGES - {
    NoticeStage.COMPLIED,
    NoticeStage.NOT_CONFIRMED_BY_OFSTED,
    NoticeStage.SUPERSEDED,
}
"""Stages of a given notice still in effect: one a later Secretary of State's notice supersedes."""


@dataclass(frozen=True)
class WarningNotice:
    notice_id: str | None = None
    urn: str | None = None
    school_name: str = ""
    stage: NoticeStage = NoticeStage.NONE
    content: NoticeContent | None = None
    direction_id: str | None = None
    drafted_on: date | None = None
    discarded_on: date | None = None
    given_on: date | None = None
    rules: str | None = None
    compliance_period_ends_on: date | None = None
    representations_allowed: bool = False
    representation_window_ends_on: date | None = None
    powers_lapse_on: date | None = None
    recipients: tuple[Recipient, ...] = ()
    copies_given: tuple[tuple[Recipient, date], ...] = ()
    representations_made_on: date | None = None
    ofsted_decided_on: date | None = None
    eligible_on: date | None = None
    judged_on: date | None = None
    evidence: str | None = None
    intention_given_on: date | None = None
    powers_proposed: tuple[Power, ...] = ()
    compliance_period_end_recorded_for: date | None = None
    representation_window_close_recorded: bool = False
    eligibility_date_recorded: bool = False
    given_by: NoticeGiver = NoticeGiver.COUNCIL
    superseded_on: date | None = None
    superseded_by: str | None = None

    @property
    def is_given(self) -> bool:
        return self.stage in GIVEN_STAGES


NO_NOTICE = WarningNotice()


def evolve(state: WarningNotice, event: Event) -> WarningNotice:
    match event:
        case WarningNoticeDrafted():
            return replace(
                state,
                notice_id=event.notice_id,
                urn=event.urn,
                school_name=event.school_name,
                stage=NoticeStage.DRAFT,
                content=event.content,
                direction_id=event.direction_id,
                drafted_on=event.drafted_on,
            )
        case WarningNoticeDraftAmended():
            return replace(state, content=event.content)
        case WarningNoticeDraftDiscarded():
            return replace(state, stage=NoticeStage.DISCARDED, discarded_on=event.discarded_on)
        case WarningNoticeGiven():
            return replace(
                state,
                stage=NoticeStage.COMPLIANCE_PERIOD,
                school_name=event.school_name,
                content=event.content,
                given_on=event.given_on,
                rules=event.rules,
                compliance_period_ends_on=event.compliance_period_ends_on,
                representations_allowed=event.representations_allowed,
                representation_window_ends_on=event.representation_window_ends_on,
                powers_lapse_on=event.powers_lapse_on,
                recipients=event.recipients,
                given_by=event.given_by,
            )
        case WarningNoticeCopyGiven():
            return replace(state, copies_given=(*state.copies_given, (event.recipient, event.given_on)))
        case RepresentationsMadeToOfsted():
            return replace(
                state, stage=NoticeStage.REPRESENTATIONS_WITH_OFSTED, representations_made_on=event.made_on
            )
        case OfstedConfirmedWarningNotice():
            return replace(
                state,
                stage=NoticeStage.CONFIRMED_BY_OFSTED,
                ofsted_decided_on=event.confirmed_on,
                eligible_on=event.eligible_on,
                compliance_period_ends_on=event.eligible_on,
                powers_lapse_on=event.powers_lapse_on,
            )
        case OfstedDidNotConfirmWarningNotice():
            return replace(
                state, stage=NoticeStage.NOT_CONFIRMED_BY_OFSTED, ofsted_decided_on=event.decided_on
            )
        case WarningNoticeComplied():
            return replace(
                state, stage=NoticeStage.COMPLIED, judged_on=event.judged_on, evidence=event.evidence
            )
        case WarningNoticeNotComplied():
            return replace(
                state, stage=NoticeStage.NOT_COMPLIED, judged_on=event.judged_on, evidence=event.evidence
            )
        case NoticeOfIntentionToUsePowersGiven():
            return replace(
                state,
                stage=NoticeStage.SCHOOL_ELIGIBLE,
                intention_given_on=event.given_on,
                powers_proposed=event.powers,
                eligible_on=event.given_on,
            )
        case CompliancePeriodEnded():
            return replace(state, compliance_period_end_recorded_for=event.ended_on)
        case RepresentationWindowClosed():
            return replace(state, representation_window_close_recorded=True)
        case WarningNoticeEligibilityDateReached():
            return replace(state, stage=NoticeStage.SCHOOL_ELIGIBLE, eligibility_date_recorded=True)
        case WarningNoticeSuperseded():
            return replace(
                state,
                stage=NoticeStage.SUPERSEDED,
                superseded_on=event.ended_on,
                superseded_by=event.superseded_by,
            )
        case _:
            return state


# Deadlines --------------------------------------------------------------------------------


def pending_deadlines(state: WarningNotice) -> list[Deadline]:
    if not state.is_given or state.stage is NoticeStage.SUPERSEDED:
        return []
    assert state.urn is not None and state.notice_id is not None
    urn, notice_id = state.urn, state.notice_id
    pending: list[Deadline] = []
    end = state.compliance_period_ends_on
    period_runs = state.stage not in {
        NoticeStage.REPRESENTATIONS_WITH_OFSTED,
        NoticeStage.NOT_CONFIRMED_BY_OFSTED,
    }
    if end is not None and period_runs and state.compliance_period_end_recorded_for != end:
        pending.append(
            Deadline(
                kind=DeadlineKind.COMPLIANCE_PERIOD_END,
                urn=urn,
                reference=notice_id,
                due_on=end,
                fires_on=first_day_compliance_can_be_judged(end),
                event=CompliancePeriodEnded(urn=urn, notice_id=notice_id, ended_on=end),
                description=f"Compliance period of warning notice {notice_id} ends",
            )
        )
    window = state.representation_window_ends_on
    if (
        state.representations_allowed
        and window is not None
        and not state.representation_window_close_recorded
    ):
        pending.append(
            Deadline(
                kind=DeadlineKind.REPRESENTATION_WINDOW_END,
                urn=urn,
                reference=notice_id,
                due_on=window,
                fires_on=first_day_after(window),
                event=RepresentationWindowClosed(
                    urn=urn,
                    notice_id=notice_id,
                    closed_on=window,
                    representations_made=state.representations_made_on is not None,
                ),
                description=f"Last day for representations to Ofsted against warning notice {notice_id}",
            )
        )
    if state.stage is NoticeStage.CONFIRMED_BY_OFSTED and not state.eligibility_date_recorded:
        assert state.eligible_on is not None and state.powers_lapse_on is not None
        pending.append(
            Deadline(
                kind=DeadlineKind.ELIGIBILITY_DATE,
                urn=urn,
                reference=notice_id,
                due_on=state.eligible_on,
                fires_on=state.eligible_on,
                event=WarningNoticeEligibilityDateReached(
                    urn=urn,
                    notice_id=notice_id,
                    eligible_on=state.eligible_on,
                    compliance_period_ended_on=state.eligible_on,
                    powers_lapse_on=state.powers_lapse_on,
                ),
                description=f"School eligible for intervention under confirmed warning notice {notice_id}",
            )
        )
    return pending


def deadlines_due(state: WarningNotice, today: date) -> list[Event]:
    """The deadline events of this notice that have fired by ``today`` and are not yet recorded."""
    return _fired(pending_deadlines(state), today)
