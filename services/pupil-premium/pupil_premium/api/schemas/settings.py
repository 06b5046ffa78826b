"""The council's PP+ settings: the rate and devolution policy as the Virtual School Head sends
them, and the settings as they stand (with the council calendar's terms)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from shared import text

from pupil_premium.domain.council_config import (
    BandsTerms,
    CappedTermlyRequestsTerms,
    CouncilSettings,
    DevolvedShareTerms,
    TermlyInstalmentsTerms,
)
from pupil_premium.domain.financial_year import FinancialYearLabel
from pupil_premium.domain.money import Pence, PositivePence

from .common import Body


class RateCreate(Body):
    model_config = {
        "json_schema_extra": {"examples": [{"financial_year": "2026-27", "rate_pence": 257000}]}
    }

    # Its length is checked before it is read as a year, so an over-long value is not echoed back.
    financial_year: Annotated[text.Label, *FinancialYearLabel.__metadata__]
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


class DevolutionPolicyCreate(Body):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "effective_from": "2027-04-01",
                    "policy": {
                        "model": "capped_termly_requests",
                        "termly_cap_pence": 65000,
                        "minimum_pep_rating": "amber",
                    },
                },
                {
                    "effective_from": "2027-04-01",
                    "policy": {
                        "model": "devolved_share",
                        "devolved_percent": 60,
                        "termly_cap_pence": 80000,
                        "minimum_children_per_project": 3,
                    },
                },
            ]
        }
    }

    effective_from: date
    policy: PolicyTermsIn


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
