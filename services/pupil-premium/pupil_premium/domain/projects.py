"""School projects: PP+ pooled for a school where many looked-after children attend.

Seed 002 (projects strand): identified schools submit plans, funding is approved and devolved, and
progress is followed through milestones and review meetings. A project names its cohort of
looked-after children on roll at the school (at least the policy's minimum), a plan, milestones
and the amount sought; the panel approves it (in full or in part) against the budget, or refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pydantic import Field

from shared.errors import Conflict, InvalidInput, NotFound, RuleViolation
from shared.events import Command
from shared.urn import Urn

from .budget_state import Budget, ProjectState, ProjectStatus, check_financial_year
from .child_facts import ChildEducationFacts
from .devolution import DevolutionPolicies
from .events import (
    Milestone,
    ProjectMilestoneMet,
    SchoolProjectApproved,
    SchoolProjectProposed,
    SchoolProjectRefused,
)
from .financial_year import FinancialYearLabel
from .money import Identifier, PositivePence, Text, pounds
from .panel import check_affordable
from .refusals import FundingStage, NotOnRoll


class ProposeSchoolProject(Command):
    financial_year: FinancialYearLabel
    project_id: Identifier
    school_urn: Urn
    title: Text
    plan: Text
    child_ids: tuple[Identifier, ...] = Field(min_length=1)
    milestones: tuple[Milestone, ...] = Field(min_length=1)
    amount_pence: PositivePence
    proposed_by: Text


class ApproveSchoolProject(Command):
    financial_year: FinancialYearLabel
    project_id: Identifier
    amount_approved_pence: PositivePence | None = None
    reasons: tuple[Text, ...] = ()
    panel_members: tuple[Text, ...] = Field(min_length=1)


class RefuseSchoolProject(Command):
    financial_year: FinancialYearLabel
    project_id: Identifier
    reasons: tuple[Text, ...] = Field(min_length=1)
    panel_members: tuple[Text, ...] = Field(min_length=1)


class RecordMilestoneMet(Command):
    financial_year: FinancialYearLabel
    project_id: Identifier
    milestone_id: Identifier
    met_on: date
    evidence: Text


def propose_school_project(
    command: ProposeSchoolProject,
    budget: Budget,
    *,
    children: Mapping[str, ChildEducationFacts],
    policies: DevolutionPolicies,
    today: date,
) -> list[SchoolProjectProposed]:
    check_financial_year(budget, command.financial_year)
    if command.project_id in budget.projects:
        raise Conflict(f"school project {command.project_id} already exists", field="project_id")
    _check_milestones(command.milestones, today)
    seen: set[str] = set()
    for index, child_id in enumerate(command.child_ids):
        field = f"child_ids[{index}]"
        if child_id in seen:
            raise InvalidInput(f"{child_id} is named twice", field=field)
        seen.add(child_id)
        child = children.get(child_id)
        if child is None:
            raise NotFound(f"no looked-after child {child_id} is known", field=field)
        if not child.looked_after_on(today):
            raise NotOnRoll(f"{child_id} is not looked after on {today.isoformat()}", field=field)
        if not child.on_roll_at(command.school_urn, today):
            raise NotOnRoll(
                f"{child_id} is not on roll at school {command.school_urn} on {today.isoformat()}",
                field=field,
            )
    minimum = policies.in_force_on(today).minimum_children_per_project
    if len(command.child_ids) < minimum:
        raise RuleViolation(
            f"a pooled school project needs at least {minimum} looked-after children on roll",
            field="child_ids",
        )
    return [
        SchoolProjectProposed(
            financial_year=command.financial_year,
            project_id=command.project_id,
            school_urn=command.school_urn,
            title=command.title,
            plan=command.plan,
            child_ids=command.child_ids,
            milestones=command.milestones,
            amount_pence=command.amount_pence,
            proposed_on=today,
            proposed_by=command.proposed_by,
        )
    ]


def approve_school_project(
    command: ApproveSchoolProject, budget: Budget, *, policies: DevolutionPolicies, today: date
) -> list[SchoolProjectApproved]:
    project = _undecided(command.financial_year, command.project_id, budget)
    amount = command.amount_approved_pence or project.amount_requested_pence
    if amount > project.amount_requested_pence:
        raise InvalidInput(
            f"the panel cannot approve more than the {pounds(project.amount_requested_pence)} "
            "pounds proposed",
            field="amount_approved_pence",
        )
    if amount < project.amount_requested_pence and not command.reasons:
        raise InvalidInput("give the reasons for approving less than was proposed", field="reasons")
    check_affordable(budget, amount, policies=policies, today=today, field="amount_approved_pence")
    return [
        SchoolProjectApproved(
            financial_year=command.financial_year,
            project_id=project.project_id,
            school_urn=project.school_urn,
            amount_requested_pence=project.amount_requested_pence,
            amount_approved_pence=amount,
            reasons=command.reasons,
            panel_members=command.panel_members,
            decided_on=today,
        )
    ]


def refuse_school_project(
    command: RefuseSchoolProject, budget: Budget, *, today: date
) -> list[SchoolProjectRefused]:
    project = _undecided(command.financial_year, command.project_id, budget)
    return [
        SchoolProjectRefused(
            financial_year=command.financial_year,
            project_id=project.project_id,
            school_urn=project.school_urn,
            reasons=command.reasons,
            panel_members=command.panel_members,
            decided_on=today,
        )
    ]


def record_milestone_met(
    command: RecordMilestoneMet, budget: Budget, *, today: date
) -> list[ProjectMilestoneMet]:
    check_financial_year(budget, command.financial_year)
    project = budget.project(command.project_id)
    if not project.is_funded:
        raise FundingStage(
            f"school project {project.project_id} is {project.status.value}, not approved", field="project_id"
        )
    milestone = project.milestone(command.milestone_id)
    if milestone is None:
        raise NotFound(
            f"school project {project.project_id} has no milestone {command.milestone_id}",
            field="milestone_id",
        )
    if command.milestone_id in project.milestones_met:
        raise FundingStage(
            f"milestone {command.milestone_id} is already recorded as met", field="milestone_id"
        )
    if command.met_on > today:
        raise InvalidInput("a milestone cannot be met in the future", field="met_on")
    return [
        ProjectMilestoneMet(
            financial_year=command.financial_year,
            project_id=project.project_id,
            school_urn=project.school_urn,
            milestone_id=milestone.milestone_id,
            description=milestone.description,
            due_on=milestone.due_on,
            met_on=command.met_on,
            evidence=command.evidence,
        )
    ]


def _undecided(financial_year: str, project_id: str, budget: Budget) -> ProjectState:
    check_financial_year(budget, financial_year)
    project = budget.project(project_id)
    if project.status is not ProjectStatus.PROPOSED:
        raise FundingStage(
            f"school project {project_id} has already been decided ({project.status.value})",
            field="project_id",
        )
    return project


def _check_milestones(milestones: tuple[Milestone, ...], today: date) -> None:
    seen: set[str] = set()
    for index, milestone in enumerate(milestones):
        if milestone.milestone_id in seen:
            raise InvalidInput(
                f"milestone {milestone.milestone_id} is named twice",
                field=f"milestones[{index}].milestone_id",
            )
        seen.add(milestone.milestone_id)
        if milestone.due_on < today:
            raise InvalidInput("a milestone cannot be due in the past", field=f"milestones[{index}].due_on")
