"""What a route that changes a year's budget is given, and how it answers.

Every such route does the same things: it checks the year named in the path, calls one handler
with the service and the caller's context, sets the ETag of the budget the command left, and
answers with what it changed as the budget now has it. ``BudgetCommand`` does them once, so a
route says only which handler, which item and which body.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Response

from shared.security.data_scope import designated_teacher_urn
from shared.security.principal import Principal
from shared.web.commands import Outcome, answered
from shared.web.context import CommandContext, ContextDep

from pupil_premium.api.schemas.common import year_label
from pupil_premium.api.schemas.payment_runs import PaymentRunPublic, payment_run_public
from pupil_premium.api.schemas.projects import ProjectPublic, project_public
from pupil_premium.api.schemas.requests import RequestPublic, request_public
from pupil_premium.domain.budget_state import Budget
from pupil_premium.handlers.common import recorded_value
from pupil_premium.wiring import PupilPremium, PupilPremiumDep

# A handler in ``pupil_premium.handlers``: the service, the caller's context, the year, then its own.
Handler = Callable[..., Awaitable[Outcome[Budget]]]


@dataclass(frozen=True)
class BudgetCommand:
    ctx: CommandContext
    pp: PupilPremium
    response: Response

    async def run(self, handler: Handler, financial_year: str, *args: Any) -> tuple[str, Outcome[Budget]]:
        """The year as the path names it (a 422 naming ``financial_year`` when it is not one) and
        the handler's outcome, its ETag set on the response."""
        label = year_label(financial_year)
        outcome = await handler(self.pp, self.ctx, label, *args)
        answered(self.response, outcome)
        return label, outcome

    def created_at(self, location: str) -> None:
        self.response.headers["Location"] = location

    async def create_at_school(
        self,
        handler: Handler,
        financial_year: str,
        fields: dict[str, Any],
        principal: Principal,
        *,
        kind: str,
    ) -> tuple[str, Outcome[Budget], str]:
        """Record a new request or project (``kind``, as its path and id name it) for a school: a
        designated teacher's own when the body leaves it out. Answers with the year, the outcome
        and the new item's id (on a retry, the first attempt's), and sets its Location."""
        school_urn = fields["school_urn"] or designated_teacher_urn(principal)
        label, outcome = await self.run(handler, financial_year, {**fields, "school_urn": school_urn})
        item_id = recorded_value(outcome, f"{kind}_id", None)
        self.created_at(f"/budgets/{label}/{kind}s/{item_id}")
        return label, outcome, item_id

    async def on_request(
        self, handler: Handler, financial_year: str, request_id: str, *args: Any
    ) -> RequestPublic:
        label, outcome = await self.run(handler, financial_year, request_id, *args)
        return request_public(outcome.state, outcome.state.requests[request_id], label)

    async def on_project(
        self, handler: Handler, financial_year: str, project_id: str, *args: Any
    ) -> ProjectPublic:
        label, outcome = await self.run(handler, financial_year, project_id, *args)
        return project_public(outcome.state, outcome.state.projects[project_id], label)

    async def on_payment_run(
        self, handler: Handler, financial_year: str, run_id: str, *args: Any
    ) -> PaymentRunPublic:
        label, outcome = await self.run(handler, financial_year, run_id, *args)
        return payment_run_public(outcome.state.runs[run_id], label)


async def _budget_command(ctx: ContextDep, pp: PupilPremiumDep, response: Response) -> BudgetCommand:
    return BudgetCommand(ctx, pp, response)


BudgetCommandDep = Annotated[BudgetCommand, Depends(_budget_command)]
