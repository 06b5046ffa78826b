"""Request and response bodies of the warning-notice routes."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from shared.text import Name, Narrative, Note
from shared.urn import Urn
from shared.web.paging import Page
from notices.api.schemas.common import Body, DeadlinePublic, IdField, Public, deadlines_public
from notices.domain.notice_content import NoticeContent
from notices.domain.notice_timeline import KeyDates
from notices.domain.recipients import Recipient, RecipientRole
from notices.domain.vocabulary import CompliancePeriod, Ground, LowStandardsBasis, Power
from notices.queries.records import NoticeRecord


class CompliancePeriodIn(Body):
    """Either a number of working days after the day the notice is given, or the date it ends."""

    working_days: int | None = Field(default=None, ge=1, le=400)
    ends_on: date | None = None

    def to_domain(self) -> CompliancePeriod:
        return CompliancePeriod(working_days=self.working_days, ends_on=self.ends_on)


class NoticeContentIn(Body):
    grounds: list[Ground] = Field(
        max_length=3, description="One or more of the three statutory grounds (s60(2))"
    )
    low_standards_basis: list[LowStandardsBasis] = Field(
        default_factory=list,
        max_length=3,
        description="With the low-standards ground: low by reference to what",
    )
    concerns: list[Narrative] = Field(max_length=100, description="The concerns, in detail")
    required_actions: list[Narrative] = Field(
        max_length=100, description="The action required of the governing body"
    )
    compliance_period: CompliancePeriodIn | None = Field(
        default=None, description="Required for a notice given from 18 April 2016; fixed by law before"
    )
    powers_minded_to_use: list[Power] = Field(default_factory=list, max_length=4)
    other_action_minded_to_take: Narrative | None = None

    def content(self) -> NoticeContent:
        return NoticeContent(
            grounds=tuple(self.grounds),
            low_standards_basis=tuple(self.low_standards_basis),
            concerns=tuple(self.concerns),
            required_actions=tuple(self.required_actions),
            compliance_period=self.compliance_period.to_domain() if self.compliance_period else None,
            powers_minded_to_use=tuple(self.powers_minded_to_use),
            other_action_minded_to_take=self.other_action_minded_to_take,
        )


class WarningNoticeCreate(NoticeContentIn):
    urn: Urn
    drafted_on: date | None = Field(default=None, description="Today when not given")
    direction_id: IdField | None = Field(
        default=None, description="The Secretary of State's direction it answers"
    )


class WarningNoticeDraftAmend(NoticeContentIn):
    amended_on: date | None = Field(default=None, description="Today when not given")


class WarningNoticeDiscard(Body):
    discarded_on: date | None = Field(default=None, description="Today when not given")
    reason: Note


class WarningNoticeGive(Body):
    given_on: date
    compliance_period: CompliancePeriodIn | None = Field(
        default=None, description="Replaces the draft's compliance period (from 18 April 2016)"
    )
    diocesan_authority: Name | None = Field(
        default=None, description="For a Church of England or Roman Catholic school with no diocese on record"
    )
    foundation_governors_appointer: Name | None = Field(
        default=None,
        description="For a foundation or voluntary school: who appoints the foundation governors",
    )


class RepresentationsCreate(Body):
    made_on: date
    summary: Narrative


class OfstedDecisionCreate(Body):
    decided_on: date
    confirmed: bool


class ComplianceJudgementCreate(Body):
    judged_on: date
    complied: bool
    evidence: Narrative


class NoticeOfIntentionCreate(Body):
    given_on: date
    powers: list[Power] = Field(max_length=4)


class CopyGivenPublic(Public):
    role: RecipientRole
    name: str
    given_on: date


class TimelineEntryPublic(Public):
    on: date
    event_type: str
    summary: str


class NoticePublic(Public):
    notice_id: str
    urn: str
    school_name: str
    stage: str
    rules: str | None = Field(
        description="The regime the notice is processed under (the one in force the day given)"
    )
    direction_id: str | None
    content: NoticeContent | None
    dates: KeyDates
    recipients: list[Recipient]
    copies_given: list[CopyGivenPublic]
    compliance_evidence: str | None
    powers_proposed: list[Power]
    timeline: list[TimelineEntryPublic]
    pending_deadlines: list[DeadlinePublic]
    version: int

    @classmethod
    def of(cls, record: NoticeRecord) -> NoticePublic:
        state, timeline = record.state, record.timeline
        return cls(
            notice_id=timeline.notice_id,
            urn=timeline.urn,
            school_name=timeline.school_name,
            stage=timeline.stage.value,
            rules=timeline.rules,
            direction_id=state.direction_id,
            content=state.content,
            dates=timeline.dates,
            recipients=list(state.recipients),
            copies_given=[
                CopyGivenPublic(role=r.role, name=r.name, given_on=on) for r, on in state.copies_given
            ],
            compliance_evidence=state.evidence,
            powers_proposed=list(state.powers_proposed),
            timeline=[TimelineEntryPublic.model_validate(e) for e in timeline.entries],
            pending_deadlines=deadlines_public(timeline.pending_deadlines),
            version=record.version,
        )


class NoticeSummaryPublic(Public):
    notice_id: str
    urn: str
    school_name: str
    stage: str
    rules: str | None
    direction_id: str | None
    drafted_on: date | None
    given_on: date | None
    compliance_period_ends_on: date | None


class NoticeList(Page[NoticeSummaryPublic]):
    """Warning notices, newest first (by the day drafted, then id), a page at a time."""
