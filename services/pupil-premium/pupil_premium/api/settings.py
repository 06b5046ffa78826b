"""The council's PP+ settings, set by the Virtual School Head: the rate per looked-after child by
financial year, and the devolution policy and the date it applies from. The term dates shown are
the council calendar's (set once for every service at the schools service's
``PUT /council/term-dates/{academic_year}``), with this service's defaults for years not set."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from shared.security.principal import Principal
from shared.web.context import ContextDep
from shared.web.commands import Outcome, answered

from pupil_premium import access
from pupil_premium.api.schemas.settings import (
    DevolutionPolicyCreate,
    RateCreate,
    SettingsPublic,
    settings_public,
)
from pupil_premium.handlers import settings as handlers
from pupil_premium.wiring import PupilPremiumDep

router = APIRouter(prefix="/settings", tags=["settings"])


def _answer(outcome: Outcome, today: date, response: Response) -> SettingsPublic:
    answered(response, outcome)
    return settings_public(outcome.state, today)


@router.get("", summary="Rates, devolution policies and term dates as they stand")
async def current_settings(
    principal: Annotated[Principal, Depends(access.READ_FINANCE)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
) -> SettingsPublic:
    return settings_public(await pp.settings(), ctx.today)


@router.post("/rates", summary="Set the PP+ rate per looked-after child for a financial year")
async def set_rate(
    body: RateCreate,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    response: Response,
) -> SettingsPublic:
    return _answer(await handlers.set_rate(pp, ctx, body.model_dump()), ctx.today, response)


@router.post("/devolution-policies", summary="Adopt a devolution policy from a date")
async def adopt_policy(
    body: DevolutionPolicyCreate,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    response: Response,
) -> SettingsPublic:
    return _answer(await handlers.adopt_devolution_policy(pp, ctx, body.model_dump()), ctx.today, response)
