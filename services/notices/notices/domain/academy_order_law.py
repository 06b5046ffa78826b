"""Which law governs an academy order for a maintained school eligible for intervention, and the
council's setting of the one date the law leaves open: stream ``academyorderlaw-council``.

What was relied on (legislation.gov.uk itself was not reachable; its text was read from copies of
its pages, the Education and Adoption Act 2016 as enacted, and the Act's delegated powers
memorandum):

* Academies Act 2010 s4(1)(b) as enacted: the Secretary of State *may* make an academy order for
  a maintained school eligible for intervention under Part 4 of the Education and Inspections Act
  2006 - a power, whatever made the school eligible.
* Education and Adoption Act 2016 s7, in force 18 April 2016 (SI 2016/466): inserts s4(A1) - the
  Secretary of State *must* make an academy order for a maintained school "eligible for
  intervention by virtue of section 61 or 62 EIA 2006 (schools requiring significant improvement
  or schools requiring special measures)". Both categories of concern, not only special
  measures. A school eligible after a warning notice (s60) stays under the power of s4(1)(b),
  which the same section limits to eligibility "other than by virtue of section 61 or 62".
* The 2016 commencement regulations apply s7 to schools already eligible on 18 April 2016 (their
  only saving, as reported, is for a school whose closure had been proposed, which this service
  does not model): so for the 2016 switch the day of the decision decides.
* Children's Wellbeing and Schools Act 2026 (Royal Assent 29 April 2026): turns the duty back into
  a power. Its commencement is not fixed in any text seen, so the council records it (default: not
  commenced), and a principal adviser changes it when the regulations are made. Which date decides
  under that Act is not known either: this service keys it by the day the school became eligible
  under s61 or s62 - a duty owed to a school that became eligible while it was in force is treated
  as continuing, so commencement does not undo a duty already owed. Where the regulations say
  otherwise, this is the one rule to change (``AcademyOrderLaw.rule_for``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import ClassVar

from shared.errors import InvalidInput
from shared.events import Command, Event

from .checks import require_text
from .vocabulary import EligibilityBasis

ACADEMY_ORDER_LAW_CATEGORY = "academyorderlaw"
ACADEMY_ORDER_LAW_STREAM = f"{ACADEMY_ORDER_LAW_CATEGORY}-council"

DUTY_IN_FORCE_ON = date(2016, 4, 18)
"""The Education and Adoption Act 2016 s7 (Academies Act 2010 s4(A1)) came into force."""
CHILDRENS_WELLBEING_AND_SCHOOLS_ACT_PASSED_ON = date(2026, 4, 29)
"""Royal Assent: no part of the Act can commence before it."""

_CATEGORIES_OF_CONCERN = frozenset({EligibilityBasis.SERIOUS_WEAKNESSES, EligibilityBasis.SPECIAL_MEASURES})


class AcademyOrderRule(StrEnum):
    DUTY = "duty"
    """The Secretary of State must make the order."""
    POWER = "power"
    """The Secretary of State may make the order, or decide not to."""


@dataclass(frozen=True)
class AcademyOrderProvision:
    """The rule for one school's order, and the provision it comes from, in words."""

    rule: AcademyOrderRule
    provision: str


_POWER_AS_ENACTED = AcademyOrderProvision(
    AcademyOrderRule.POWER,
    "Academies Act 2010 s4(1)(b): a power, before the duty came into force on 18 April 2016",
)
_POWER_AFTER_WARNING_NOTICE = AcademyOrderProvision(
    AcademyOrderRule.POWER,
    "Academies Act 2010 s4(1)(b): a power, the school being eligible after a warning notice, not by virtue "
    "of s61 or s62 of the Education and Inspections Act 2006",
)
_DUTY = AcademyOrderProvision(
    AcademyOrderRule.DUTY,
    "Academies Act 2010 s4(A1), inserted by the Education and Adoption Act 2016: the Secretary of State must "
    "make an academy order for a maintained school eligible by virtue of s61 or s62 of the Education and "
    "Inspections Act 2006",
)


def _power_since(commences_on: date) -> AcademyOrderProvision:
    return AcademyOrderProvision(
        AcademyOrderRule.POWER,
        "Children's Wellbeing and Schools Act 2026 (commenced "
        f"{commences_on.isoformat()}, as the council records): a power, the school having become eligible "
        "on or after commencement",
    )


# Events -----------------------------------------------------------------------------------


class AcademyOrderCommencementSet(Event):
    """The council recorded the day the Children's Wellbeing and Schools Act 2026 turns the duty to
    make an academy order into a power (``commences_on``), or that it has not commenced (null),
    with where the date comes from (``source``). The latest setting replaces those before it;
    each stays in the log, so an answer given before a change can be replayed."""

    event_type: ClassVar[str] = "AcademyOrderCommencementSet"

    commences_on: date | None
    source: str
    set_on: date

    def effective_on(self) -> date | None:
        return self.set_on


ACADEMY_ORDER_LAW_EVENTS: tuple[type[Event], ...] = (AcademyOrderCommencementSet,)


class SetAcademyOrderCommencement(Command):
    commences_on: date | None
    source: str
    set_on: date


# State ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommencementSetting:
    commences_on: date | None
    source: str
    set_on: date


@dataclass(frozen=True)
class AcademyOrderLaw:
    settings: tuple[CommencementSetting, ...] = ()
    """Every setting the council recorded, oldest first; the last is in force."""

    @property
    def power_commences_on(self) -> date | None:
        """The day the Children's Wellbeing and Schools Act 2026 makes the order a power, if known."""
        return self.settings[-1].commences_on if self.settings else None

    def rule_for(self, basis: EligibilityBasis, eligible_from: date, day: date) -> AcademyOrderProvision:
        """The rule for an order decided on ``day`` for a school eligible on ``basis`` since
        ``eligible_from`` (see the module's account of which date decides, and why)."""
        if basis not in _CATEGORIES_OF_CONCERN:
            return _POWER_AFTER_WARNING_NOTICE
        if day < DUTY_IN_FORCE_ON:
            return _POWER_AS_ENACTED
        commences_on = self.power_commences_on
        if commences_on is not None and eligible_from >= commences_on:
            return _power_since(commences_on)
        return _DUTY


NOT_COMMENCED = AcademyOrderLaw()
"""Until the council records a commencement date, the duty stands."""


def evolve(state: AcademyOrderLaw, event: Event) -> AcademyOrderLaw:
    if isinstance(event, AcademyOrderCommencementSet):
        setting = CommencementSetting(event.commences_on, event.source, event.set_on)
        return AcademyOrderLaw(settings=(*state.settings, setting))
    return state


def decide(command: SetAcademyOrderCommencement, state: AcademyOrderLaw) -> list[Event]:
    source = require_text(
        command.source, "source", "where the commencement date comes from (the regulations, an announcement)"
    )
    if (
        command.commences_on is not None
        and command.commences_on < CHILDRENS_WELLBEING_AND_SCHOOLS_ACT_PASSED_ON
    ):
        raise InvalidInput(
            "The Children's Wellbeing and Schools Act 2026 received Royal Assent on 29 April 2026: it cannot "
            "commence before then.",
            field="commences_on",
        )
    if state.settings and (state.settings[-1].commences_on, state.settings[-1].source) == (
        command.commences_on,
        source,
    ):
        return []
    return [
        AcademyOrderCommencementSet(commences_on=command.commences_on, source=source, set_on=command.set_on)
    ]
