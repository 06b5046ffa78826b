"""School projects: the proposal and the panel's decision as a client sends them, the project as
the budget has it after a command, and the read model's record of it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from shared.urn import Urn
from shared.web.paging import Page

from pupil_premium.domain.budget_state import Budget, ProjectState, ProjectStatus
from pupil_premium.domain.money import PositivePence

from .common import Body, Label, Name, Note, Title


class MilestoneIn(Body):
    milestone_id: Label
    description: Note
    due_on: date


class ProjectCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "school_urn": "118234",
                    "title": "Nurture group for looked-after pupils in Key Stage 2",
                    "plan": (
                        "A trained teaching assistant runs a nurture group four afternoons a week for "
                        "six looked-after pupils, with termly Boxall profiles to measure progress."
                    ),
                    "child_ids": ["C000123", "C000207"],
                    "milestones": [
                        {
                            "milestone_id": "M1",
                            "description": "Teaching assistant trained and group running",
                            "due_on": "2026-11-27",
                        },
                        {
                            "milestone_id": "M2",
                            "description": "Boxall profiles repeated for every pupil",
                            "due_on": "2027-03-26",
                        },
                    ],
                    "amount_pence": 120000,
                },
            ]
        }
    )

    school_urn: Urn | None = Field(
        default=None, description="a designated teacher's own school when left out"
    )
    title: Title
    plan: Note
    child_ids: Annotated[list[Label], Field(min_length=1, max_length=1000)]
    milestones: Annotated[list[MilestoneIn], Field(min_length=1, max_length=50)]
    amount_pence: PositivePence


class ProjectApprovalCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "amount_approved_pence": 100000,
                    "reasons": ["Approved; the school funds the remaining training costs."],
                    "panel_members": [
                        "Claire Fenton, Virtual School Head",
                        "Raj Patel, finance business partner",
                        "Dr Sue Adams, educational psychologist",
                    ],
                },
            ]
        }
    )

    amount_approved_pence: PositivePence | None = Field(
        default=None, description="the amount proposed when left out"
    )
    reasons: list[Note] = Field(default_factory=list, max_length=20)
    panel_members: Annotated[list[Name], Field(min_length=1, max_length=20)]


class ProjectRefusalCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "reasons": ["Only one of the children named is looked after by the council."],
                    "panel_members": [
                        "Claire Fenton, Virtual School Head",
                        "Raj Patel, finance business partner",
                        "Dr Sue Adams, educational psychologist",
                    ],
                },
            ]
        }
    )

    reasons: Annotated[list[Note], Field(min_length=1, max_length=20)]
    panel_members: Annotated[list[Name], Field(min_length=1, max_length=20)]


class MilestoneMetCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "met_on": "2026-11-20",
                    "evidence": "Training certificate dated 13 November 2026; the group has met six times since.",
                },
            ]
        }
    )

    met_on: date
    evidence: Note


class MilestonePublic(BaseModel):
    milestone_id: str
    description: str
    due_on: date
    met: bool


class ProjectPublic(BaseModel):
    financial_year: str
    project_id: str
    school_urn: str
    child_ids: list[str]
    milestones: list[MilestonePublic]
    amount_requested_pence: int
    amount_approved_pence: int
    status: ProjectStatus
    run_id: str | None
    budget_remaining_pence: int


class MilestoneRecordPublic(BaseModel):
    milestone_id: str
    description: str
    due_on: date
    met_on: date | None
    evidence: str | None


class ProjectRecordPublic(BaseModel):
    financial_year: str
    project_id: str
    school_urn: str
    title: str
    plan: str
    child_ids: list[str]
    milestones: list[MilestoneRecordPublic]
    amount_requested_pence: int
    amount_approved_pence: int
    status: ProjectStatus
    proposed_on: date
    proposed_by: str
    decided_on: date | None
    reasons: list[str]
    panel_members: list[str]
    run_id: str | None
    paid_on: date | None


class ProjectList(Page[ProjectRecordPublic]):
    """The year's school projects, all in one page, in the order they were proposed."""


def project_public(budget: Budget, project: ProjectState, financial_year: str) -> ProjectPublic:
    return ProjectPublic(
        financial_year=financial_year,
        project_id=project.project_id,
        school_urn=project.school_urn,
        child_ids=list(project.child_ids),
        milestones=[
            MilestonePublic(
                milestone_id=m.milestone_id,
                description=m.description,
                due_on=m.due_on,
                met=m.milestone_id in project.milestones_met,
            )
            for m in project.milestones
        ],
        amount_requested_pence=project.amount_requested_pence,
        amount_approved_pence=project.amount_approved_pence,
        status=project.status,
        run_id=project.run_id,
        budget_remaining_pence=budget.remaining_pence,
    )


def project_record(row: dict[str, Any]) -> ProjectRecordPublic:
    return ProjectRecordPublic(**{name: row[name] for name in ProjectRecordPublic.model_fields})
