"""The shapes the schools API answers with (``...Public``), built from domain state or read models."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel

from schools.domain.categorisation import Categorisation
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.register import School
from schools.domain.reviews import ScheduledReview
from schools.domain.support import YearSupport
from schools.domain.terms import academic_year_label
from schools.queries import days


class SchoolPublic(BaseModel):
    """A school's entry on the register."""

    urn: str
    name: str
    la_code: str
    la_name: str | None
    establishment_type: EstablishmentType
    phase: Phase
    religious_character: str | None
    diocese: str | None
    status: SchoolStatus
    opened_on: date | None
    closed_on: date | None
    headteacher: str | None
    chair_of_governors: str | None
    designated_teacher: str | None
    maintained: bool
    has_foundation_governors: bool
    predecessor_urn: str | None
    successor_urn: str | None
    version: int
    recorded: list[str] = []

    @classmethod
    def of(cls, school: School, version: int, recorded: list[str] | None = None) -> SchoolPublic:
        assert school.details is not None and school.urn is not None and school.status is not None
        return cls(
            urn=school.urn,
            **school.details.model_dump(),
            status=school.status,
            closed_on=school.closed_on,
            predecessor_urn=school.predecessor_urn,
            successor_urn=school.successor_urn,
            version=version,
            recorded=recorded or [],
        )


class InspectionPublic(BaseModel):
    urn: str
    inspection_id: str
    inspected_on: date
    inspection_type: str
    framework: str
    overall_effectiveness: str | None = None
    judgements: dict[str, str] = {}
    safeguarding: str | None = None
    category_of_concern: str | None = None
    headline_judgement: str | None = None
    below_good: bool
    published_on: date | None = None
    stuck: bool = False
    recorded: list[str] = []


class ProposalPublic(BaseModel):
    proposal_id: str
    category: str
    reasons: list[str]
    proposed_by: str
    proposed_on: date
    review_cycle: str


class CategorisationPublic(BaseModel):
    urn: str
    category: str | None
    categorised_on: date | None
    review_cycle: str | None
    approved_by: str | None
    pending_proposal: ProposalPublic | None
    version: int
    recorded: list[str] = []

    @classmethod
    def of(cls, urn: str, state: Categorisation, version: int, recorded: list[str]) -> CategorisationPublic:
        current, pending = state.current, state.pending
        return cls(
            urn=urn,
            category=current.category.value if current else None,
            categorised_on=current.categorised_on if current else None,
            review_cycle=current.review_cycle if current else None,
            approved_by=current.approved_by if current else None,
            pending_proposal=(
                ProposalPublic(
                    proposal_id=pending.proposal_id,
                    category=pending.category.value,
                    reasons=list(pending.reasons),
                    proposed_by=pending.proposed_by,
                    proposed_on=pending.proposed_on,
                    review_cycle=pending.review_cycle,
                )
                if pending
                else None
            ),
            version=version,
            recorded=recorded,
        )


class SupportYearPublic(BaseModel):
    """Adviser days for one academic year: allocated from the category, added, used, remaining."""

    urn: str
    academic_year: int
    academic_year_label: str
    category: str | None = None
    days_allocated: float
    days_increased: float
    days_total: float
    days_used: float
    days_remaining: float
    version: int | None = None
    recorded: list[str] = []

    @classmethod
    def of(
        cls, urn: str, year: int, support: YearSupport, version: int, recorded: list[str]
    ) -> SupportYearPublic:
        return cls(
            urn=urn,
            academic_year=year,
            academic_year_label=academic_year_label(year),
            days_allocated=days(support.allocated),
            days_increased=days(support.increased),
            days_total=days(support.total),
            days_used=days(support.used),
            days_remaining=days(support.remaining),
            version=version,
            recorded=recorded,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> SupportYearPublic:
        total = row["allocated"] + row["increased"]
        return cls(
            urn=row["urn"],
            academic_year=row["academic_year"],
            academic_year_label=academic_year_label(row["academic_year"]),
            category=row["category"],
            days_allocated=days(row["allocated"]),
            days_increased=days(row["increased"]),
            days_total=days(total),
            days_used=days(row["used"]),
            days_remaining=days(total - row["used"]),
        )


class VisitPublic(BaseModel):
    urn: str
    visit_id: str
    academic_year: int
    visited_on: date
    adviser: str
    days: float
    purpose: str
    notes: str | None = None


class ReviewPublic(BaseModel):
    urn: str
    review_id: str
    frequency: str
    category: str | None = None
    due_on: date
    required_by: date | None = None
    scheduled_on: date
    held_on: date | None = None
    outcome: str | None = None
    summary: str | None = None
    actions: list[str] = []
    cancelled_on: date | None = None
    cancel_reason: str | None = None
    version: int | None = None
    recorded: list[str] = []

    @classmethod
    def of(cls, urn: str, review: ScheduledReview, version: int, recorded: list[str]) -> ReviewPublic:
        return cls(
            urn=urn,
            review_id=review.review_id,
            frequency=review.frequency.value,
            due_on=review.due_on,
            scheduled_on=review.scheduled_on,
            held_on=review.held_on,
            outcome=review.outcome.value if review.outcome else None,
            cancelled_on=review.cancelled_on,
            version=version,
            recorded=recorded,
        )
