"""The questions officers ask, answered from folded states and events (the read models later
keep the same folds up to date):

* a notice with its full timeline and every computed date (``notice_timeline``);
* all schools causing concern, with their stage (``schools_causing_concern``);
* upcoming deadlines in the next N working days (``deadlines.upcoming_deadlines`` over
  ``all_pending_deadlines``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from shared.events import Event

from . import direction as direction_stream
from . import intervention_state
from . import warning_notice as notice_stream
from .academy_concern import AcademyConcern
from .deadlines import Deadline
from .direction_events import DirectedWarningNoticeGiven
from .intervention_events import PowersLapsed, SchoolBecameEligibleForIntervention
from .intervention_state import InterventionCase
from .school_facts import SchoolFacts
from .vocabulary import EligibilityBasis, Power
from .warning_notice import NO_NOTICE, NoticeStage, WarningNotice
from .warning_notice_events import WARNING_NOTICE_EVENTS

# A notice's timeline ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    event_type: str
    summary: str


@dataclass(frozen=True)
class KeyDates:
    """Every date of the notice, recorded or computed (``None`` until it is known)."""

    drafted_on: date | None
    given_on: date | None
    compliance_period_ends_on: date | None
    representation_window_ends_on: date | None
    representations_made_on: date | None
    ofsted_decided_on: date | None
    eligible_on: date | None
    judged_on: date | None
    intention_given_on: date | None
    last_day_to_use_lapsing_powers: date | None
    powers_lapse_on: date | None


@dataclass(frozen=True)
class NoticeTimeline:
    notice_id: str
    urn: str
    school_name: str
    stage: NoticeStage
    rules: str | None
    dates: KeyDates
    entries: tuple[TimelineEntry, ...]
    pending_deadlines: tuple[Deadline, ...]


def _powers(powers: Iterable[Power]) -> str:
    return ", ".join(p.value.split("_")[0] for p in powers)


_SUMMARIES: dict[str, Callable[[Any], str]] = {
    "WarningNoticeDrafted": lambda e: (
        f"Warning notice drafted on grounds: {', '.join(g.value for g in e.content.grounds)}"
    ),
    "WarningNoticeDraftAmended": lambda e: "Draft amended",
    "WarningNoticeDraftDiscarded": lambda e: f"Draft discarded: {e.reason}",
    "WarningNoticeGiven": lambda e: (
        f"Warning notice given to the governing body; compliance period ends {e.compliance_period_ends_on.isoformat()}"
    ),
    "WarningNoticeCopyGiven": lambda e: f"Copy given to {e.recipient.name} ({e.recipient.role.value})",
    "RepresentationsMadeToOfsted": lambda e: f"Governing body made representations to Ofsted: {e.summary}",
    "OfstedConfirmedWarningNotice": lambda e: (
        f"Ofsted confirmed the notice; eligible on {e.eligible_on.isoformat()}"
    ),
    "OfstedDidNotConfirmWarningNotice": lambda e: "Ofsted did not confirm the notice",
    "WarningNoticeComplied": lambda e: f"Judged complied with: {e.evidence}",
    "WarningNoticeNotComplied": lambda e: f"Judged not complied with: {e.evidence}",
    "NoticeOfIntentionToUsePowersGiven": lambda e: (
        f"Notice of intention to use powers given ({_powers(e.powers)})"
    ),
    "CompliancePeriodEnded": lambda e: "Compliance period ended",
    "RepresentationWindowClosed": lambda e: (
        "Window for representations closed" + ("" if e.representations_made else " without representations")
    ),
    "WarningNoticeEligibilityDateReached": lambda e: (
        "School eligible for intervention (notice confirmed by Ofsted)"
    ),
    "SchoolBecameEligibleForIntervention": lambda e: "School became eligible for intervention",
    "PowersLapsed": lambda e: f"Powers lapsed under this notice ({_powers(e.powers)})",
    "DirectedWarningNoticeGiven": lambda e: (
        "Notice given under the Secretary of State's direction " + ("on time" if e.on_time else "late")
    ),
}

_NOTICE_EVENT_TYPES = frozenset(cls.event_type for cls in WARNING_NOTICE_EVENTS)


def _about_notice(event: Event, notice_id: str) -> bool:
    if event.event_type in _NOTICE_EVENT_TYPES:
        return getattr(event, "notice_id", None) == notice_id
    return (
        isinstance(event, SchoolBecameEligibleForIntervention | PowersLapsed | DirectedWarningNoticeGiven)
        and event.notice_id == notice_id
    )


def notice_timeline(notice_id: str, events: Iterable[Event]) -> NoticeTimeline:
    """The notice's history from its own events, with the eligibility, lapse and direction events
    of other streams that name it (others in ``events`` are ignored), in the order given."""
    state: WarningNotice = NO_NOTICE
    entries: list[TimelineEntry] = []
    for event in events:
        if not _about_notice(event, notice_id):
            continue
        if event.event_type in _NOTICE_EVENT_TYPES:
            state = notice_stream.evolve(state, event)
        on = event.effective_on()
        assert on is not None
        entries.append(
            TimelineEntry(on=on, event_type=event.event_type, summary=_SUMMARIES[event.event_type](event))
        )
    if state.notice_id is None or state.urn is None:
        raise LookupError(f"no warning notice {notice_id}")
    lapse = state.powers_lapse_on
    return NoticeTimeline(
        notice_id=notice_id,
        urn=state.urn,
        school_name=state.school_name,
        stage=state.stage,
        rules=state.rules,
        dates=KeyDates(
            drafted_on=state.drafted_on,
            given_on=state.given_on,
            compliance_period_ends_on=state.compliance_period_ends_on,
            representation_window_ends_on=state.representation_window_ends_on,
            representations_made_on=state.representations_made_on,
            ofsted_decided_on=state.ofsted_decided_on,
            eligible_on=state.eligible_on,
            judged_on=state.judged_on,
            intention_given_on=state.intention_given_on,
            last_day_to_use_lapsing_powers=lapse - timedelta(days=1) if lapse else None,
            powers_lapse_on=lapse,
        ),
        entries=tuple(sorted(entries, key=lambda e: e.on)),
        pending_deadlines=tuple(notice_stream.pending_deadlines(state)),
    )


# Schools causing concern ------------------------------------------------------------------


class ConcernStage(StrEnum):
    """Stages, least serious first: a school is shown at its most serious."""

    LETTER_OF_CONCERN_TO_TRUST = "letter_of_concern_to_trust"
    LETTER_OF_CONCERN_TO_SECRETARY_OF_STATE = "letter_of_concern_to_secretary_of_state"
    WARNING_NOTICE_DRAFTED = "warning_notice_drafted"
    COMPLIANCE_PERIOD_RUNNING = "compliance_period_running"
    REPRESENTATIONS_WITH_OFSTED = "representations_with_ofsted"
    COMPLIANCE_JUDGEMENT_DUE = "compliance_judgement_due"
    CONFIRMED_BY_OFSTED = "confirmed_by_ofsted"
    NOT_COMPLIED = "not_complied"
    ELIGIBLE_WARNING_NOTICE = "eligible_for_intervention_warning_notice"
    SERIOUS_WEAKNESSES = "eligible_for_intervention_serious_weaknesses"
    SPECIAL_MEASURES = "eligible_for_intervention_special_measures"
    INTERIM_EXECUTIVE_BOARD = "interim_executive_board"

    @property
    def rank(self) -> int:
        return list(ConcernStage).index(self)


@dataclass(frozen=True)
class SchoolCausingConcern:
    urn: str
    stage: ConcernStage
    since: date
    notice_id: str | None = None
    powers_available: tuple[Power, ...] = ()


def _notice_stage(notice: WarningNotice, today: date) -> tuple[ConcernStage, date] | None:
    match notice.stage:
        case NoticeStage.DRAFT if notice.drafted_on:
            return ConcernStage.WARNING_NOTICE_DRAFTED, notice.drafted_on
        case NoticeStage.COMPLIANCE_PERIOD if notice.given_on and notice.compliance_period_ends_on:
            if today > notice.compliance_period_ends_on:
                return ConcernStage.COMPLIANCE_JUDGEMENT_DUE, notice.compliance_period_ends_on + timedelta(
                    days=1
                )
            return ConcernStage.COMPLIANCE_PERIOD_RUNNING, notice.given_on
        case NoticeStage.REPRESENTATIONS_WITH_OFSTED if notice.representations_made_on:
            return ConcernStage.REPRESENTATIONS_WITH_OFSTED, notice.representations_made_on
        case NoticeStage.CONFIRMED_BY_OFSTED if notice.ofsted_decided_on:
            return ConcernStage.CONFIRMED_BY_OFSTED, notice.ofsted_decided_on
        case NoticeStage.NOT_COMPLIED if notice.judged_on:
            return ConcernStage.NOT_COMPLIED, notice.judged_on
        case NoticeStage.SCHOOL_ELIGIBLE if notice.eligible_on:
            return ConcernStage.ELIGIBLE_WARNING_NOTICE, notice.eligible_on
    return None


_BASIS_STAGE = {
    EligibilityBasis.WARNING_NOTICE: ConcernStage.ELIGIBLE_WARNING_NOTICE,
    EligibilityBasis.SERIOUS_WEAKNESSES: ConcernStage.SERIOUS_WEAKNESSES,
    EligibilityBasis.SPECIAL_MEASURES: ConcernStage.SPECIAL_MEASURES,
}


def powers_available(case: InterventionCase, today: date) -> tuple[Power, ...]:
    """The powers the school's eligibility allows today (consultation and the IEB/s66 rules
    still apply when one is used)."""
    active = case.active_eligibility(today)
    return tuple(p for p in Power if any(e.allows(p, today) for e in active))


def schools_causing_concern(
    *,
    notices: Iterable[WarningNotice] = (),
    cases: Iterable[InterventionCase] = (),
    academy_concerns: Iterable[AcademyConcern] = (),
    today: date,
    schools: Mapping[str, SchoolFacts] | None = None,
) -> list[SchoolCausingConcern]:
    """Each school at its most serious stage, most serious first. With ``schools`` (facts by
    URN), closed schools are left out."""
    found: dict[str, SchoolCausingConcern] = {}
    cases_by_urn = {c.urn: c for c in cases if c.urn is not None}

    def offer(candidate: SchoolCausingConcern) -> None:
        current = found.get(candidate.urn)
        if current is None or candidate.stage.rank > current.stage.rank:
            found[candidate.urn] = candidate

    for notice in notices:
        stage = _notice_stage(notice, today)
        if stage is not None and notice.urn is not None:
            offer(
                SchoolCausingConcern(
                    urn=notice.urn, stage=stage[0], since=stage[1], notice_id=notice.notice_id
                )
            )
    for urn, case in cases_by_urn.items():
        available = powers_available(case, today)
        for record in case.active_eligibility(today):
            offer(
                SchoolCausingConcern(
                    urn=urn,
                    stage=_BASIS_STAGE[record.basis],
                    since=record.eligible_from,
                    notice_id=record.notice_id,
                    powers_available=available,
                )
            )
        board = case.interim_executive_board
        if board is not None and board.in_place_on(today) and board.starts_on is not None:
            offer(
                SchoolCausingConcern(
                    urn=urn,
                    stage=ConcernStage.INTERIM_EXECUTIVE_BOARD,
                    since=board.starts_on,
                    powers_available=available,
                )
            )
    for concern in academy_concerns:
        if concern.urn is None:
            continue
        if concern.letters_to_secretary_of_state:
            offer(
                SchoolCausingConcern(
                    urn=concern.urn,
                    stage=ConcernStage.LETTER_OF_CONCERN_TO_SECRETARY_OF_STATE,
                    since=concern.letters_to_secretary_of_state[-1],
                )
            )
        elif concern.letters_to_trust:
            offer(
                SchoolCausingConcern(
                    urn=concern.urn,
                    stage=ConcernStage.LETTER_OF_CONCERN_TO_TRUST,
                    since=concern.letters_to_trust[-1],
                )
            )
    # The powers open to the council are the school's, whichever fact set its stage (a notice
    # at "eligible" and the eligibility it caused rank the same; the notice is offered first).
    for urn, concern in found.items():
        if urn in cases_by_urn:
            found[urn] = replace(concern, powers_available=powers_available(cases_by_urn[urn], today))
    listed = [
        s for s in found.values() if schools is None or s.urn not in schools or not schools[s.urn].is_closed
    ]
    return sorted(listed, key=lambda s: (-s.stage.rank, s.since, s.urn))


# Deadlines across streams -----------------------------------------------------------------


def all_pending_deadlines(
    *,
    notices: Iterable[WarningNotice] = (),
    cases: Iterable[InterventionCase] = (),
    directions: Iterable[direction_stream.Direction] = (),
) -> list[Deadline]:
    pending: list[Deadline] = []
    for notice in notices:
        pending += notice_stream.pending_deadlines(notice)
    for case in cases:
        pending += intervention_state.pending_deadlines(case)
    for direction in directions:
        pending += direction_stream.pending_deadlines(direction)
    return pending


__all__ = [
    "ConcernStage",
    "KeyDates",
    "NoticeTimeline",
    "SchoolCausingConcern",
    "TimelineEntry",
    "all_pending_deadlines",
    "notice_timeline",
    "powers_available",
    "schools_causing_concern",
]
