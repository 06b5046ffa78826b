"""A designated teacher's request for PP+, more information for the panel, and withdrawal."""

from __future__ import annotations

from typing import Any

from shared.security.data_scope import ensure_designated_teacher_scope
from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pupil_premium.domain import funding_requests as rules
from pupil_premium.domain.budget_state import Budget
from pupil_premium.domain.money import parse_command
from pupil_premium.handlers.common import (
    actor,
    decide_on_budget,
    ensure_child_in_scope,
    is_designated_teacher,
    new_id,
)
from pupil_premium.queries.child_facts import facts_of
from pupil_premium.wiring import PupilPremium


async def request_pupil_premium_plus(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.RequestPupilPremiumPlus,
        {**fields, "financial_year": financial_year, "request_id": new_id("PPR"), "requested_by": actor(ctx)},
    )
    await ensure_child_in_scope(pp.pool, ctx, command.child_id, command.school_urn, ctx.today)
    child = await facts_of(pp.pool, command.child_id)
    settings = await pp.settings()
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        "request",
        lambda budget: rules.request_pupil_premium_plus(
            command,
            budget,
            child=child,
            terms=settings.term_calendar,
            policies=settings.devolution_policies,
            today=ctx.today,
        ),
    )


async def provide_more_information(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, request_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.ProvideMoreInformation,
        {**fields, "financial_year": financial_year, "request_id": request_id, "provided_by": actor(ctx)},
    )
    await ensure_request_in_scope(pp, ctx, financial_year, request_id)
    policies = (await pp.settings()).devolution_policies
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"more-information:{request_id}",
        lambda budget: rules.provide_more_information(command, budget, policies=policies, today=ctx.today),
    )


async def withdraw_request(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, request_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.WithdrawRequest,
        {**fields, "financial_year": financial_year, "request_id": request_id, "withdrawn_by": actor(ctx)},
    )
    await ensure_request_in_scope(pp, ctx, financial_year, request_id)
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"withdraw:{request_id}",
        lambda budget: rules.withdraw_request(command, budget, today=ctx.today),
    )


async def ensure_request_in_scope(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, request_id: str
) -> None:
    """A designated teacher acts on a request only while its child is on roll at their school,
    the school it was made for; an unknown request is refused in the same words."""
    if not is_designated_teacher(ctx):
        return
    request = (await pp.budget(financial_year)).state.requests.get(request_id)
    if request is None:
        ensure_designated_teacher_scope(ctx.principal, None)
    await ensure_child_in_scope(pp.pool, ctx, request.child_id, request.school_urn, ctx.today)
