"""The grant (from the census or the grant letter) and the top-slices for central provision."""

from __future__ import annotations

from datetime import date
from typing import Any

from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pupil_premium.domain import budget as rules
from pupil_premium.domain.budget_state import Budget
from pupil_premium.domain.money import parse_command
from pupil_premium.handlers.common import actor, decide_on_budget, new_id
from pupil_premium.queries.child_facts import looked_after_on
from pupil_premium.wiring import PupilPremium


async def set_grant_from_census(
    pp: PupilPremium,
    ctx: CommandContext,
    financial_year: str,
    census_date: date,
    looked_after_children: int | None,
) -> Outcome[Budget]:
    """The rate for the year times the children looked after on the census date: the number given,
    or, when none is given, the number the pep service's events say were looked after then."""
    if looked_after_children is None:
        looked_after_children = await looked_after_on(pp.pool, census_date)
    command = parse_command(
        rules.SetGrantFromCensus,
        {
            "financial_year": financial_year,
            "census_date": census_date,
            "looked_after_children": looked_after_children,
        },
    )
    rates = (await pp.settings()).rates_table
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        "grant-census",
        lambda budget: rules.set_grant_from_census(command, budget, rates=rates, today=ctx.today),
    )


async def record_grant_letter(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(rules.RecordGrantLetter, {**fields, "financial_year": financial_year})
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        "grant-letter",
        lambda budget: rules.record_grant_letter(command, budget, today=ctx.today),
    )


async def top_slice(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.TopSliceForCentralProvision,
        {**fields, "financial_year": financial_year, "top_slice_id": new_id("TS"), "decided_by": actor(ctx)},
    )
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        "top-slice",
        lambda budget: rules.top_slice(command, budget, today=ctx.today),
    )


async def amend_top_slice(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, top_slice_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.AmendTopSlice,
        {**fields, "financial_year": financial_year, "top_slice_id": top_slice_id, "decided_by": actor(ctx)},
    )
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"amend-top-slice:{top_slice_id}",
        lambda budget: rules.amend_top_slice(command, budget, today=ctx.today),
    )
