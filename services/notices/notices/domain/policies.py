"""Reactions: events (the notices service's own and the schools service's) turned into commands
on other streams. Pure: the application layer runs the commands through ``decide`` as usual.

* a notice of intention to use powers, or a confirmed notice's eligibility date, makes the
  school eligible for intervention on its ``intervention-<urn>`` stream;
* an inspection placing a maintained school in serious weaknesses or special measures makes it
  eligible at once, with or without a notice in progress; a later graded inspection without a
  category ends that basis (ungraded and monitoring inspections leave it standing);
* a notice given under a Secretary of State's direction is recorded against the direction.
"""

from __future__ import annotations

from datetime import date

from shared.events import Command, Event

from .direction import RecordDirectedNoticeGiven
from .eligibility import (
    RecordCategoryOfConcernRemoved,
    RecordEligibilityFromInspection,
    RecordEligibilityFromWarningNotice,
)
from .school_facts import SchoolFacts
from .schools_events import InspectionRecorded
from .warning_notice_events import (
    NoticeOfIntentionToUsePowersGiven,
    WarningNoticeEligibilityDateReached,
    WarningNoticeGiven,
)


def _council_maintains(school: SchoolFacts) -> bool:
    return school.known and school.is_maintained and not school.is_closed


def _eligible_under_notice(
    event: NoticeOfIntentionToUsePowersGiven | WarningNoticeEligibilityDateReached, *, eligible_from: date
) -> RecordEligibilityFromWarningNotice:
    """A notice of intention, or a confirmed notice's eligibility date, makes the school eligible
    from that day; the powers lapse as the notice says."""
    return RecordEligibilityFromWarningNotice(
        urn=event.urn,
        notice_id=event.notice_id,
        eligible_from=eligible_from,
        compliance_period_ended_on=event.compliance_period_ended_on,
        powers_lapse_on=event.powers_lapse_on,
    )


def commands_for(event: Event, school: SchoolFacts) -> list[Command]:
    """The commands ``event`` calls for; ``school`` is the facts of the event's school as they
    stand when the event is processed."""
    match event:
        case NoticeOfIntentionToUsePowersGiven() if _council_maintains(school):
            return [_eligible_under_notice(event, eligible_from=event.given_on)]
        case WarningNoticeEligibilityDateReached() if _council_maintains(school):
            return [_eligible_under_notice(event, eligible_from=event.eligible_on)]
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
