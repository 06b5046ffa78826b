"""Academy orders for a maintained school eligible for intervention, stream ``academyorder-<urn>``.

The Secretary of State makes (or, under a power, decides not to make) an academy order and may
revoke it (Academies Act 2010 s4 and s5C); the council records what the Secretary of State
decided, and, while an order has effect, the steps the council and the governing body take to
facilitate the conversion, which s5B of that Act requires of both. Whether the order is a duty or
a power is ``academy_order_law``'s rule, recorded with each decision so a replay of the stream
gives the same answer whatever the council's setting is later.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import ClassVar

from shared.errors import Conflict
from shared.events import Command, Event

from .academy_order_law import AcademyOrderLaw, AcademyOrderRule, SwitchDecidedBy
from .checks import not_before, not_in_future, require_text
from .event_base import SchoolEvent
from .intervention_state import Eligibility, InterventionCase
from .refusals import AcademyOrderRequired, NotEligibleForIntervention
from .school_facts import SchoolFacts, require_open_maintained_school
from .vocabulary import EligibilityBasis


def academy_order_stream(urn: str) -> str:
    return f"academyorder-{urn}"


class FacilitatingParty(StrEnum):
    """Who Academies Act 2010 s5B requires to take all reasonable steps to facilitate conversion."""

    LOCAL_AUTHORITY = "local_authority"
    GOVERNING_BODY = "governing_body"


# Events -----------------------------------------------------------------------------------


class _FollowsEligibility(SchoolEvent):
    basis: EligibilityBasis
    """What made the school eligible for intervention, as the intervention stream records it."""
    eligible_from: date
    inspection_id: str | None = None
    notice_id: str | None = None
    rule: AcademyOrderRule
    """Whether the law made the order a duty or a power for this school on that day."""
    provision: str
    """The provision the rule comes from, in words."""


class AcademyOrderMade(_FollowsEligibility):
    """The Secretary of State made an academy order for the school on ``made_on`` (recorded by
    the council, with who made it, e.g. the DfE's regional director); from then the council and
    the governing body must take all reasonable steps to facilitate the conversion."""

    event_type: ClassVar[str] = "AcademyOrderMade"

    made_on: date
    made_by: str

    def effective_on(self) -> date | None:
        return self.made_on


class AcademyOrderNotMade(_FollowsEligibility):
    """The Secretary of State decided not to make an academy order for the eligible school,
    which the law allows only where the order is a power (``rule`` is always ``power``)."""

    event_type: ClassVar[str] = "AcademyOrderNotMade"

    decided_on: date
    decided_by: str
    reason: str

    def effective_on(self) -> date | None:
        return self.decided_on


class AcademyOrderRevoked(SchoolEvent):
    """The Secretary of State revoked the school's academy order (Academies Act 2010 s5C): the
    duty to facilitate conversion ends that day."""

    event_type: ClassVar[str] = "AcademyOrderRevoked"

    made_on: date
    """The order revoked."""
    revoked_on: date
    reason: str

    def effective_on(self) -> date | None:
        return self.revoked_on


class ConversionStepTaken(SchoolEvent):
    """A step taken to facilitate the conversion while the order has effect: by the council or the
    governing body, what was done (``action``), on which day and by whom (the officer or governor)."""

    event_type: ClassVar[str] = "ConversionStepTaken"

    made_on: date
    """The order the step follows."""
    party: FacilitatingParty
    taken_on: date
    taken_by: str
    action: str

    def effective_on(self) -> date | None:
        return self.taken_on


ACADEMY_ORDER_EVENTS: tuple[type[Event], ...] = (
    AcademyOrderMade,
    AcademyOrderNotMade,
    AcademyOrderRevoked,
    ConversionStepTaken,
)


# Commands ---------------------------------------------------------------------------------


class RecordAcademyOrderMade(Command):
    urn: str
    made_on: date
    made_by: str


class RecordAcademyOrderNotMade(Command):
    urn: str
    decided_on: date
    decided_by: str
    reason: str


class RecordAcademyOrderRevoked(Command):
    urn: str
    revoked_on: date
    reason: str


class RecordConversionStep(Command):
    urn: str
    party: FacilitatingParty
    taken_on: date
    taken_by: str
    action: str


AcademyOrderCommand = (
    RecordAcademyOrderMade | RecordAcademyOrderNotMade | RecordAcademyOrderRevoked | RecordConversionStep
)


# State ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConversionStep:
    party: FacilitatingParty
    taken_on: date
    taken_by: str
    action: str


@dataclass(frozen=True)
class AcademyOrder:
    made_on: date
    made_by: str
    basis: EligibilityBasis
    eligible_from: date
    rule: AcademyOrderRule
    provision: str
    revoked_on: date | None = None
    revocation_reason: str | None = None
    steps: tuple[ConversionStep, ...] = ()

    def has_effect_on(self, day: date) -> bool:
        return self.made_on <= day and (self.revoked_on is None or day < self.revoked_on)


@dataclass(frozen=True)
class OrderNotMade:
    decided_on: date
    decided_by: str
    reason: str
    basis: EligibilityBasis
    eligible_from: date
    provision: str


@dataclass(frozen=True)
class AcademyOrderCase:
    urn: str | None = None
    orders: tuple[AcademyOrder, ...] = ()
    """Oldest first; at most the last has not been revoked."""
    not_made: tuple[OrderNotMade, ...] = ()

    @property
    def current(self) -> AcademyOrder | None:
        """The order not revoked, if any."""
        return self.orders[-1] if self.orders and self.orders[-1].revoked_on is None else None


NO_ACADEMY_ORDER = AcademyOrderCase()


def _with_current(state: AcademyOrderCase, order: AcademyOrder) -> AcademyOrderCase:
    return replace(state, orders=(*state.orders[:-1], order))


def evolve(state: AcademyOrderCase, event: Event) -> AcademyOrderCase:
    current = state.current
    match event:
        case AcademyOrderMade():
            order = AcademyOrder(
                made_on=event.made_on,
                made_by=event.made_by,
                basis=event.basis,
                eligible_from=event.eligible_from,
                rule=event.rule,
                provision=event.provision,
            )
            return replace(state, urn=event.urn, orders=(*state.orders, order))
        case AcademyOrderNotMade():
            decision = OrderNotMade(
                decided_on=event.decided_on,
                decided_by=event.decided_by,
                reason=event.reason,
                basis=event.basis,
                eligible_from=event.eligible_from,
                provision=event.provision,
            )
            return replace(state, urn=event.urn, not_made=(*state.not_made, decision))
        case AcademyOrderRevoked() if current is not None:
            return _with_current(
                state, replace(current, revoked_on=event.revoked_on, revocation_reason=event.reason)
            )
        case ConversionStepTaken() if current is not None:
            step = ConversionStep(event.party, event.taken_on, event.taken_by, event.action)
            return _with_current(state, replace(current, steps=(*current.steps, step)))
        case _:
            return state


# Rules ------------------------------------------------------------------------------------


def eligibility_for_order(intervention: InterventionCase, day: date) -> Eligibility | None:
    """The eligibility an order decided on ``day`` follows: a category of concern before a
    warning notice (it is what s4(A1) turns on), the latest of each kind."""
    active = intervention.active_eligibility(day)
    if not active:
        return None
    return max(active, key=lambda e: (e.basis is not EligibilityBasis.WARNING_NOTICE, e.eligible_from))


def _require_eligible(intervention: InterventionCase, school: SchoolFacts, day: date) -> Eligibility:
    eligibility = eligibility_for_order(intervention, day)
    if eligibility is None:
        raise NotEligibleForIntervention(
            f"{school.name} (URN {school.urn}) is not eligible for intervention on {day.isoformat()}: an "
            "academy order follows eligibility (a category of concern, or a warning notice not complied "
            "with). An order on the governing body's own application is not an intervention.",
            field="urn",
        )
    return eligibility


def decide(
    command: AcademyOrderCommand,
    state: AcademyOrderCase,
    *,
    school: SchoolFacts,
    intervention: InterventionCase,
    law: AcademyOrderLaw,
    today: date,
) -> list[Event]:
    """``intervention`` is the school's intervention as recorded; ``law`` the council's setting of
    the commencement of the Children's Wellbeing and Schools Act 2026."""
    match command:
        case RecordAcademyOrderMade():
            return _order_made(command, state, school, intervention, law, today)
        case RecordAcademyOrderNotMade():
            return _order_not_made(command, state, school, intervention, law, today)
        case RecordAcademyOrderRevoked():
            return _revoked(command, state, today)
        case RecordConversionStep():
            return _step(command, state, today)
    raise TypeError(f"not an academy order command: {type(command).__name__}")


def _follows(eligibility: Eligibility, law: AcademyOrderLaw, day: date) -> dict[str, object]:
    provision = law.rule_for(eligibility.basis, eligibility.eligible_from, day)
    return {
        "basis": eligibility.basis,
        "eligible_from": eligibility.eligible_from,
        "inspection_id": eligibility.inspection_id,
        "notice_id": eligibility.notice_id,
        "rule": provision.rule,
        "provision": provision.provision,
    }


def _no_order_in_effect(state: AcademyOrderCase) -> None:
    if state.current is not None:
        raise Conflict(
            f"An academy order made on {state.current.made_on.isoformat()} has effect; record its revocation "
            "first.",
            field="urn",
        )


def _decision_on(
    urn: str,
    day: date,
    field: str,
    state: AcademyOrderCase,
    school: SchoolFacts,
    intervention: InterventionCase,
    law: AcademyOrderLaw,
    today: date,
) -> tuple[Eligibility, dict[str, object]]:
    """What an order made or declined on ``day`` must follow: an open maintained school, no order
    in effect, the day not in the future, the school eligible that day; and the rule it is under."""
    require_open_maintained_school(school, urn, "be the subject of an academy order")
    _no_order_in_effect(state)
    not_in_future(day, today, field)
    eligibility = _require_eligible(intervention, school, day)
    return eligibility, _follows(eligibility, law, day)


def _order_made(
    command: RecordAcademyOrderMade,
    state: AcademyOrderCase,
    school: SchoolFacts,
    intervention: InterventionCase,
    law: AcademyOrderLaw,
    today: date,
) -> list[Event]:
    _, follows = _decision_on(
        command.urn, command.made_on, "made_on", state, school, intervention, law, today
    )
    made_by = require_text(command.made_by, "made_by", "who made the order for the Secretary of State")
    return [AcademyOrderMade(urn=command.urn, made_on=command.made_on, made_by=made_by, **follows)]  # type: ignore[arg-type]


def _order_not_made(
    command: RecordAcademyOrderNotMade,
    state: AcademyOrderCase,
    school: SchoolFacts,
    intervention: InterventionCase,
    law: AcademyOrderLaw,
    today: date,
) -> list[Event]:
    eligibility, follows = _decision_on(
        command.urn, command.decided_on, "decided_on", state, school, intervention, law, today
    )
    if follows["rule"] is AcademyOrderRule.DUTY:
        commenced = law.power_commences_on
        compared = (
            "this decision"
            if law.switch_decided_by is SwitchDecidedBy.DAY_OF_DECISION
            else "the school became eligible"
        )
        switch = (
            "the council records the Children's Wellbeing and Schools Act 2026, which makes the order a power, "
            f"as commencing on {commenced.isoformat()}, after {compared}"
            if commenced is not None
            else "the council records the Children's Wellbeing and Schools Act 2026, which makes the order a "
            "power, as not yet commenced"
        )
        raise AcademyOrderRequired(
            f"{school.name} (URN {command.urn}) has been eligible for intervention since "
            f"{eligibility.eligible_from.isoformat()} ({eligibility.basis.value.replace('_', ' ')}): under "
            f"{follows['provision']}, so no decision not to make one can be recorded; {switch}. Record the "
            "order when it is made.",
            field="decided_on",
        )
    decided_by = require_text(command.decided_by, "decided_by", "who decided for the Secretary of State")
    reason = require_text(command.reason, "reason", "the reason given for not making the order")
    return [
        AcademyOrderNotMade(
            urn=command.urn,
            decided_on=command.decided_on,
            decided_by=decided_by,
            reason=reason,
            **follows,  # type: ignore[arg-type]
        )
    ]


def _current_order(state: AcademyOrderCase) -> AcademyOrder:
    if state.current is None:
        raise Conflict("No academy order has effect for this school.", field="urn")
    return state.current


def _revoked(command: RecordAcademyOrderRevoked, state: AcademyOrderCase, today: date) -> list[Event]:
    order = _current_order(state)
    not_in_future(command.revoked_on, today, "revoked_on")
    not_before(command.revoked_on, order.made_on, "revoked_on", "the order")
    reason = require_text(command.reason, "reason", "the reason the Secretary of State gave for revoking it")
    return [
        AcademyOrderRevoked(
            urn=command.urn, made_on=order.made_on, revoked_on=command.revoked_on, reason=reason
        )
    ]


def _step(command: RecordConversionStep, state: AcademyOrderCase, today: date) -> list[Event]:
    order = _current_order(state)
    not_in_future(command.taken_on, today, "taken_on")
    not_before(command.taken_on, order.made_on, "taken_on", "the academy order")
    taken_by = require_text(command.taken_by, "taken_by", "who took the step")
    action = require_text(command.action, "action", "what was done to facilitate the conversion")
    return [
        ConversionStepTaken(
            urn=command.urn,
            made_on=order.made_on,
            party=command.party,
            taken_on=command.taken_on,
            taken_by=taken_by,
            action=action,
        )
    ]


# The school's position --------------------------------------------------------------------


class AcademyOrderStatus(StrEnum):
    NOT_ELIGIBLE = "not_eligible"
    ORDER_EXPECTED_UNDER_DUTY = "order_expected_under_duty"
    ORDER_MAY_BE_MADE_UNDER_POWER = "order_may_be_made_under_power"
    ORDER_MADE = "order_made"
    DECLINED_UNDER_POWER = "declined_under_power"
    ORDER_REVOKED = "order_revoked"


@dataclass(frozen=True)
class AcademyOrderPosition:
    status: AcademyOrderStatus
    since: date | None
    summary: str
    rule: AcademyOrderRule | None = None
    provision: str | None = None


def academy_order_position(
    case: AcademyOrderCase, intervention: InterventionCase, law: AcademyOrderLaw, today: date
) -> AcademyOrderPosition:
    """Where the school stands on ``today``: an order made; revoked; declined under the power; or,
    while eligible with none of those for its eligibility, expected under the duty or open to the
    power."""
    current = case.current
    if current is not None:
        return AcademyOrderPosition(
            AcademyOrderStatus.ORDER_MADE,
            current.made_on,
            f"Academy order made on {current.made_on.isoformat()} by {current.made_by} ({current.rule.value})",
            current.rule,
            current.provision,
        )
    eligibility = eligibility_for_order(intervention, today)
    revoked = case.orders[-1] if case.orders else None
    if eligibility is None:
        if revoked is not None and revoked.revoked_on is not None:
            return _revoked_position(revoked)
        return AcademyOrderPosition(
            AcademyOrderStatus.NOT_ELIGIBLE,
            None,
            "Not eligible for intervention: no academy order is in question",
        )
    if (
        revoked is not None
        and revoked.revoked_on is not None
        and revoked.eligible_from == eligibility.eligible_from
    ):
        return _revoked_position(revoked)
    declined = next(
        (d for d in reversed(case.not_made) if d.eligible_from == eligibility.eligible_from), None
    )
    if declined is not None:
        return AcademyOrderPosition(
            AcademyOrderStatus.DECLINED_UNDER_POWER,
            declined.decided_on,
            f"Declined under the power on {declined.decided_on.isoformat()} by {declined.decided_by}",
            AcademyOrderRule.POWER,
            declined.provision,
        )
    provision = law.rule_for(eligibility.basis, eligibility.eligible_from, today)
    if provision.rule is AcademyOrderRule.DUTY:
        return AcademyOrderPosition(
            AcademyOrderStatus.ORDER_EXPECTED_UNDER_DUTY,
            eligibility.eligible_from,
            "Academy order expected (duty)",
            provision.rule,
            provision.provision,
        )
    return AcademyOrderPosition(
        AcademyOrderStatus.ORDER_MAY_BE_MADE_UNDER_POWER,
        eligibility.eligible_from,
        "An academy order may be made (power)",
        provision.rule,
        provision.provision,
    )


def _revoked_position(order: AcademyOrder) -> AcademyOrderPosition:
    assert order.revoked_on is not None
    return AcademyOrderPosition(
        AcademyOrderStatus.ORDER_REVOKED,
        order.revoked_on,
        f"The academy order made on {order.made_on.isoformat()} was revoked on {order.revoked_on.isoformat()}",
        order.rule,
        order.provision,
    )
