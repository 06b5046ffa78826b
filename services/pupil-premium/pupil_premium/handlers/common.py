"""What every handler shares: deciding a command against a year's budget, the actor's name, new
ids, and the designated teacher's data scope."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import asyncpg

from shared.events import Event
from shared.security.data_scope import ensure_designated_teacher_scope
from shared.security.roles import Role
from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pupil_premium.domain.budget_state import NO_BUDGET, Budget, evolve
from pupil_premium.domain.financial_year import budget_stream_id
from pupil_premium.queries.child_facts import facts_of, facts_of_children, school_on_roll
from pupil_premium.wiring import PupilPremium


async def decide_on_budget(
    pp: PupilPremium,
    ctx: CommandContext,
    financial_year: str,
    operation: str,
    decide: Callable[[Budget], Sequence[Event]],
) -> Outcome[Budget]:
    """Decide a command against the year's budget and record what it decided, through the
    service log (a clash with another writer is decided again; a retried Idempotency-Key is
    answered as the first attempt was). The key is scoped to the year's budget it was sent for:
    the same key sent to two years is two requests, not a retry of one."""
    return await pp.log.execute(
        ctx,
        budget_stream_id(financial_year),
        initial=NO_BUDGET,
        evolve=evolve,
        decide=decide,
        operation=f"{operation}:{financial_year}",
    )


def actor(ctx: CommandContext) -> str:
    """Who did it, as the token names them (never as the request body claims)."""
    return ctx.principal.name or ctx.principal.subject


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10].upper()}"


def recorded_value(outcome: Outcome, name: str, default: Any) -> Any:
    """An id the command recorded: on an idempotent retry, the first attempt's, not a new one."""
    for record in outcome.recorded:
        if name in record.data:
            return record.data[name]
    return default


def is_designated_teacher(ctx: CommandContext) -> bool:
    return ctx.principal.role is Role.DESIGNATED_TEACHER


async def ensure_child_in_scope(
    pool: asyncpg.Pool, ctx: CommandContext, child_id: str, school_urn: str | None, day: date
) -> None:
    """A designated teacher acts only for a child on roll at their school, and only for that
    school; the refusal is the same whether the child is unknown, elsewhere or not looked after."""
    if not is_designated_teacher(ctx):
        return
    on_roll = school_on_roll(await facts_of(pool, child_id), day)
    ensure_designated_teacher_scope(ctx.principal, on_roll if school_urn == on_roll else None)


async def ensure_children_in_scope(
    pool: asyncpg.Pool, ctx: CommandContext, child_ids: Sequence[str], school_urn: str, day: date
) -> None:
    if not is_designated_teacher(ctx):
        return
    facts = await facts_of_children(pool, child_ids)
    for child_id in child_ids:
        on_roll = school_on_roll(facts.get(child_id), day)
        ensure_designated_teacher_scope(ctx.principal, on_roll if school_urn == on_roll else None)
    ensure_designated_teacher_scope(ctx.principal, school_urn)
