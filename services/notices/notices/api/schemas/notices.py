"""Request and response bodies of the warning-notice routes."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from shared.text import Name, Narrative, Note
from shared.urn import Urn
from shared.web.paging import Page
from notices.api.schemas.common import Body, DeadlinePublic, IdField, Public, deadlines_public
from notices.domain.notice_content import NoticeContent
from notices.domain.notice_timeline import KeyDates
from notices.domain.recipients import Recipient, RecipientRole
from notices.domain.vocabulary import CompliancePeriod, Ground, LowStandardsBasis, NoticeGiver, Power
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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "urn": "118236",
                    "grounds": ["low_standards"],
                    "low_standards_basis": ["expected_attainment", "comparable_schools"],
                    "concerns": [
                        (
                            "In 2026 only 38% of pupils reached the expected standard in reading, "
                            "writing and mathematics at key stage 2, against 61% nationally and 64% in "
                            "similar schools."
                        ),
                        (
                            "Ofsted found in February 2025 that leaders have not acted on the weaknesses "
                            "identified in 2022."
                        ),
                    ],
                    "required_actions": [
                        (
                            "Adopt, by 30 November 2026, a school improvement plan for reading and "
                            "mathematics agreed with the council's school improvement adviser."
                        ),
                        "Report to the council each half term on pupils' progress against the plan.",
                    ],
                    "compliance_period": {"working_days": 15},
                    "powers_minded_to_use": ["s64_additional_governors", "s65_interim_executive_board"],
                    "drafted_on": "2026-10-05",
                },
            ]
        }
    )

    urn: Urn
    drafted_on: date | None = Field(default=None, description="Today when not given")
    direction_id: IdField | None = Field(
        default=None, description="The Secretary of State's direction it answers"
    )


class WarningNoticeDraftAmend(NoticeContentIn):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "grounds": ["low_standards"],
                    "low_standards_basis": ["expected_attainment", "comparable_schools"],
                    "concerns": [
                        (
                            "In 2026 only 38% of pupils reached the expected standard in reading, "
                            "writing and mathematics at key stage 2, against 61% nationally and 64% in "
                            "similar schools."
                        ),
                        (
                            "Ofsted found in February 2025 that leaders have not acted on the weaknesses "
                            "identified in 2022."
                        ),
                    ],
                    "required_actions": [
                        (
                            "Adopt, by 30 November 2026, a school improvement plan for reading and "
                            "mathematics agreed with the council's school improvement adviser."
                        ),
                        "Report to the council each half term on pupils' progress against the plan.",
                    ],
                    "compliance_period": {"working_days": 20},
                    "powers_minded_to_use": ["s64_additional_governors", "s65_interim_executive_board"],
                    "amended_on": "2026-10-07",
                },
            ]
        }
    )

    amended_on: date | None = Field(default=None, description="Today when not given")


class WarningNoticeDiscard(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "discarded_on": "2026-10-08",
                    "reason": (
                        "The governing body has agreed to join a federation with a good local school; "
                        "the notice is not needed."
                    ),
                },
            ]
        }
    )

    discarded_on: date | None = Field(default=None, description="Today when not given")
    reason: Note


class WarningNoticeGive(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"given_on": "2026-10-12"},
                {
                    "given_on": "2026-10-12",
                    "compliance_period": {"ends_on": "2026-11-02"},
                    "diocesan_authority": "Diocese of Rochester",
                },
            ]
        }
    )

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
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "made_on": "2026-10-19",
                    "summary": (
                        "The governing body says the 2026 results reflect a cohort with high needs and "
                        "that a new headteacher started in September; it asks Ofsted not to confirm the "
                        "notice."
                    ),
                },
            ]
        }
    )

    made_on: date
    summary: Narrative


class OfstedDecisionCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"decided_on": "2026-10-26", "confirmed": True}]}
    )

    decided_on: date
    confirmed: bool


class ComplianceJudgementCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "judged_on": "2026-11-02",
                    "complied": False,
                    "evidence": (
                        "No school improvement plan had been agreed by the end of the compliance period, "
                        "and the half-termly progress report was not sent."
                    ),
                },
            ]
        }
    )

    judged_on: date
    complied: bool
    evidence: Narrative


class NoticeOfIntentionCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"given_on": "2026-11-02", "powers": ["s65_interim_executive_board"]}]
        }
    )

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
    given_by: NoticeGiver = Field(
        description="Who gave it: the council (the Secretary of State's are recorded apart)"
    )
    superseded_by: str | None = Field(
        default=None,
        description="The Secretary of State's notice that made it cease to have effect (s60(4B)), if any",
    )
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
            given_by=state.given_by,
            superseded_by=state.superseded_by,
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
