"""The council's category: a proposal, its rejection, and the school's categorisation."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from schools.domain.categorisation import Categorisation, CouncilCategory
from shared.text import Note


class ProposalCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "category": "requires_improvement",
                    "reasons": [
                        "Ofsted judged the quality of education to require improvement in March 2023.",
                        (
                            "Reading at the expected standard at key stage 2 has fallen for three years "
                            "running."
                        ),
                    ],
                    "proposed_on": "2026-10-05",
                },
            ]
        },
    )

    category: CouncilCategory
    reasons: list[Note] = Field(max_length=20)
    proposed_on: date | None = Field(
        default=None,
        description="when the category was proposed (a historic categorisation); today if not given. "
        "Not in the future, not before the school opened, not before its current category was approved",
    )


class ApprovalCreate(BaseModel):
    """The body of an approval is optional: without one, the category is approved today."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"approved_on": "2026-10-12"}, {}]},
    )

    approved_on: date | None = Field(
        default=None,
        description="when the category was approved, and so the school's category from; today if not "
        "given. Not in the future, not before the proposal",
    )


class RejectionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "reason": (
                        "The 2026 results are provisional; bring the proposal back when the validated "
                        "results are published in December."
                    ),
                    "rejected_on": "2026-10-09",
                },
            ]
        },
    )

    reason: Note
    rejected_on: date | None = Field(
        default=None,
        description="when the proposal was sent back; today if not given. Not in the future, not "
        "before the proposal",
    )


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
