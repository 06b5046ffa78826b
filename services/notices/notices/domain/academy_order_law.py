"""Which law governs an academy order for a maintained school eligible for intervention, and the
council's record of what the law leaves to be confirmed: stream ``academyorderlaw-council``.

What was relied on (legislation.gov.uk itself was not reachable from here; its text was read from
stored copies of its pages - the Academies Act 2010 s4, the Education and Adoption Act 2016 ss7-9
as enacted, the Children's Wellbeing and Schools Act 2026 s58 - with the 2016 Act's delegated
powers memorandum and the LGiU's account of its commencement regulations):

* Academies Act 2010 s4(1)(b) as enacted: the Secretary of State *may* make an academy order for
  a maintained school eligible for intervention under Part 4 of the Education and Inspections Act
  2006 - a power, whatever made the school eligible.
* Education and Adoption Act 2016 s7, in force 18 April 2016 (SI 2016/466, reg. 2): inserts
  s4(A1) - the Secretary of State *must* make an academy order for a maintained school "eligible
  for intervention by virtue of section 61 or 62 EIA 2006 (schools requiring significant
  improvement or schools requiring special measures)". Both categories of concern, not only
  special measures. A school eligible after a warning notice (s60) stays under the power of
  s4(1)(b), which the same section limits to eligibility "other than by virtue of section 61 or 62".
  The commencement regulations, as the LGiU reported them, save only a school whose closure had
  been proposed (not modelled here): the duty reached schools already eligible on 18 April 2016,
  so for that switch the day of the decision decides.
* Children's Wellbeing and Schools Act 2026 (Royal Assent 29 April 2026) s58 omits s4(A1) and the
  limit in s4(1)(b): the order becomes a power again. By s58(9) the repeal is disregarded where an
  order under s4(A1) already has effect (and the school has not converted): an order recorded under
  the duty keeps its rule, as ``AcademyOrderMade`` does. **Uncertain, so recorded by the council**:
  (1) the commencement date - a stored copy of legislation.gov.uk's page for s58 gives "in force at
  29.6.2026, see s. 78(2)", not confirmed against the Act itself, so the default is "not commenced"
  until a principal adviser records the date; (2) which day decides for a school eligible before
  commencement with no order yet - s58(9) as read saves only orders already made, so the default is
  the day of the decision (``SwitchDecidedBy.DAY_OF_DECISION``); a council advised that the duty
  already owed to such a school continues records ``DAY_SCHOOL_BECAME_ELIGIBLE`` instead.
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


class SwitchDecidedBy(StrEnum):
    """Which day is compared with the commencement of the Children's Wellbeing and Schools Act 2026."""

    DAY_OF_DECISION = "day_of_decision"
    """The day the order is made or declined: the repeal reaches every school without an order."""
    DAY_SCHOOL_BECAME_ELIGIBLE = "day_school_became_eligible"
    """The day the school became eligible: a school eligible before commencement keeps the duty."""


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


def _power_since(commences_on: date, decided_by: SwitchDecidedBy) -> AcademyOrderProvision:
    after = (
        "decided on or after commencement"
        if decided_by is SwitchDecidedBy.DAY_OF_DECISION
        else "the school having become eligible on or after commencement"
    )
    return AcademyOrderProvision(
        AcademyOrderRule.POWER,
        "Academies Act 2010 s4(1)(b) as amended by the Children's Wellbeing and Schools Act 2026 s58 (commenced "
        f"{commences_on.isoformat()}, as the council records): a power, {after}",
    )


# Events -----------------------------------------------------------------------------------


class AcademyOrderCommencementSet(Event):
    """The council recorded the day the Children's Wellbeing and Schools Act 2026 turns the duty to
    make an academy order into a power (``commences_on``), or that it has not commenced (null),
    which day of a school's case is compared with it (``decided_by``), and where the council's
    understanding comes from (``source``). The latest setting replaces those before it;
    each stays in the log, so an answer given before a change can be replayed."""

    event_type: ClassVar[str] = "AcademyOrderCommencementSet"

    commences_on: date | None
    decided_by: SwitchDecidedBy = SwitchDecidedBy.DAY_OF_DECISION
    """Which day of a school's case is compared with ``commences_on``."""
    source: str
    set_on: date

    def effective_on(self) -> date | None:
        return self.set_on


ACADEMY_ORDER_LAW_EVENTS: tuple[type[Event], ...] = (AcademyOrderCommencementSet,)


class SetAcademyOrderCommencement(Command):
    commences_on: date | None
    decided_by: SwitchDecidedBy = SwitchDecidedBy.DAY_OF_DECISION
    source: str
    set_on: date


# State ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommencementSetting:
    commences_on: date | None
    decided_by: SwitchDecidedBy
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

    @property
    def switch_decided_by(self) -> SwitchDecidedBy:
        return self.settings[-1].decided_by if self.settings else SwitchDecidedBy.DAY_OF_DECISION

    def rule_for(self, basis: EligibilityBasis, eligible_from: date, day: date) -> AcademyOrderProvision:
        """The rule for an order decided on ``day`` for a school eligible on ``basis`` since
        ``eligible_from`` (see the module's account of which day decides, and why)."""
        if basis not in _CATEGORIES_OF_CONCERN:
            return _POWER_AFTER_WARNING_NOTICE
        if day < DUTY_IN_FORCE_ON:
            return _POWER_AS_ENACTED
        commences_on, decided_by = self.power_commences_on, self.switch_decided_by
        compared = day if decided_by is SwitchDecidedBy.DAY_OF_DECISION else eligible_from
        if commences_on is not None and compared >= commences_on:
            return _power_since(commences_on, decided_by)
        return _DUTY


NOT_COMMENCED = AcademyOrderLaw()
"""Until the council records a commencement date, the duty stands."""


def evolve(state: AcademyOrderLaw, event: Event) -> AcademyOrderLaw:
    if isinstance(event, AcademyOrderCommencementSet):
        setting = CommencementSetting(event.commences_on, event.decided_by, event.source, event.set_on)
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
    last = state.settings[-1] if state.settings else None
    if last is not None and (last.commences_on, last.decided_by, last.source) == (
        command.commences_on,
        command.decided_by,
        source,
    ):
        return []
    return [
        AcademyOrderCommencementSet(
            commences_on=command.commences_on,
            decided_by=command.decided_by,
            source=source,
            set_on=command.set_on,
        )
    ]
