"""The council's configuration: support offers, floor rules, review rules, the stuck rule of each
inspection framework and the report-card concern policy, and the review cycles the council
calendar's term dates give (set at ``/council/term-dates``).

Read by council staff; set by a principal adviser. Each setting applies to decisions made after
it; what was decided before keeps the days, dates and outcomes it was decided with.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from schools import access
from schools.api.answers import answer, nothing_new
from schools.api.schemas.configuration import (
    ConfigurationPublic,
    FloorRulePublic,
    FloorRuleUpdate,
    ReportCardConcernPolicyCreate,
    ReportCardConcernPolicyPublic,
    ReviewRuleCreate,
    ReviewRulePublic,
    StuckRuleCreate,
    StuckRulePublic,
    SupportOfferCreate,
    SupportOfferPublic,
    TermCalendarPublic,
    ThresholdPublic,
)
from schools.api.schemas.paths import AcademicYear, Year
from schools.domain.configuration import (
    ConfigurationCommand,
    CouncilConfiguration,
    SetFloorRule,
    SetReportCardConcernPolicy,
    SetReviewRule,
    SetStuckRule,
    SetSupportOffer,
    TermDates,
)
from schools.domain.floor_standards import FloorRule, KeyStage
from schools.domain.inspection_policies import (
    REPORT_CARD_ALL_AREAS,
    REPORT_CARD_GRADES,
    ReportCardConcernPolicy,
    StuckRuleVersion,
)
from schools.domain.reviews import ReviewRule
from schools.domain.support import SupportOffer
from schools.domain.terms import academic_year_label
from schools.handlers.configuration import configure
from schools.queries import days
from schools.wiring import Schools, SchoolsDep
from shared.security.principal import Principal
from shared.web.commands import etag
from shared.web.context import CommandContext, ContextDep

router = APIRouter(prefix="/configuration", tags=["configuration"])


@router.get("", response_model=ConfigurationPublic, summary="The configuration in force")
async def configuration_in_force(
    response: Response, principal: Annotated[Principal, Depends(access.READ)], schools: SchoolsDep
) -> ConfigurationPublic:
    loaded = await schools.configuration()
    config = loaded.state
    response.headers["ETag"] = etag(loaded.version)
    return ConfigurationPublic(
        version=loaded.version,
        term_dates_set_for=sorted(config.term_dates),
        support_offers=[_offer(o, config) for o in config.support_policy().offers],
        floor_rules=[_floor_rule(r, config) for r in config.floor_standards().rules],
        review_rules=[_review_rule(r, config) for r in config.review_policy().rules],
        stuck_rules=[_stuck_rule(v, config) for v in config.inspection_policies().stuck_rules],
        report_card_concern_policies=[
            _concern_policy(p, config) for p in config.inspection_policies().concern_policies
        ],
    )


@router.get("/terms/{academic_year}", response_model=TermCalendarPublic, summary="An academic year's terms")
async def term_dates(
    academic_year: AcademicYear, principal: Annotated[Principal, Depends(access.READ)], schools: SchoolsDep
) -> TermCalendarPublic:
    return _terms(academic_year, (await schools.configuration()).state)


@router.post(
    "/support-offers",
    response_model=SupportOfferPublic,
    status_code=201,
    responses=nothing_new(SupportOfferPublic),
    summary="Set a version of the support offer",
)
async def set_support_offer(
    body: SupportOfferCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> SupportOfferPublic:
    command = SetSupportOffer(**body.model_dump(), set_by=principal.subject, set_on=ctx.today)
    config = await _configured(schools, ctx, response, command, created=True)
    return _offer(config.support_offers[body.effective_from], config)


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
    schools: SchoolsDep,
) -> FloorRulePublic:
    command = SetFloorRule(
        year=year, key_stage=key_stage, **body.model_dump(), set_by=principal.subject, set_on=ctx.today
    )
    config = await _configured(schools, ctx, response, command)
    return _floor_rule(config.floor_rules[(year, key_stage)], config)


@router.post(
    "/review-rules",
    response_model=ReviewRulePublic,
    status_code=201,
    responses=nothing_new(ReviewRulePublic),
    summary="Set the rule for frequent reviews",
)
async def set_review_rule(
    body: ReviewRuleCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> ReviewRulePublic:
    command = SetReviewRule(**body.model_dump(), set_by=principal.subject, set_on=ctx.today)
    config = await _configured(schools, ctx, response, command, created=True)
    return _review_rule(config.review_rules[body.effective_from], config)


@router.post(
    "/stuck-rules",
    response_model=StuckRulePublic,
    status_code=201,
    responses=nothing_new(StuckRulePublic),
    summary="Set the stuck rule of an inspection framework",
)
async def set_stuck_rule(
    body: StuckRuleCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> StuckRulePublic:
    """Applies to inspections under ``framework`` from ``effective_from`` recorded from now on;
    schools already flagged stuck stay flagged."""
    command = SetStuckRule(**body.model_dump(), set_by=principal.subject, set_on=ctx.today)
    config = await _configured(schools, ctx, response, command, created=True)
    return _stuck_rule(config.stuck_rules[(body.framework, body.effective_from)], config)


@router.post(
    "/report-card-concern-policies",
    response_model=ReportCardConcernPolicyPublic,
    status_code=201,
    responses=nothing_new(ReportCardConcernPolicyPublic),
    summary="Set a version of the report-card concern policy",
)
async def set_report_card_concern_policy(
    body: ReportCardConcernPolicyCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.CONFIGURE)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> ReportCardConcernPolicyPublic:
    """Which report-card areas and grades raise the virtual school's alert (below good) and count
    as good or better, for inspections from ``effective_from`` recorded from now on; each
    inspection records the version that judged it."""
    command = SetReportCardConcernPolicy(**body.model_dump(), set_by=principal.subject, set_on=ctx.today)
    config = await _configured(schools, ctx, response, command, created=True)
    return _concern_policy(config.concern_policies[body.effective_from], config)


async def _configured(
    schools: Schools,
    ctx: CommandContext,
    response: Response,
    command: ConfigurationCommand,
    *,
    created: bool = False,
) -> CouncilConfiguration:
    """Set a part of the configuration; the answer shows that part as it now stands."""
    outcome = await configure(schools, ctx, command)
    answer(response, outcome, created=created)
    return outcome.state


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


def _stuck_rule(version: StuckRuleVersion, config: CouncilConfiguration) -> StuckRulePublic:
    return StuckRulePublic(
        framework=version.framework,
        effective_from=version.effective_from,
        rule=version.rule,
        source=version.source,
        configured=config.stuck_rules.get((version.framework, version.effective_from)) == version,
    )


def _concern_policy(
    policy: ReportCardConcernPolicy, config: CouncilConfiguration
) -> ReportCardConcernPolicyPublic:
    def in_order(values: frozenset[str], known: tuple[str, ...]) -> list[str]:
        return [v for v in known if v in values]

    return ReportCardConcernPolicyPublic(
        effective_from=policy.effective_from,
        concern_areas=in_order(policy.concern_areas, REPORT_CARD_ALL_AREAS),
        concern_grades=in_order(policy.concern_grades, REPORT_CARD_GRADES),
        good_or_better_areas=in_order(policy.good_or_better_areas, REPORT_CARD_ALL_AREAS),
        good_or_better_grades=in_order(policy.good_or_better_grades, REPORT_CARD_GRADES),
        source=policy.source,
        configured=config.concern_policies.get(policy.effective_from) == policy,
    )
