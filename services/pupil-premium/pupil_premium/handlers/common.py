"""What every handler shares: the budget and settings streams, the actor's name, new ids, and the
designated teacher's data scope."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import asyncpg

from shared.events import Event
from shared.eventlog.store import EventStore
from shared.security.data_scope import ensure_designated_teacher_scope
from shared.security.roles import Role
from shared.web.commands import Loaded, Outcome, execute, load
from shared.web.context import CommandContext

from pupil_premium.domain.budget_state import NO_BUDGET, Budget, evolve
from pupil_premium.domain.council_config import (
    NO_SETTINGS,
    CouncilSettings,
    config_stream_id,
    evolve_settings,
)
from pupil_premium.domain.events import PUPIL_PREMIUM_EVENTS
from pupil_premium.domain.financial_year import FinancialYear, budget_stream_id
from pupil_premium.queries.child_facts import facts_of, facts_of_children, school_on_roll

CATALOGUE = PUPIL_PREMIUM_EVENTS


def budget_stream(financial_year: str) -> str:
    """The year's stream; a year written wrongly is refused naming ``financial_year``."""
    return budget_stream_id(FinancialYear.parse(financial_year))


async def load_budget(store: EventStore, financial_year: str) -> Loaded[Budget]:
    return await load(store, CATALOGUE, budget_stream(financial_year), NO_BUDGET, evolve)


async def load_settings(store: EventStore) -> CouncilSettings:
    return (await load(store, CATALOGUE, config_stream_id(), NO_SETTINGS, evolve_settings)).state


async def on_budget(
    store: EventStore,
    ctx: CommandContext,
    financial_year: str,
    decide: Callable[[Budget], Sequence[Event]],
    *,
    operation: str,
) -> Outcome[Budget]:
    return await execute(
        store,
        CATALOGUE,
        ctx,
        budget_stream(financial_year),
        initial=NO_BUDGET,
        evolve=evolve,
        decide=decide,
        operation=f"{operation}:{financial_year}",
    )


async def on_settings(
    store: EventStore,
    ctx: CommandContext,
    decide: Callable[[CouncilSettings], Sequence[Event]],
    *,
    operation: str,
) -> Outcome[CouncilSettings]:
    return await execute(
        store,
        CATALOGUE,
        ctx,
        config_stream_id(),
        initial=NO_SETTINGS,
        evolve=evolve_settings,
        decide=decide,
        operation=operation,
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
