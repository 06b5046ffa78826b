"""The council's PP+ settings as data: the rates table, devolution policy versions and term dates.

domain.md marks all three *configurable*: the rate per looked-after child changes each year, a
council adopts a devolution model from a date, and term dates are set per council. Rates and
policies are events on the council's settings stream (``ppconfig-council``); term dates are the
council's one calendar (``shared.council_calendar``, stream ``calendar-council``), set once for
every service. Both are folded into ``CouncilSettings``; until the council records something, the
defaults from domain.md apply (the rates table, capped termly requests of 650 pounds, terms of
September-December, January-March and April-July).

``PupilPremiumTermDatesSet`` is what this service recorded before the calendar existed: its years
were carried into the calendar (``shared.calendar_adoption``), so the fold passes over it.

A setting never changes the past: a policy is adopted from today or a later date, and a request
keeps the policy it was judged under (its event records it).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.council_calendar import CouncilTermDatesSet
from shared.errors import InvalidInput
from shared.events import Command, Event

from .devolution import (
    DEFAULT_DEVOLUTION_POLICIES,
    PEP_RATINGS,
    Bands,
    CappedTermlyRequests,
    DevolutionPolicies,
    DevolutionPolicy,
    DevolvedShare,
    TermlyInstalments,
)
from .financial_year import FinancialYear, FinancialYearLabel
from .money import Pence, PositivePence, Text
from .rates import DEFAULT_RATES, RatesTable
from .refusals import NoRateForYear
from .terms import Term, TermCalendar, standard_term_dates, terms_of_year

CONFIG_CATEGORY = "ppconfig"
# The academic years the default term dates cover, until a council enters its own.
DEFAULT_TERMS_FROM, DEFAULT_TERMS_TO = 2013, 2040

PepRating = Literal["red", "amber", "green"]
ChildrenPerProject = Annotated[int, Field(strict=True, ge=1, le=1000)]
Percent = Annotated[int, Field(strict=True, ge=0, le=100)]


def config_stream_id() -> str:
    """One council per deployment, so one settings stream."""
    return f"{CONFIG_CATEGORY}-council"


# --- the devolution models, as stored in events ---------------------------------------------


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _PolicyTerms(_Value):
    minimum_pep_rating: PepRating | None = None
    minimum_children_per_project: ChildrenPerProject = 2


class CappedTermlyRequestsTerms(_PolicyTerms):
    model: Literal["capped_termly_requests"] = "capped_termly_requests"
    termly_cap_pence: Pence = 65_000


class TermlyInstalmentsTerms(_PolicyTerms):
    model: Literal["termly_instalments"] = "termly_instalments"
    instalment_pence: PositivePence = 30_000
    minimum_pep_rating: PepRating | None = "green"


class BandsTerms(_PolicyTerms):
    model: Literal["bands"] = "bands"
    bands_pence: tuple[Pence, ...] = Field(default=(0, 40_000, 80_000, 150_000), min_length=1)


class DevolvedShareTerms(_PolicyTerms):
    model: Literal["devolved_share"] = "devolved_share"
    devolved_percent: Percent = 50
    termly_cap_pence: Pence | None = None


PolicyTerms = Annotated[
    CappedTermlyRequestsTerms | TermlyInstalmentsTerms | BandsTerms | DevolvedShareTerms,
    Field(discriminator="model"),
]


def policy_from_terms(terms: PolicyTerms) -> DevolutionPolicy:
    common = {
        "minimum_pep_rating": terms.minimum_pep_rating,
        "minimum_children_per_project": terms.minimum_children_per_project,
    }
    match terms:
        case CappedTermlyRequestsTerms():
            return CappedTermlyRequests(termly_cap_pence=terms.termly_cap_pence, **common)
        case TermlyInstalmentsTerms():
            return TermlyInstalments(instalment_pence=terms.instalment_pence, **common)
        case BandsTerms():
            return Bands(bands_pence=tuple(sorted(set(terms.bands_pence))), **common)
        case DevolvedShareTerms():
            return DevolvedShare(
                devolved_percent=terms.devolved_percent, termly_cap_pence=terms.termly_cap_pence, **common
            )
    raise ValueError(f"unknown devolution model {terms!r}")


class TermDates(_Value):
    term: str
    starts_on: date
    ends_on: date


# --- events ---------------------------------------------------------------------------------


class PupilPremiumRateSet(Event):
    """The PP+ rate per looked-after child for a financial year, replacing the table's figure."""

    event_type: ClassVar[str] = "PupilPremiumRateSet"
    financial_year: FinancialYearLabel
    rate_pence: PositivePence
    previous_rate_pence: Pence | None
    set_on: date
    set_by: Text

    def effective_on(self) -> date:
        return self.set_on


class DevolutionPolicyAdopted(Event):
    """The council devolves PP+ under this model from ``effective_from`` until the next adoption."""

    event_type: ClassVar[str] = "DevolutionPolicyAdopted"
    effective_from: date
    policy: PolicyTerms
    description: str
    adopted_on: date
    adopted_by: Text

    def effective_on(self) -> date:
        return self.effective_from


