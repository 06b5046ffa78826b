"""What a PEP review records, and the checks on it.

domain.md section 2: attendance %, exclusions (fixed-term and permanent; an exclusion the school
did not record formally is an "unofficial exclusion" and must be flagged), attainment and progress
against the child's targets, the child's voice, the support funded by PP+, and who attended.
Persistent absence is attendance below 90%.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from shared.errors import InvalidInput

PERSISTENT_ABSENCE_BELOW = Decimal("90")


class Attendance(BaseModel):
    """Attendance over a period, as a percentage of possible sessions. ``from_daily_marks`` says
    the figure was worked out from the schools' daily marks because the review gave none (the
    designated teacher can still give their own, which is then recorded as given)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    percentage: Decimal
    period_start: date
    period_end: date
    from_daily_marks: bool = False

    @property
    def persistently_absent(self) -> bool:
        return self.percentage < PERSISTENT_ABSENCE_BELOW


class ExclusionKind(StrEnum):
    FIXED_TERM = "fixed_term"
    PERMANENT = "permanent"


class Exclusion(BaseModel):
    """``unofficial`` marks an exclusion the school did not record formally (sent home, part-time
    timetable imposed ...): seed 002 wants none, and the virtual school is told of each one."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ExclusionKind
    first_day: date
    school_days: Decimal | None = None
    reason: str
    unofficial: bool = False


class ProgressJudgement(StrEnum):
    ABOVE_EXPECTED = "above_expected"
    EXPECTED = "expected"
    BELOW_EXPECTED = "below_expected"


class Attainment(BaseModel):
    """The level secured in a subject, and the progress made compared to peers (seed 002 note)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str
    attainment: str
    progress: ProgressJudgement


class AttendeeRole(StrEnum):
    CHILD = "child"
    CARER = "carer"
    PARENT = "parent"
    SOCIAL_WORKER = "social_worker"
    DESIGNATED_TEACHER = "designated_teacher"
    VIRTUAL_SCHOOL = "virtual_school"
    INDEPENDENT_REVIEWING_OFFICER = "independent_reviewing_officer"
    OTHER = "other"


class Attendee(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    role: AttendeeRole


class FundingSource(StrEnum):
    PUPIL_PREMIUM_PLUS = "pupil_premium_plus"
    SCHOOL = "school"
    LOCAL_AUTHORITY = "local_authority"
    OTHER = "other"


class FundedSupport(BaseModel):
    """Support put in place for the child, its cost in pence and the targets it serves."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    description: str
    cost_pence: int
    funded_by: FundingSource
    target_ids: tuple[str, ...] = ()


def check_attendance(attendance: Attendance, meeting_date: date) -> None:
    if attendance.percentage < 0 or attendance.percentage > 100:
        raise InvalidInput(
            f"attendance must be between 0% and 100%, not {attendance.percentage}%",
            field="attendance.percentage",
        )
    if attendance.period_end < attendance.period_start:
        raise InvalidInput("the attendance period ends before it starts", field="attendance.period_end")
    if attendance.period_end > meeting_date:
        raise InvalidInput(
            "attendance cannot be reported beyond the meeting date", field="attendance.period_end"
        )


def check_exclusions(exclusions: Sequence[Exclusion], meeting_date: date) -> None:
    for index, exclusion in enumerate(exclusions):
        prefix = f"exclusions[{index}]"
        if exclusion.first_day > meeting_date:
            raise InvalidInput("an exclusion cannot start after the meeting", field=f"{prefix}.first_day")
        if not exclusion.reason.strip():
            raise InvalidInput("give the reason for the exclusion", field=f"{prefix}.reason")
        if exclusion.kind is ExclusionKind.FIXED_TERM:
            if exclusion.school_days is None or exclusion.school_days <= 0:
                raise InvalidInput(
                    "a fixed-term exclusion lasts some school days", field=f"{prefix}.school_days"
                )
        elif exclusion.school_days is not None:
            raise InvalidInput("a permanent exclusion has no length", field=f"{prefix}.school_days")


def check_attainment(attainment: Sequence[Attainment]) -> None:
    for index, record in enumerate(attainment):
        if not record.subject.strip():
            raise InvalidInput("name the subject", field=f"attainment[{index}].subject")
        if not record.attainment.strip():
            raise InvalidInput("record the level secured", field=f"attainment[{index}].attainment")


def check_attendees(attendees: Sequence[Attendee]) -> None:
    if not attendees:
        raise InvalidInput("record who attended the PEP meeting", field="attendees")
    for index, attendee in enumerate(attendees):
        if not attendee.name.strip():
            raise InvalidInput("each attendee needs a name", field=f"attendees[{index}].name")


def check_support(support: Sequence[FundedSupport], known_target_ids: set[str]) -> None:
    for index, item in enumerate(support):
        prefix = f"support_funded[{index}]"
        if not item.description.strip():
            raise InvalidInput("describe the support", field=f"{prefix}.description")
        if item.cost_pence < 0:
            raise InvalidInput("a cost cannot be negative", field=f"{prefix}.cost_pence")
        for target_id in item.target_ids:
            if target_id not in known_target_ids:
                raise InvalidInput(
                    f"no target {target_id!r} in this child's PEP", field=f"{prefix}.target_ids"
                )
