"""Events of a warning notice's stream (``notice-<notice id>``): the public contract.

Each event carries the URN, and the dates computed when it was recorded, so a reader (a read
model, another service) never needs the calendar or the rule book to follow a notice.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from .event_base import SchoolEvent
from .notice_content import NoticeContent
from .recipients import Recipient
from .vocabulary import NoticeGiver, Power


class WarningNoticeDrafted(SchoolEvent):
    event_type: ClassVar[str] = "WarningNoticeDrafted"

    notice_id: str
    school_name: str
    drafted_on: date
    content: NoticeContent
    direction_id: str | None = None
    """The Secretary of State's direction the notice answers, if any."""

    def effective_on(self) -> date | None:
        return self.drafted_on


class WarningNoticeDraftAmended(SchoolEvent):
    event_type: ClassVar[str] = "WarningNoticeDraftAmended"

    notice_id: str
    amended_on: date
    content: NoticeContent

    def effective_on(self) -> date | None:
        return self.amended_on


class WarningNoticeDraftDiscarded(SchoolEvent):
    event_type: ClassVar[str] = "WarningNoticeDraftDiscarded"

    notice_id: str
    discarded_on: date
    reason: str

    def effective_on(self) -> date | None:
        return self.discarded_on


class WarningNoticeGiven(SchoolEvent):
    """The notice was given to the governing body. Its copies follow as ``WarningNoticeCopyGiven``
    events in the same append."""

    event_type: ClassVar[str] = "WarningNoticeGiven"

    notice_id: str
    school_name: str
    given_on: date
    rules: str
    """The key of the regime the notice is processed under (the one in force on ``given_on``)."""
    content: NoticeContent
    compliance_period_ends_on: date
    representations_allowed: bool
    representation_window_ends_on: date | None
    powers_lapse_on: date
    """The first day s63, s64 and s66 could no longer be used if the school becomes eligible
    through this notice (two months after the compliance period ends). Ofsted's confirmation
    moves it (see ``OfstedConfirmedWarningNotice``)."""
    recipients: tuple[Recipient, ...]
    direction_id: str | None = None
    given_by: NoticeGiver = NoticeGiver.COUNCIL
    """Who gave it: always the council on this stream (the Secretary of State's notices are
    recorded as ``SecretaryOfStateWarningNoticeRecorded``); events recorded before the field
    existed read as the council's."""

    def effective_on(self) -> date | None:
        return self.given_on


class WarningNoticeCopyGiven(SchoolEvent):
    """One recipient's copy (the governing body's is the notice itself) recorded as given."""

    event_type: ClassVar[str] = "WarningNoticeCopyGiven"

    notice_id: str
    recipient: Recipient
    given_on: date

    def effective_on(self) -> date | None:
        return self.given_on


class RepresentationsMadeToOfsted(SchoolEvent):
    """The governing body's written representations to Ofsted (notices given before 18 April 2016)."""

    event_type: ClassVar[str] = "RepresentationsMadeToOfsted"

    notice_id: str
    made_on: date
    summary: str

    def effective_on(self) -> date | None:
        return self.made_on


class OfstedConfirmedWarningNotice(SchoolEvent):
    event_type: ClassVar[str] = "OfstedConfirmedWarningNotice"

    notice_id: str
    confirmed_on: date
    eligible_on: date
    """15 working days after the confirmation: the school becomes eligible for intervention on
    this day, and the compliance period is taken to end on it."""
    powers_lapse_on: date
    """The day after the two months following ``eligible_on``, when s63, s64 and s66 lapse."""

    def effective_on(self) -> date | None:
        return self.confirmed_on


class OfstedDidNotConfirmWarningNotice(SchoolEvent):
    event_type: ClassVar[str] = "OfstedDidNotConfirmWarningNotice"

    notice_id: str
    decided_on: date

    def effective_on(self) -> date | None:
        return self.decided_on


class WarningNoticeComplied(SchoolEvent):
    event_type: ClassVar[str] = "WarningNoticeComplied"

    notice_id: str
    judged_on: date
    evidence: str

    def effective_on(self) -> date | None:
        return self.judged_on


class WarningNoticeNotComplied(SchoolEvent):
    event_type: ClassVar[str] = "WarningNoticeNotComplied"

    notice_id: str
    judged_on: date
    evidence: str

    def effective_on(self) -> date | None:
        return self.judged_on


class NoticeOfIntentionToUsePowersGiven(SchoolEvent):
    """The council's written notice that it proposes to use its powers, after the notice was not
    complied with: from ``given_on`` the school is eligible for intervention."""

    event_type: ClassVar[str] = "NoticeOfIntentionToUsePowersGiven"

    notice_id: str
    given_on: date
    powers: tuple[Power, ...]
    compliance_period_ended_on: date
    powers_lapse_on: date

    def effective_on(self) -> date | None:
        return self.given_on


class CompliancePeriodEnded(SchoolEvent):
    """Deadline: the last day of the compliance period has passed (appended by the scheduler)."""

    event_type: ClassVar[str] = "CompliancePeriodEnded"

    notice_id: str
    ended_on: date

    def effective_on(self) -> date | None:
        return self.ended_on


class RepresentationWindowClosed(SchoolEvent):
    """Deadline: the last day for representations to Ofsted has passed."""

    event_type: ClassVar[str] = "RepresentationWindowClosed"

    notice_id: str
    closed_on: date
    representations_made: bool

    def effective_on(self) -> date | None:
        return self.closed_on


class WarningNoticeEligibilityDateReached(SchoolEvent):
    """Deadline: 15 working days after Ofsted confirmed the notice, the school is eligible."""

    event_type: ClassVar[str] = "WarningNoticeEligibilityDateReached"

    notice_id: str
    eligible_on: date
    compliance_period_ended_on: date
    powers_lapse_on: date

    def effective_on(self) -> date | None:
        return self.eligible_on


class WarningNoticeSuperseded(SchoolEvent):
    """The council's notice ceased to have effect because the Secretary of State gave the school's
    governing body a warning notice of its own (s60(4B) of the Education and Inspections Act 2006,
    as amended by the Education and Adoption Act 2016): from ``ended_on``, the day the Secretary of
    State's notice was given, the notice's deadlines no longer fire and it can no longer be judged
    or make the school eligible for intervention. Eligibility it had already made is left as
    recorded on the school's intervention stream."""

    event_type: ClassVar[str] = "WarningNoticeSuperseded"

    notice_id: str
    ended_on: date
    superseded_by: str
    """The id the council recorded the Secretary of State's notice under."""
    superseded_by_giver: str
    """Who gave the Secretary of State's notice (e.g. a DfE regional director)."""
    reason: str

    def effective_on(self) -> date | None:
        return self.ended_on


WARNING_NOTICE_EVENTS = (
    WarningNoticeDrafted,
    WarningNoticeDraftAmended,
    WarningNoticeDraftDiscarded,
    WarningNoticeGiven,
    WarningNoticeCopyGiven,
    RepresentationsMadeToOfsted,
    OfstedConfirmedWarningNotice,
    OfstedDidNotConfirmWarningNotice,
    WarningNoticeComplied,
    WarningNoticeNotComplied,
    NoticeOfIntentionToUsePowersGiven,
    CompliancePeriodEnded,
    RepresentationWindowClosed,
    WarningNoticeEligibilityDateReached,
    WarningNoticeSuperseded,
)