class PupilPremiumTermDatesSet(Event):
    """Retired: the council's three terms of one academic year as this service recorded them
    before the council calendar (``CouncilTermDatesSet``) held them for every service. Kept so the
    history stays readable; nothing records it any more."""

    event_type: ClassVar[str] = "PupilPremiumTermDatesSet"
    academic_year: int
    terms: tuple[TermDates, ...] = Field(min_length=3, max_length=3)
    set_on: date
    set_by: Text

    def effective_on(self) -> date:
        return self.set_on


CONFIG_EVENT_TYPES: tuple[type[Event], ...] = (
    PupilPremiumRateSet,
    DevolutionPolicyAdopted,
    PupilPremiumTermDatesSet,
)


# --- the settings, folded -------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyVersion:
    effective_from: date
    terms: PolicyTerms
    description: str


@dataclass(frozen=True)
class CouncilSettings:
    rates: dict[str, int] = field(default_factory=dict)
    policies: tuple[PolicyVersion, ...] = ()
    term_dates: dict[int, tuple[Term, ...]] = field(default_factory=dict)

    # Worked out once for each version of the settings (the state kept for the settings stream
    # is the same object from one command to the next), not once for every request.
    @cached_property
    def rates_table(self) -> RatesTable:
        table = DEFAULT_RATES
        for label, pence in self.rates.items():
            table = table.with_rate(label, pence)
        return table

    @cached_property
    def devolution_policies(self) -> DevolutionPolicies:
        policies = DEFAULT_DEVOLUTION_POLICIES
        for version in self.policies:
            policies = policies.adopt(version.effective_from, policy_from_terms(version.terms))
        return policies

    @cached_property
    def term_calendar(self) -> TermCalendar:
        return calendar_with(self.term_dates)


NO_SETTINGS = CouncilSettings()


def calendar_with(term_dates: dict[int, tuple[Term, ...]]) -> TermCalendar:
    """The default terms, with each academic year the council has set replaced by its own."""
    entered = {term.key for terms in term_dates.values() for term in terms}
    terms = [
        term for term in standard_term_dates(DEFAULT_TERMS_FROM, DEFAULT_TERMS_TO) if term.key not in entered
    ]
    terms += [term for year_terms in term_dates.values() for term in year_terms]
    return TermCalendar(terms)


def evolve_settings(settings: CouncilSettings, event: Event) -> CouncilSettings:
    match event:
        case PupilPremiumRateSet():
            return replace(settings, rates={**settings.rates, event.financial_year: event.rate_pence})
        case DevolutionPolicyAdopted():
            # A later adoption from the same date replaces the earlier one.
            kept = tuple(v for v in settings.policies if v.effective_from != event.effective_from)
            version = PolicyVersion(event.effective_from, event.policy, event.description)
            return replace(settings, policies=(*kept, version))
        case CouncilTermDatesSet():
            terms = terms_of_year(event.terms())
            return replace(settings, term_dates={**settings.term_dates, event.academic_year: terms})
        case PupilPremiumTermDatesSet():
            return settings  # retired: its years are in the council calendar
    return settings


# --- commands and decisions -----------------------------------------------------------------


class SetRate(Command):
    financial_year: FinancialYearLabel
    rate_pence: PositivePence


class AdoptDevolutionPolicy(Command):
    effective_from: date
    policy: PolicyTerms


def set_rate(
    command: SetRate, settings: CouncilSettings, *, today: date, by: str
) -> list[PupilPremiumRateSet]:
    year = FinancialYear.parse(command.financial_year)
    previous = settings.rates.get(year.label, _default_rate(year))
    if previous == command.rate_pence:
        return []
    return [
        PupilPremiumRateSet(
            financial_year=year.label,
            rate_pence=command.rate_pence,
            previous_rate_pence=previous,
            set_on=today,
            set_by=by,
        )
    ]


def adopt_devolution_policy(
    command: AdoptDevolutionPolicy, settings: CouncilSettings, *, today: date, by: str
) -> list[DevolutionPolicyAdopted]:
    if command.effective_from < today:
        raise InvalidInput(
            "a devolution policy is adopted from today or a later date; decisions already made "
            "keep the policy they were made under",
            field="effective_from",
        )
    policy = policy_from_terms(command.policy)
    if isinstance(policy, Bands) and not any(policy.bands_pence):
        raise InvalidInput("the bands need at least one award above zero", field="policy.bands_pence")
    if policy.minimum_pep_rating is not None and policy.minimum_pep_rating not in PEP_RATINGS:
        raise InvalidInput("the PEP rating is red, amber or green", field="policy.minimum_pep_rating")
    return [
        DevolutionPolicyAdopted(
            effective_from=command.effective_from,
            policy=command.policy,
            description=policy.describe(),
            adopted_on=today,
            adopted_by=by,
        )
    ]


def _default_rate(year: FinancialYear) -> int | None:
    try:
        return DEFAULT_RATES.rate_for(year)
    except NoRateForYear:  # no default for that year: this is the first rate set for it
        return None
