"""How the Virtual School Head devolves PP+ to schools (domain.md section 3, *configurable*).

Local models seen in practice, each a policy here:

* ``TermlyInstalments`` - fixed termly instalments released when the PEP is good
  (e.g. three instalments of 300 pounds a year);
* ``CappedTermlyRequests`` - requests tied to SMART PEP targets, capped per child per term
  (e.g. up to 650 pounds a term);
* ``Bands`` - a child's award for the year is one of a few bands (0 / 400 / 800 / 1,500 pounds);
* ``DevolvedShare`` - a share of the grant is devolved (e.g. 50%) and the rest retained centrally.

A council adopts a policy from a date; ``DevolutionPolicies`` holds the versions and answers which
one was in force on a given day. A request is judged under the policy in force on the day it was
made; an approval is checked against the devolved share in force on the day of the decision.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from shared.errors import RuleViolation

from .money import pounds
from .refusals import NoPepNoPremium, OutsideDevolutionPolicy

PEP_RATINGS = ("red", "amber", "green")

CapScope = Literal["term", "year"]


@dataclass(frozen=True, kw_only=True)
class DevolutionPolicy(ABC):
    """What every devolution model shares."""

    minimum_pep_rating: str | None = None
    """A request needs the child's current PEP quality-assured at this rating or better."""

    minimum_children_per_project: int = 2
    """A pooled school project needs at least this many looked-after children on roll."""

    cap_scope: CapScope = field(default="term", init=False)

    @abstractmethod
    def describe(self) -> str:
        """The policy in words, recorded with each request judged under it."""

    def cap_pence(self) -> int | None:
        """The most a child can be awarded in one cap period (a term or a year); None: no cap."""
        return None

    def check_amount(self, amount_pence: int, *, already_awarded_pence: int, field_name: str) -> None:
        cap = self.cap_pence()
        if cap is not None and amount_pence + already_awarded_pence > cap:
            period = "a term" if self.cap_scope == "term" else "a year"
            already = (
                f" ({pounds(already_awarded_pence)} pounds already approved)" if already_awarded_pence else ""
            )
            raise OutsideDevolutionPolicy(
                f"{pounds(amount_pence)} pounds is more than the policy allows: at most "
                f"{pounds(cap)} pounds per child in {period}{already}",
                field=field_name,
            )

    def check_pep_rating(self, rating: str | None) -> None:
        if self.minimum_pep_rating is None:
            return
        wanted = PEP_RATINGS.index(self.minimum_pep_rating)
        if rating is None or PEP_RATINGS.index(rating) < wanted:
            raise NoPepNoPremium(
                f"the current PEP must be quality-assured {self.minimum_pep_rating} before PP+ is "
                f"released (it is {rating or 'not rated'})",
                field="child_id",
            )

    def devolved_limit_pence(self, grant_pence: int) -> int | None:
        """The most that may be devolved to schools from the grant; None: the whole balance."""
        return None


@dataclass(frozen=True, kw_only=True)
class TermlyInstalments(DevolutionPolicy):
    instalment_pence: int = 30_000
    minimum_pep_rating: str | None = "green"

    def describe(self) -> str:
        return f"termly instalments of {pounds(self.instalment_pence)} pounds when the PEP is good"

    def cap_pence(self) -> int | None:
        return self.instalment_pence

    def check_amount(self, amount_pence: int, *, already_awarded_pence: int, field_name: str) -> None:
        if amount_pence != self.instalment_pence:
            raise OutsideDevolutionPolicy(
                f"the termly instalment is {pounds(self.instalment_pence)} pounds, "
                f"not {pounds(amount_pence)} pounds",
                field=field_name,
            )
        super().check_amount(amount_pence, already_awarded_pence=already_awarded_pence, field_name=field_name)


@dataclass(frozen=True, kw_only=True)
class CappedTermlyRequests(DevolutionPolicy):
    termly_cap_pence: int = 65_000

    def describe(self) -> str:
        return f"requests against PEP targets of up to {pounds(self.termly_cap_pence)} pounds a term"

    def cap_pence(self) -> int | None:
        return self.termly_cap_pence


@dataclass(frozen=True, kw_only=True)
class Bands(DevolutionPolicy):
    bands_pence: tuple[int, ...] = (0, 40_000, 80_000, 150_000)
    cap_scope: CapScope = field(default="year", init=False)

    def describe(self) -> str:
        return "banded awards of " + " / ".join(pounds(band) for band in self.bands_pence) + " pounds a year"

    def cap_pence(self) -> int | None:
        return max(self.bands_pence)

    def check_amount(self, amount_pence: int, *, already_awarded_pence: int, field_name: str) -> None:
        if amount_pence not in self.bands_pence or amount_pence == 0:
            raise OutsideDevolutionPolicy(
                f"{pounds(amount_pence)} pounds is not one of the bands ("
                + ", ".join(pounds(band) for band in self.bands_pence if band)
                + " pounds)",
                field=field_name,
            )
        super().check_amount(amount_pence, already_awarded_pence=already_awarded_pence, field_name=field_name)


@dataclass(frozen=True, kw_only=True)
class DevolvedShare(DevolutionPolicy):
    devolved_percent: int = 50
    termly_cap_pence: int | None = None

    def describe(self) -> str:
        retained = 100 - self.devolved_percent
        return f"{self.devolved_percent}% devolved to schools, {retained}% retained centrally"

    def cap_pence(self) -> int | None:
        return self.termly_cap_pence

    def devolved_limit_pence(self, grant_pence: int) -> int | None:
        return grant_pence * self.devolved_percent // 100


class DevolutionPolicies:
    """The policy versions a council has adopted, each from its effective date."""

    def __init__(self, versions: Iterable[tuple[date, DevolutionPolicy]]) -> None:
        self._versions = tuple(sorted(versions, key=lambda version: version[0]))
        if not self._versions:
            raise ValueError("at least one devolution policy is needed")
        for _, policy in self._versions:
            _check_policy(policy)

    @property
    def versions(self) -> tuple[tuple[date, DevolutionPolicy], ...]:
        """Each policy with the date it applies from, earliest first."""
        return self._versions

    def in_force_on(self, day: date) -> DevolutionPolicy:
        current = None
        for effective_from, policy in self._versions:
            if effective_from <= day:
                current = policy
        if current is None:
            raise RuleViolation(
                f"no devolution policy was in force on {day.isoformat()}", field="financial_year"
            )
        return current

    def adopt(self, effective_from: date, policy: DevolutionPolicy) -> DevolutionPolicies:
        return DevolutionPolicies([*self._versions, (effective_from, policy)])


def _check_policy(policy: DevolutionPolicy) -> None:
    if policy.minimum_pep_rating is not None and policy.minimum_pep_rating not in PEP_RATINGS:
        raise ValueError(f"unknown PEP rating {policy.minimum_pep_rating!r}")
    if policy.minimum_children_per_project < 1:
        raise ValueError("a school project needs at least one child")
    amounts = [policy.cap_pence()]
    if isinstance(policy, Bands):
        amounts.extend(policy.bands_pence)
    if isinstance(policy, DevolvedShare) and not 0 <= policy.devolved_percent <= 100:
        raise ValueError("the devolved share is a percentage from 0 to 100")
    for amount in amounts:
        if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount < 0):
            raise ValueError("policy amounts are whole pence, zero or more")


DEFAULT_DEVOLUTION_POLICIES = DevolutionPolicies([(date(2014, 4, 1), CappedTermlyRequests())])
