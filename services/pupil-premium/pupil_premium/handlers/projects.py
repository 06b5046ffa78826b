"""School projects: pooled PP+ for a school with many looked-after children on roll."""

from __future__ import annotations

from typing import Any

from shared.security.data_scope import ensure_designated_teacher_scope
from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pupil_premium.domain import projects as rules
from pupil_premium.domain.budget_state import Budget
from pupil_premium.domain.money import parse_command
from pupil_premium.handlers.common import (
    actor,
    decide_on_budget,
    ensure_children_in_scope,
    is_designated_teacher,
    new_id,
)
from pupil_premium.queries.child_facts import facts_of_children
from pupil_premium.wiring import PupilPremium


async def propose(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.ProposeSchoolProject,
        {**fields, "financial_year": financial_year, "project_id": new_id("PRJ"), "proposed_by": actor(ctx)},
    )
    await ensure_children_in_scope(pp.pool, ctx, command.child_ids, command.school_urn, ctx.today)
    children = await facts_of_children(pp.pool, command.child_ids)
    policies = (await pp.settings()).devolution_policies
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        "propose-project",
        lambda budget: rules.propose_school_project(
            command, budget, children=children, policies=policies, today=ctx.today
        ),
    )


async def approve(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, project_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.ApproveSchoolProject, {**fields, "financial_year": financial_year, "project_id": project_id}
    )
    policies = (await pp.settings()).devolution_policies
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"approve-project:{project_id}",
        lambda budget: rules.approve_school_project(
            command, budget, policies=policies, today=ctx.today
        ),
    )


async def refuse(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, project_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.RefuseSchoolProject, {**fields, "financial_year": financial_year, "project_id": project_id}
    )
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"refuse-project:{project_id}",
        lambda budget: rules.refuse_school_project(command, budget, today=ctx.today),
    )


async def record_milestone_met(
    pp: PupilPremium,
    ctx: CommandContext,
    financial_year: str,
    project_id: str,
    milestone_id: str,
    fields: dict[str, Any],
) -> Outcome[Budget]:
    command = parse_command(
        rules.RecordMilestoneMet,
        {**fields, "financial_year": financial_year, "project_id": project_id, "milestone_id": milestone_id},
    )
    if is_designated_teacher(ctx):
        project = (await pp.budget(financial_year)).state.projects.get(project_id)
        ensure_designated_teacher_scope(ctx.principal, project.school_urn if project else None)
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"milestone:{project_id}:{milestone_id}",
        lambda budget: rules.record_milestone_met(command, budget, today=ctx.today),
    )
