"""School projects: pooled PP+ for a school with many looked-after children, with a plan,
milestones and its own approval by the panel."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from shared.errors import NotFound
from shared.security.data_scope import designated_teacher_urn, ensure_designated_teacher_scope
from shared.security.principal import Principal
from shared.web.paging import single_page

from pupil_premium import access
from pupil_premium.api.budget_command import BudgetCommandDep
from pupil_premium.api.schemas.common import year_label
from pupil_premium.api.schemas.projects import (
    MilestoneMetCreate,
    ProjectApprovalCreate,
    ProjectCreate,
    ProjectList,
    ProjectPublic,
    ProjectRecordPublic,
    ProjectRefusalCreate,
    project_public,
    project_record,
)
from pupil_premium.handlers import projects as handlers
from pupil_premium.queries import projects_and_runs as queries
from pupil_premium.wiring import PupilPremiumDep

router = APIRouter(prefix="/budgets/{financial_year}/projects", tags=["school projects"])


@router.post("", status_code=201, summary="Propose a pooled project for a school's looked-after children")
async def propose(
    financial_year: str,
    body: ProjectCreate,
    principal: Annotated[Principal, Depends(access.PROPOSE_PROJECT)],
    command: BudgetCommandDep,
) -> ProjectPublic:
    label, outcome, project_id = await command.create_at_school(
        handlers.propose, financial_year, body.model_dump(), principal, kind="project"
    )
    return project_public(outcome.state, outcome.state.projects[project_id], label)


@router.get("", summary="The year's school projects (a designated teacher's own school only)")
async def list_projects(
    financial_year: str,
    principal: Annotated[Principal, Depends(access.READ_REQUESTS)],
    pp: PupilPremiumDep,
) -> ProjectList:
    rows = await queries.list_projects(
        pp.pool, year_label(financial_year), school_urn=designated_teacher_urn(principal)
    )
    return ProjectList(**single_page(project_record(row) for row in rows))


@router.get("/{project_id}", summary="One school project: plan, cohort, milestones, decision, payment")
async def project(
    financial_year: str,
    project_id: str,
    principal: Annotated[Principal, Depends(access.READ_REQUESTS)],
    pp: PupilPremiumDep,
) -> ProjectRecordPublic:
    label = year_label(financial_year)
    row = await queries.project_row(pp.pool, label, project_id)
    ensure_designated_teacher_scope(principal, row["school_urn"] if row else None)
    if row is None:
        raise NotFound(f"there is no school project {project_id} in the {label} budget", field="project_id")
    return project_record(row)


@router.post("/{project_id}/approval", summary="The panel approves the project (in full or in part)")
async def approve(
    financial_year: str,
    project_id: str,
    body: ProjectApprovalCreate,
    principal: Annotated[Principal, Depends(access.PANEL)],
    command: BudgetCommandDep,
) -> ProjectPublic:
    return await command.on_project(handlers.approve, financial_year, project_id, body.model_dump())


@router.post("/{project_id}/refusal", summary="The panel refuses the project, with reasons")
async def refuse(
    financial_year: str,
    project_id: str,
    body: ProjectRefusalCreate,
    principal: Annotated[Principal, Depends(access.PANEL)],
    command: BudgetCommandDep,
) -> ProjectPublic:
    return await command.on_project(handlers.refuse, financial_year, project_id, body.model_dump())


@router.post("/{project_id}/milestones/{milestone_id}/met", summary="Record a milestone met, with evidence")
async def milestone_met(
    financial_year: str,
    project_id: str,
    milestone_id: str,
    body: MilestoneMetCreate,
    principal: Annotated[Principal, Depends(access.RECORD_MILESTONE)],
    command: BudgetCommandDep,
) -> ProjectPublic:
    return await command.on_project(
        handlers.record_milestone_met, financial_year, project_id, milestone_id, body.model_dump()
    )
