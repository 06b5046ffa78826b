"""Payment runs: scheduled, paid with the finance reference, or cancelled - never paying twice."""

from __future__ import annotations

from typing import Any

from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pupil_premium.domain import payments as rules
from pupil_premium.domain.budget_state import Budget
from pupil_premium.domain.money import parse_command
from pupil_premium.handlers.common import decide_on_budget, new_id
from pupil_premium.queries.child_facts import facts_of_children
from pupil_premium.wiring import PupilPremium


async def schedule(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    """A run names its id (a retry with the same id and items changes nothing) or is given one."""
    run_id = fields.get("run_id") or new_id("RUN")
    command = parse_command(
        rules.SchedulePaymentRun, {**fields, "financial_year": financial_year, "run_id": run_id}
    )
    # Payment follows the child: each request's child must still be on roll at its school today.
    budget = (await pp.budget(financial_year)).state
    child_ids = [budget.requests[r].child_id for r in command.request_ids if r in budget.requests]
    children = await facts_of_children(pp.pool, child_ids)
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        "schedule-run",
        lambda budget: rules.schedule_payment_run(command, budget, children=children, today=ctx.today),
    )


async def record_paid(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, run_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.RecordPaymentRunPaid, {**fields, "financial_year": financial_year, "run_id": run_id}
    )
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"paid:{run_id}",
        lambda budget: rules.record_payment_run_paid(command, budget, today=ctx.today),
    )


async def cancel(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, run_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(
        rules.CancelPaymentRun, {**fields, "financial_year": financial_year, "run_id": run_id}
    )
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"cancel-run:{run_id}",
        lambda budget: rules.cancel_payment_run(command, budget, today=ctx.today),
    )
