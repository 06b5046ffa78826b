"""What a client sends to the PEP routes: the bodies, and the targets, review and support in them.

The domain's value objects (``SmartTarget``, ``Attendee`` ...) are stored inside events, so they
keep accepting whatever the log already holds; these request shapes are the same fields with
the limits of ``shared.text``, turned into the domain's objects by ``to_domain()``.
"""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from shared.text import Label, Name, Narrative, NarrativeOrEmpty, Note, NoteOrEmpty, Quantity, Title

from pep.domain.pep_events import PepOccasion, Rag
from pep.domain.reviews import (
    Attainment,
    Attendance,
    Attendee,
    AttendeeRole,
    Exclusion,
    ExclusionKind,
    FundedSupport,
    FundingSource,
    ProgressJudgement,
)
from pep.domain.targets import SmartTarget, TargetProgress, TargetStatus
from pep.domain.terms import TermRef

from .commands import Body
from .identifiers import IDENTIFIER


class SmartTargetIn(Body):
    target_id: Label
    subject_or_area: Title
    baseline: Note
    target: Note
    by_when: date
    who: Name = Field(description="Who is responsible for the target")

    def to_domain(self) -> SmartTarget:
        return SmartTarget(**self.model_dump())


class AttendanceIn(Body):
    percentage: Quantity
    period_start: date
    period_end: date

    def to_domain(self) -> Attendance:
        return Attendance(**self.model_dump())


class ExclusionIn(Body):
    kind: ExclusionKind
    first_day: date
    school_days: Quantity | None = None
    reason: Note
    unofficial: bool = False

    def to_domain(self) -> Exclusion:
        return Exclusion(**self.model_dump())


class AttainmentIn(Body):
    subject: Label
    attainment: Title
    progress: ProgressJudgement

    def to_domain(self) -> Attainment:
        return Attainment(**self.model_dump())


class TargetProgressIn(Body):
    target_id: Label
    status: TargetStatus
    evidence: Note
    actions: NoteOrEmpty = ""

    def to_domain(self) -> TargetProgress:
        return TargetProgress(**self.model_dump())


class AttendeeIn(Body):
    name: Name
    role: AttendeeRole

    def to_domain(self) -> Attendee:
        return Attendee(**self.model_dump())


class FundedSupportIn(Body):
    description: Note
    cost_pence: int
    funded_by: FundingSource
    target_ids: list[Label] = Field(default_factory=list, max_length=50)

    def to_domain(self) -> FundedSupport:
        return FundedSupport(**self.model_dump())


class PepCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "term": {"academic_year": 2026, "season": "autumn"},
                    "occasion": "termly_review",
                    "initiated_on": "2026-09-14",
                },
                {
                    "pep_id": "C000123-2026-autumn",
                    "term": {"academic_year": 2026, "season": "autumn"},
                    "occasion": "initial",
                },
            ]
        }
    )

    pep_id: str | None = Field(
        default=None, pattern=IDENTIFIER, description="Given by the service when absent"
    )
    term: TermRef
    occasion: PepOccasion
    initiated_on: date | None = Field(default=None, description="Today when not given")


class DraftCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "strengths_and_needs": (
                        "Jordan is a keen footballer and gets on well with his class teacher. He finds "
                        "writing at length hard and loses focus in the afternoons; he needs support to "
                        "manage his feelings after contact with his birth family."
                    ),
                    "meeting_date": "2026-10-06",
                    "saved_on": "2026-10-06",
                },
            ]
        }
    )

    strengths_and_needs: Narrative
    meeting_date: date | None = None
    saved_on: date | None = None


class TargetsCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "targets": [
                        {
                            "target_id": "T1",
                            "subject_or_area": "Reading",
                            "baseline": "Reads at the expected standard for Year 4; reluctant to read aloud.",
                            "target": (
                                "Read the Year 6 class novel independently and talk about its characters "
                                "with an adult once a week."
                            ),
                            "by_when": "2026-12-18",
                            "who": "Ms Helen Marsh, designated teacher",
                        },
                        {
                            "target_id": "T2",
                            "subject_or_area": "Social, emotional and mental health",
                            "baseline": "Leaves the classroom without permission two or three times a week.",
                            "target": (
                                "Use his time-out card instead of leaving the classroom, with no more "
                                "than one incident a fortnight."
                            ),
                            "by_when": "2026-12-18",
                            "who": "Mr Tom Harding, class teacher",
                        },
                    ],
                    "set_on": "2026-10-06",
                },
            ]
        }
    )

    targets: list[SmartTargetIn] = Field(max_length=50)
    set_on: date | None = None


class ReviewCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "meeting_date": "2026-10-06",
                    "attendance": {
                        "percentage": "91.5",
                        "period_start": "2026-09-03",
                        "period_end": "2026-10-02",
                    },
                    "exclusions": [
                        {
                            "kind": "fixed_term",
                            "first_day": "2026-09-24",
                            "school_days": "1",
                            "reason": "Threw a chair in the classroom after an argument at lunchtime.",
                            "unofficial": False,
                        },
                    ],
                    "attainment": [
                        {
                            "subject": "Reading",
                            "attainment": "Working towards the expected standard",
                            "progress": "expected",
                        },
                        {
                            "subject": "Mathematics",
                            "attainment": "At the expected standard",
                            "progress": "above_expected",
                        },
                    ],
                    "target_progress": [
                        {
                            "target_id": "T1",
                            "status": "on_track",
                            "evidence": (
                                "Has read the first six chapters of the class novel and talked about "
                                "them with his mentor."
                            ),
                        },
                    ],
                    "child_voice": (
                        "I like football club and my teacher. I don't like it when people ask about my "
                        "mum."
                    ),
                    "attendees": [
                        {"name": "Jordan Ellis", "role": "child"},
                        {"name": "Mrs Taylor", "role": "carer"},
                        {"name": "Amira Shah", "role": "social_worker"},
                        {"name": "Helen Marsh", "role": "designated_teacher"},
                    ],
                    "support_funded": [
                        {
                            "description": "One-to-one reading tutoring, two 30-minute sessions a week for ten weeks",
                            "cost_pence": 45000,
                            "funded_by": "pupil_premium_plus",
                            "target_ids": ["T1"],
                        },
                    ],
                },
            ]
        }
    )

    meeting_date: date
    attendance: AttendanceIn | None = Field(
        default=None,
        description="left out: worked out from the schools' daily marks of the PEP's term up to the meeting "
        "(recorded with from_daily_marks true)",
    )
    exclusions: list[ExclusionIn] = Field(default_factory=list, max_length=100)
    attainment: list[AttainmentIn] = Field(default_factory=list, max_length=100)
    target_progress: list[TargetProgressIn] = Field(default_factory=list, max_length=100)
    child_voice: Narrative
    attendees: list[AttendeeIn] = Field(max_length=50)
    support_funded: list[FundedSupportIn] = Field(default_factory=list, max_length=50)


class SubmissionCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"submitted_on": "2026-10-08"}, {}]})

    submitted_on: date | None = None


class ReturnCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reason": (
                        "The reading target does not say how progress will be measured: add a measurable "
                        "outcome and say who will check it."
                    ),
                    "returned_on": "2026-10-12",
                },
            ]
        }
    )

    reason: Narrative
    returned_on: date | None = None


class QualityAssuranceCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "rating": "green",
                    "comments": (
                        "A clear plan: targets are SMART, the child's voice is recorded in his own words "
                        "and the PP+ tutoring is linked to the reading target."
                    ),
                    "quality_assured_on": "2026-10-15",
                },
            ]
        }
    )

    rating: Rag
    comments: NarrativeOrEmpty = ""
    quality_assured_on: date | None = None
