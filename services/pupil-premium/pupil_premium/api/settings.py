"""The council's PP+ settings, set by the Virtual School Head: the rate per looked-after child by
financial year, the devolution policy and the date it applies from, and the term dates."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict, Field

from shared.security.principal import Principal
from shared.text import Label
from shared.web.context import ContextDep
from shared.web.commands import Outcome, answered

from pupil_premium import access
from pupil_premium.domain.council_config import (
    BandsTerms,
    CappedTermlyRequestsTerms,
    CouncilSettings,
    DevolvedShareTerms,
    SeasonDates,
    TermlyInstalmentsTerms,
)
from pupil_premium.domain.financial_year import FinancialYearLabel
from pupil_premium.domain.money import Pence, PositivePence
from pupil_premium.handlers import settings as handlers
from pupil_premium.wiring import PupilPremiumDep

router = APIRouter(prefix="/settings", tags=["settings"])


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RateCreate(_Body):
    # Its length is checked before it is read as a year, so an over-long value is not echoed back.
    financial_year: Annotated[Label, *FinancialYearLabel.__metadata__]
    rate_pence: PositivePence


class BandsTermsIn(BandsTerms):
    """The bands model as a client sends it: at most 20 bands."""

    bands_pence: tuple[Pence, ...] = Field(
        default=BandsTerms.model_fields["bands_pence"].default, min_length=1, max_length=20
    )


PolicyTermsIn = Annotated[
    CappedTermlyRequestsTerms | TermlyInstalmentsTerms | BandsTermsIn | DevolvedShareTerms,
    Field(discriminator="model"),
]


class DevolutionPolicyCreate(_Body):
    effective_from: date
    policy: PolicyTermsIn


class TermDatesCreate(_Body):
    academic_year: int
    autumn: SeasonDates
    spring: SeasonDates
    summer: SeasonDates


class RatePublic(BaseModel):
    financial_year: str
    rate_pence: int


class PolicyVersionPublic(BaseModel):
    effective_from: date
    description: str
    policy: dict | None  # None for the default policy, which no event records


class TermPublic(BaseModel):
    term: str
    name: str
    starts_on: date
    ends_on: date
    financial_year: str


class SettingsPublic(BaseModel):
    rates: list[RatePublic]
    devolution_policies: list[PolicyVersionPublic]
    policy_in_force: str
    terms: list[TermPublic]


def settings_public(settings: CouncilSettings, today: date) -> SettingsPublic:
    recorded = {version.effective_from: version.terms for version in settings.policies}
    return SettingsPublic(
        rates=[
            RatePublic(financial_year=label, rate_pence=pence)
            for label, pence in settings.rates_table.items()
        ],
        devolution_policies=[
            PolicyVersionPublic(
                effective_from=effective_from,
                description=policy.describe(),
                policy=recorded[effective_from].model_dump(mode="json")
                if effective_from in recorded
                else None,
            )
            for effective_from, policy in settings.devolution_policies.versions
        ],
        policy_in_force=settings.devolution_policies.in_force_on(today).describe(),
        terms=[
            TermPublic(
                term=t.key,
                name=t.name,
                starts_on=t.starts_on,
                ends_on=t.ends_on,
                financial_year=t.financial_year.label,
            )
            for t in settings.term_calendar
        ],
    )


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


@router.post("/term-dates", summary="Set the council's three terms of an academic year")
async def set_term_dates(
    body: TermDatesCreate,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    pp: PupilPremiumDep,
    response: Response,
) -> SettingsPublic:
    return _answer(await handlers.set_term_dates(pp, ctx, body.model_dump()), ctx.today, response)
