"""A notice with its full timeline and every date of it, recorded or computed: what an officer
sees when opening a notice. Answered from the notice's own events and those of other streams
that name it (eligibility, lapse of powers, the direction answered)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.events import Event

from . import warning_notice as notice_stream
from .dates import last_day_before_powers_lapse
from .deadlines import Deadline
from .direction_events import DirectedWarningNoticeGiven
from .intervention_events import PowersLapsed, SchoolBecameEligibleForIntervention
from .vocabulary import Power
from .warning_notice import NO_NOTICE, NoticeStage, WarningNotice
from .warning_notice_events import WARNING_NOTICE_EVENTS


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
    "WarningNoticeSuperseded": lambda e: (
        f"Ceased to have effect: the Secretary of State's warning notice {e.superseded_by} "
        f"({e.superseded_by_giver}) was given on {e.ended_on.isoformat()}"
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
            last_day_to_use_lapsing_powers=last_day_before_powers_lapse(lapse) if lapse else None,
            powers_lapse_on=lapse,
        ),
        entries=tuple(sorted(entries, key=lambda e: e.on)),
        pending_deadlines=tuple(notice_stream.pending_deadlines(state)),
    )
