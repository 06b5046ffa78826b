"""School projects: pooled PP+ for a school with many looked-after children on roll."""

from __future__ import annotations

from typing import Any

import asyncpg

from shared.eventlog.store import EventStore
from shared.security.data_scope import ensure_designated_teacher_scope
from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pupil_premium.domain import projects as rules
from pupil_premium.domain.budget_state import Budget
from pupil_premium.domain.money import parse_command
from pupil_premium.handlers.common import (
    actor,
    ensure_children_in_scope,
    is_designated_teacher,
    load_budget,
    load_settings,
    new_id,
    on_budget,
)
from pupil_premium.queries.child_facts import facts_of_children


async def propose(
    store: EventStore, pool: asyncpg.Pool, ctx: CommandContext, financial_year: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.ProposeSchoolProject,
        {**fields, "financial_year": financial_year, "project_id": new_id("PRJ"), "proposed_by": actor(ctx)},
    )
    await ensure_children_in_scope(pool, ctx, command.child_ids, command.school_urn, ctx.today)
    children = await facts_of_children(pool, command.child_ids)
    policies = (await load_settings(store)).devolution_policies
    return await on_budget(
        store,
        ctx,
        financial_year,
        lambda budget: rules.propose_school_project(
            command, budget, children=children, policies=policies, today=ctx.today
        ),
        operation="propose-project",
    )


async def approve(
    store: EventStore, ctx: CommandContext, financial_year: str, project_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.ApproveSchoolProject, {**fields, "financial_year": financial_year, "project_id": project_id}
    )
    policies = (await load_settings(store)).devolution_policies
    return await on_budget(
        store,
        ctx,
        financial_year,
        lambda budget: rules.approve_school_project(command, budget, policies=policies, today=ctx.today),
        operation=f"approve-project:{project_id}",
    )


async def refuse(
    store: EventStore, ctx: CommandContext, financial_year: str, project_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.RefuseSchoolProject, {**fields, "financial_year": financial_year, "project_id": project_id}
    )
    return await on_budget(
        store,
        ctx,
        financial_year,
        lambda budget: rules.refuse_school_project(command, budget, today=ctx.today),
        operation=f"refuse-project:{project_id}",
    )


async def record_milestone_met(
    store: EventStore,
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
        project = (await load_budget(store, financial_year)).state.projects.get(project_id)
        ensure_designated_teacher_scope(ctx.principal, project.school_urn if project else None)
    return await on_budget(
        store,
        ctx,
        financial_year,
        lambda budget: rules.record_milestone_met(command, budget, today=ctx.today),
        operation=f"milestone:{project_id}:{milestone_id}",
    )
