"""The PP+ panel's decisions on requests, chaired by the Virtual School Head."""

from __future__ import annotations

from typing import Any

from shared.web.commands import Outcome
from shared.web.context import CommandContext

from pupil_premium.domain import panel as rules
from pupil_premium.domain.budget_state import Budget
from pupil_premium.domain.money import parse_command
from pupil_premium.handlers.common import decide_on_budget
from pupil_premium.wiring import PupilPremium


async def approve(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, request_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(rules.ApproveRequest, _decision(fields, financial_year, request_id))
    policies = (await pp.settings()).devolution_policies
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"approve:{request_id}",
        lambda budget: rules.approve_request(command, budget, policies=policies, today=ctx.today),
    )


async def part_approve(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, request_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(rules.PartApproveRequest, _decision(fields, financial_year, request_id))
    policies = (await pp.settings()).devolution_policies
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"part-approve:{request_id}",
        lambda budget: rules.part_approve_request(command, budget, policies=policies, today=ctx.today),
    )


async def ask_for_more_information(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, request_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(rules.AskForMoreInformation, _decision(fields, financial_year, request_id))
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"ask-for-information:{request_id}",
        lambda budget: rules.ask_for_more_information(command, budget, today=ctx.today),
    )


async def refuse(
    pp: PupilPremium, ctx: CommandContext, financial_year: str, request_id: str, fields: dict[str, Any]
) -> Outcome[Budget]:
    command = parse_command(rules.RefuseRequest, _decision(fields, financial_year, request_id))
    return await decide_on_budget(
        pp,
        ctx,
        financial_year,
        f"refuse:{request_id}",
        lambda budget: rules.refuse_request(command, budget, today=ctx.today),
    )


def _decision(fields: dict[str, Any], financial_year: str, request_id: str) -> dict[str, Any]:
    return {**fields, "financial_year": financial_year, "request_id": request_id}
