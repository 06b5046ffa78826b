"""Reactions: events (the notices service's own and the schools service's) turned into commands
on other streams. Pure: the application layer runs the commands through ``decide`` as usual.

* a notice of intention to use powers, or a confirmed notice's eligibility date, makes the
  school eligible for intervention on its ``intervention-<urn>`` stream - recorded by the same
  append as the notice's event (``eligibility_caused_by``); the reaction remains for events
  recorded before that, and finds the eligibility already recorded otherwise;
* an inspection placing a maintained school in serious weaknesses or special measures makes it
  eligible at once, with or without a notice in progress; a later graded inspection without a
  category ends that basis (ungraded and monitoring inspections leave it standing);
* a notice given under a Secretary of State's direction is recorded against the direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from shared.events import Command, Event

from .direction import RecordDirectedNoticeGiven
from .eligibility import (
    RecordCategoryOfConcernRemoved,
    RecordEligibilityFromInspection,
    RecordEligibilityFromWarningNotice,
    decide_eligibility,
)
from .intervention_state import InterventionCase
from .intervention_state import evolve as evolve_intervention
from .school_facts import SchoolFacts
from .schools_events import InspectionRecorded
from .warning_notice_events import (
    NoticeOfIntentionToUsePowersGiven,
    WarningNoticeEligibilityDateReached,
    WarningNoticeGiven,
)


def _council_maintains(school: SchoolFacts) -> bool:
    return school.known and school.is_maintained and not school.is_closed


def eligibility_under_notice(event: Event, school: SchoolFacts) -> RecordEligibilityFromWarningNotice | None:
    """The eligibility a warning notice's own event makes, or ``None``: a notice of intention makes
    the school eligible from the day it is given, a confirmed notice's eligibility date from that
    date; the powers lapse as the notice says. Only a school the council maintains.

    The one rule for both places that record it: the command (or deadline) that records the
    notice's event records the eligibility in the same append (``eligibility_caused_by``), and the
    policy (``commands_for``) reacts to events recorded before it did so, finding it already
    recorded otherwise."""
    if not _council_maintains(school):
        return None
    match event:
        case NoticeOfIntentionToUsePowersGiven():
            eligible_from = event.given_on
        case WarningNoticeEligibilityDateReached():
            eligible_from = event.eligible_on
        case _:
            return None
    return RecordEligibilityFromWarningNotice(
        urn=event.urn,
        notice_id=event.notice_id,
        eligible_from=eligible_from,
        compliance_period_ended_on=event.compliance_period_ended_on,
        powers_lapse_on=event.powers_lapse_on,
    )


def eligibility_caused_by(
    events: Sequence[Event], case: InterventionCase, *, school: SchoolFacts, today: date
) -> list[Event]:
    """What ``events`` (just decided on a warning notice's stream) record on the school's
    intervention stream, whose state is ``case``: the same decision the policy would take on
    them (``intervention.decide``), taken with them, so the notice's step and the eligibility it
    causes are one decision."""
    caused: list[Event] = []
    for event in events:
        command = eligibility_under_notice(event, school)
        if command is None:
            continue
        decided = decide_eligibility(command, case, school=school, today=today)
        for made in decided:
            case = evolve_intervention(case, made)
        caused.extend(decided)
    return caused


def commands_for(event: Event, school: SchoolFacts) -> list[Command]:
    """The commands ``event`` calls for; ``school`` is the facts of the event's school as they
    stand when the event is processed."""
    match event:
        case NoticeOfIntentionToUsePowersGiven() | WarningNoticeEligibilityDateReached():
            eligibility = eligibility_under_notice(event, school)
            return [eligibility] if eligibility is not None else []
        case WarningNoticeGiven() if event.direction_id is not None:
            return [
                RecordDirectedNoticeGiven(
                    direction_id=event.direction_id, notice_id=event.notice_id, given_on=event.given_on
                )
            ]
        case InspectionRecorded() if _council_maintains(school):
            category = event.category()
            if category is None:
                if not event.sets_judgement:
                    return []
                return [
                    RecordCategoryOfConcernRemoved(
                        urn=event.urn, inspected_on=event.inspected_on, inspection_id=event.inspection_id
                    )
                ]
            return [
                RecordEligibilityFromInspection(
                    urn=event.urn,
                    inspected_on=event.inspected_on,
                    category=category,
                    inspection_id=event.inspection_id,
                )
            ]
        case _:
            return []
