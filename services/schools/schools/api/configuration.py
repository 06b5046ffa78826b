"""The council's configuration: term dates, support offers, floor rules and review rules.

Read by council staff; set by a principal adviser. Each setting applies to decisions made after
it; what was decided before keeps the days, dates and outcomes it was decided with.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from schools import access
from schools.api.deps import LogDep, answered
from schools.domain.categorisation import CouncilCategory
from schools.domain.configuration import (
    CouncilConfiguration,
    SetFloorRule,
    SetReviewRule,
    SetSupportOffer,
    SetTermDates,
    TermDates,
)
from schools.domain.floor_standards import FloorRule, KeyStage
from schools.domain.reviews import ReviewRule
from schools.domain.support import SupportOffer
from schools.domain.terms import academic_year_label
from schools.handlers.configuration import configure
from schools.queries import days
from shared.security.principal import Principal
from shared.text import Label, Quantity, Title
from shared.web.context import ContextDep

router = APIRouter(prefix="/configuration", tags=["configuration"])

AcademicYear = Annotated[int, Path(ge=1990, le=2100, description="the year it starts: 2026 is 2026-27")]
Year = Annotated[int, Path(ge=1990, le=2100, description="the summer the tests were sat")]


class TermIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Label
    starts_on: date
    ends_on: date


class TermDatesUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terms: list[TermIn] = Field(max_length=12)


class TermCalendarPublic(BaseModel):
    academic_year: int
    academic_year_label: str
    configured: bool
    terms: list[TermDates]


class SupportOfferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_from: date
    days_by_category: dict[CouncilCategory, Quantity] = Field(max_length=len(CouncilCategory))
    academy_days: Quantity
    source: Title


class SupportOfferPublic(BaseModel):
    effective_from: date
    days_by_category: dict[str, float]
    academy_days: float
    source: str
    configured: bool


class ThresholdIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    measure: Label
    minimum: Quantity


class FloorRuleUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    attainment: ThresholdIn
    progress: list[ThresholdIn] = Field(default_factory=list, max_length=10)
    progress_short_on: Literal["all", "any"] = "all"
    source: Title


class ThresholdPublic(BaseModel):
    measure: str
    minimum: float


class FloorRulePublic(BaseModel):
    year: int
    key_stage: KeyStage
    attainment: ThresholdPublic
    progress: list[ThresholdPublic]
    progress_short_on: str
    source: str
    configured: bool


class ReviewRuleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    effective_from: date
    frequent_categories: list[CouncilCategory] = Field(max_length=len(CouncilCategory))
    frequent_interval_days: int
    source: Title


class ReviewRulePublic(BaseModel):
    effective_from: date
    frequent_categories: list[str]
    frequent_interval_days: int
    source: str
    configured: bool


class ConfigurationPublic(BaseModel):
    version: int
    term_dates_set_for: list[int]
    support_offers: list[SupportOfferPublic]
    floor_rules: list[FloorRulePublic]
    review_rules: list[ReviewRulePublic]


@router.get("", response_model=ConfigurationPublic, summary="The configuration in force")
async def configuration_in_force(
    response: Response, principal: Annotated[Principal, Depends(access.READ)], log: LogDep
) -> ConfigurationPublic:
    loaded = await log.configuration()
    config = loaded.state
    response.headers["ETag"] = f'"{loaded.version}"'
    return ConfigurationPublic(
        version=loaded.version,
        term_dates_set_for=sorted(config.term_dates),
        support_offers=[_offer(o, config) for o in config.support_policy().offers],
        floor_rules=[_floor_rule(r, config) for r in config.floor_standards().rules],
        review_rules=[_review_rule(r, config) for r in config.review_policy().rules],
    )


@router.get("/terms/{academic_year}", response_model=TermCalendarPublic, summary="An academic year's terms")
async def term_dates(
    academic_year: AcademicYear, principal: Annotated[Principal, Depends(access.READ)], log: LogDep
) -> TermCalendarPublic:
    return _terms(academic_year, (await log.configuration()).state)


@router.put(
    "/terms/{academic_year}", response_model=TermCalendarPublic, summary="Set an academic year's terms"
)
async def set_term_dates(
    academic_year: AcademicYear,
    body: TermDatesUpdate,
    response: Response,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    log: LogDep,
) -> TermCalendarPublic:
    command = SetTermDates(
        academic_year=academic_year,
        terms=[TermDates(**term.model_dump()) for term in body.terms],
        set_by=principal.subject,
        set_on=ctx.today,
    )
    outcome = await configure(log, ctx, command)
    answered(response, outcome)
    return _terms(academic_year, outcome.state)


@router.post(
    "/support-offers",
    response_model=SupportOfferPublic,
    status_code=201,
    summary="Set a version of the support offer",
)
async def set_support_offer(
    body: SupportOfferCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    log: LogDep,
) -> SupportOfferPublic:
    command = SetSupportOffer(**body.model_dump(), set_by=principal.subject, set_on=ctx.today)
    outcome = await configure(log, ctx, command)
    answered(response, outcome, created=True)
    return _offer(outcome.state.support_offers[body.effective_from], outcome.state)


@router.put(
    "/floor-rules/{year}/{key_stage}", response_model=FloorRulePublic, summary="Set a year's floor standard"
)
async def set_floor_rule(
    year: Year,
    key_stage: KeyStage,
    body: FloorRuleUpdate,
    response: Response,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    log: LogDep,
) -> FloorRulePublic:
    command = SetFloorRule(
        year=year, key_stage=key_stage, **body.model_dump(), set_by=principal.subject, set_on=ctx.today
    )
    outcome = await configure(log, ctx, command)
    answered(response, outcome)
    return _floor_rule(outcome.state.floor_rules[(year, key_stage)], outcome.state)


@router.post(
    "/review-rules",
    response_model=ReviewRulePublic,
    status_code=201,
    summary="Set the rule for frequent reviews",
)
async def set_review_rule(
    body: ReviewRuleCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    log: LogDep,
) -> ReviewRulePublic:
    command = SetReviewRule(**body.model_dump(), set_by=principal.subject, set_on=ctx.today)
    outcome = await configure(log, ctx, command)
    answered(response, outcome, created=True)
    return _review_rule(outcome.state.review_rules[body.effective_from], outcome.state)


def _terms(academic_year: int, config: CouncilConfiguration) -> TermCalendarPublic:
    return TermCalendarPublic(
        academic_year=academic_year,
        academic_year_label=academic_year_label(academic_year),
        configured=academic_year in config.term_dates,
        terms=[
            TermDates(name=t.name, starts_on=t.starts_on, ends_on=t.ends_on)
            for t in config.terms_of(academic_year)
        ],
    )


def _offer(offer: SupportOffer, config: CouncilConfiguration) -> SupportOfferPublic:
    return SupportOfferPublic(
        effective_from=offer.effective_from,
        days_by_category={c.value: days(d) for c, d in offer.days_by_category.items()},
        academy_days=days(offer.academy_days),
        source=offer.source,
        configured=config.support_offers.get(offer.effective_from) == offer,
    )


def _floor_rule(rule: FloorRule, config: CouncilConfiguration) -> FloorRulePublic:
    return FloorRulePublic(
        year=rule.year,
        key_stage=rule.key_stage,
        attainment=ThresholdPublic(measure=rule.attainment.measure, minimum=float(rule.attainment.minimum)),
        progress=[ThresholdPublic(measure=t.measure, minimum=float(t.minimum)) for t in rule.progress],
        progress_short_on=rule.progress_short_on,
        source=rule.source,
        configured=config.floor_rules.get((rule.year, rule.key_stage)) == rule,
    )


def _review_rule(rule: ReviewRule, config: CouncilConfiguration) -> ReviewRulePublic:
    return ReviewRulePublic(
        effective_from=rule.effective_from,
        frequent_categories=sorted(c.value for c in rule.frequent_categories),
        frequent_interval_days=rule.frequent_interval.days,
        source=rule.source,
        configured=config.review_rules.get(rule.effective_from) == rule,
    )
