"""What a client sends to the PEP routes: the bodies, and the targets, review and support in them.

The domain's value objects (``SmartTarget``, ``Attendee`` ...) are stored inside events, so they
keep accepting whatever the log already holds; these request shapes are the same fields with
the limits of ``shared.text``, turned into the domain's objects by ``to_domain()``.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

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
    pep_id: str | None = Field(
        default=None, pattern=IDENTIFIER, description="Given by the service when absent"
    )
    term: TermRef
    occasion: PepOccasion
    initiated_on: date | None = Field(default=None, description="Today when not given")


class DraftCreate(Body):
    strengths_and_needs: Narrative
    meeting_date: date | None = None
    saved_on: date | None = None


class TargetsCreate(Body):
    targets: list[SmartTargetIn] = Field(max_length=50)
    set_on: date | None = None


class ReviewCreate(Body):
    meeting_date: date
    attendance: AttendanceIn
    exclusions: list[ExclusionIn] = Field(default_factory=list, max_length=100)
    attainment: list[AttainmentIn] = Field(default_factory=list, max_length=100)
    target_progress: list[TargetProgressIn] = Field(default_factory=list, max_length=100)
    child_voice: Narrative
    attendees: list[AttendeeIn] = Field(max_length=50)
    support_funded: list[FundedSupportIn] = Field(default_factory=list, max_length=50)


class SubmissionCreate(Body):
    submitted_on: date | None = None


class ReturnCreate(Body):
    reason: Narrative
    returned_on: date | None = None


class QualityAssuranceCreate(Body):
    rating: Rag
    comments: NarrativeOrEmpty = ""
    quality_assured_on: date | None = None
