"""The state of a school's intervention stream (``intervention-<urn>``) and its deadlines.

A school may be eligible on more than one basis at once (a warning notice and a later special
measures judgement); each basis is kept, because only a warning-notice basis makes s63, s64 and
s66 lapse two months after the compliance period ends (domain.md section 4).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from shared.events import Event

from .dates import first_day_after, last_day_before_powers_lapse
from .deadlines import Deadline, DeadlineKind
from .deadlines import deadlines_due as _fired
from .intervention_events import (
    AdditionalGovernorsAppointed,
    ArrangementsRequired,
    CategoryOfConcernRemoved,
    ConsultationResponseReceived,
    ConsultationStarted,
    ConsultationWindowClosed,
    DelegatedBudgetRestored,
    DelegatedBudgetSuspended,
    InterimExecutiveBoardApplied,
    InterimExecutiveBoardConsentGiven,
    InterimExecutiveBoardConsentRefused,
    InterimExecutiveBoardEnded,
    InterimExecutiveBoardEstablished,
    PowersLapsed,
    SchoolBecameEligibleForIntervention,
    SecretaryOfStateAppointedAdditionalGovernors,
)
from .recipients import Recipient, RecipientRole
from .vocabulary import POWERS_THAT_LAPSE, EligibilityBasis, Power


@dataclass(frozen=True)
class Eligibility:
    basis: EligibilityBasis
    eligible_from: date
    notice_id: str | None = None
    inspection_id: str | None = None
    compliance_period_ended_on: date | None = None
    powers_lapse_on: date | None = None
    ended_on: date | None = None
    lapse_recorded: bool = False

    def active_on(self, day: date) -> bool:
        return self.eligible_from <= day and (self.ended_on is None or day < self.ended_on)

    def allows(self, power: Power, day: date) -> bool:
        if not self.active_on(day):
            return False
        if self.basis is not EligibilityBasis.WARNING_NOTICE or power not in POWERS_THAT_LAPSE:
            return True
        return self.powers_lapse_on is None or day < self.powers_lapse_on


@dataclass(frozen=True)
class ConsultationResponse:
    consultee: RecipientRole
    received_on: date
    summary: str


@dataclass(frozen=True)
class Consultation:
    consultation_id: str
    power: Power
    proposal: str
    consultees: tuple[Recipient, ...]
    started_on: date
    closes_on: date
    responses: tuple[ConsultationResponse, ...] = ()
    close_recorded: bool = False


@dataclass(frozen=True)
class InterimExecutiveBoard:
    applied_on: date
    consultation_id: str
    consented_on: date | None = None
    refused_on: date | None = None
    notice_given_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    members: tuple[str, ...] = ()
    chair: str | None = None
    ended_on: date | None = None

    @property
    def established(self) -> bool:
        return self.starts_on is not None

    @property
    def awaiting_decision(self) -> bool:
        return self.consented_on is None and self.refused_on is None

    @property
    def finished_on(self) -> date | None:
        """The first day the governing body is no longer an IEB, if known."""
        return self.ended_on or self.ends_on

    def in_place_on(self, day: date) -> bool:
        if self.starts_on is None or day < self.starts_on:
            return False
        finished = self.finished_on
        return finished is None or day < finished

    def constituted_or_due_on(self, day: date) -> bool:
        """Established and not finished by ``day`` (in place, or due to start later)."""
        if self.starts_on is None:
            return False
        finished = self.finished_on
        return finished is None or day < finished

    def still_open(self, day: date) -> bool:
        """An application, a consent or a board that has not finished by ``day``."""
        if self.refused_on is not None:
            return False
        finished = self.finished_on
        return finished is None or day < finished


@dataclass(frozen=True)
class PowerUsed:
    power: Power
    used_on: date
    summary: str


@dataclass(frozen=True)
class InterventionCase:
    urn: str | None = None
    eligibility: tuple[Eligibility, ...] = ()
    consultations: tuple[Consultation, ...] = ()
    powers_used: tuple[PowerUsed, ...] = ()
    interim_executive_board: InterimExecutiveBoard | None = None
    budget_suspended_from: date | None = None
    budget_restored_on: date | None = None
    secretary_of_state_governors_appointed_on: date | None = None

    def eligible_on(self, day: date) -> bool:
        return any(e.active_on(day) for e in self.eligibility)

    def active_eligibility(self, day: date) -> tuple[Eligibility, ...]:
        return tuple(e for e in self.eligibility if e.active_on(day))

    def consultation(self, consultation_id: str) -> Consultation | None:
        return next((c for c in self.consultations if c.consultation_id == consultation_id), None)

    @property
    def budget_suspended(self) -> bool:
        return self.budget_suspended_from is not None and self.budget_restored_on is None

    def interim_executive_board_bars_budget_suspension(
        self, notice_given_on: date, suspended_from: date
    ) -> bool:
        """s66 is not open while the governing body is constituted as an interim executive board:
        a board established (even if due to start later) when the notice would be given, or in
        place on the day the suspension would begin."""
        board = self.interim_executive_board
        return board is not None and (
            board.constituted_or_due_on(notice_given_on) or board.in_place_on(suspended_from)
        )

    def secretary_of_state_governors_bar_budget_suspension(self, notice_given_on: date) -> bool:
        """Once the Secretary of State has appointed additional governors (s67) the council can no
        longer suspend the delegated budget."""
        appointed = self.secretary_of_state_governors_appointed_on
        return appointed is not None and appointed <= notice_given_on

    def budget_suspension_barred_on(self, day: date) -> bool:
        """Whether a notice suspending the budget from ``day``, given ``day``, is barred: the rules
        the s66 route applies, so the powers listed as available agree with it."""
        return self.interim_executive_board_bars_budget_suspension(
            day, day
        ) or self.secretary_of_state_governors_bar_budget_suspension(day)


NO_INTERVENTION = InterventionCase()


def _with_consultation(state: InterventionCase, consultation: Consultation) -> InterventionCase:
    others = tuple(c for c in state.consultations if c.consultation_id != consultation.consultation_id)
    return replace(state, consultations=(*others, consultation))


def _used(state: InterventionCase, power: Power, used_on: date, summary: str) -> InterventionCase:
    return replace(state, powers_used=(*state.powers_used, PowerUsed(power, used_on, summary)))


def evolve(state: InterventionCase, event: Event) -> InterventionCase:
    ieb = state.interim_executive_board
    match event:
        case SchoolBecameEligibleForIntervention():
            record = Eligibility(
                basis=event.basis,
                eligible_from=event.eligible_from,
                notice_id=event.notice_id,
                inspection_id=event.inspection_id,
                compliance_period_ended_on=event.compliance_period_ended_on,
                powers_lapse_on=event.powers_lapse_on,
            )
            return replace(state, urn=event.urn, eligibility=(*state.eligibility, record))
        case CategoryOfConcernRemoved():
            ended = tuple(
                replace(e, ended_on=event.inspected_on)
                if e.basis.value in {c.value for c in event.categories_ended}
                and e.ended_on is None
                and e.eligible_from < event.inspected_on
                else e
                for e in state.eligibility
            )
            return replace(state, eligibility=ended)
        case PowersLapsed():
            lapsed = tuple(
                replace(e, lapse_recorded=True) if e.notice_id == event.notice_id else e
                for e in state.eligibility
            )
            return replace(state, eligibility=lapsed)
        case ConsultationStarted():
            consultation = Consultation(
                consultation_id=event.consultation_id,
                power=event.power,
                proposal=event.proposal,
                consultees=event.consultees,
                started_on=event.started_on,
                closes_on=event.closes_on,
            )
            return replace(state, urn=event.urn, consultations=(*state.consultations, consultation))
        case ConsultationResponseReceived():
            found = state.consultation(event.consultation_id)
            if found is None:
                return state
            response = ConsultationResponse(event.consultee, event.received_on, event.summary)
            return _with_consultation(state, replace(found, responses=(*found.responses, response)))
        case ConsultationWindowClosed():
            found = state.consultation(event.consultation_id)
            if found is None:
                return state
            return _with_consultation(state, replace(found, close_recorded=True))
        case ArrangementsRequired():
            return _used(
                state,
                Power.S63_REQUIRE_ARRANGEMENTS,
                event.required_on,
                f"{event.form.value}: {event.with_whom}",
            )
        case AdditionalGovernorsAppointed():
            return _used(
                state, Power.S64_ADDITIONAL_GOVERNORS, event.appointed_on, ", ".join(event.governors)
            )
        case InterimExecutiveBoardApplied():
            board = InterimExecutiveBoard(applied_on=event.applied_on, consultation_id=event.consultation_id)
            return replace(state, interim_executive_board=board)
        case InterimExecutiveBoardConsentGiven() if ieb is not None:
            return replace(state, interim_executive_board=replace(ieb, consented_on=event.consented_on))
        case InterimExecutiveBoardConsentRefused() if ieb is not None:
            return replace(state, interim_executive_board=replace(ieb, refused_on=event.refused_on))
        case InterimExecutiveBoardEstablished() if ieb is not None:
            board = replace(
                ieb,
                notice_given_on=event.notice_given_on,
                starts_on=event.starts_on,
                ends_on=event.ends_on,
                members=event.members,
                chair=event.chair,
            )
            return _used(
                replace(state, interim_executive_board=board),
                Power.S65_INTERIM_EXECUTIVE_BOARD,
                event.notice_given_on,
                f"IEB of {len(event.members)} from {event.starts_on.isoformat()}, chaired by {event.chair}",
            )
        case InterimExecutiveBoardEnded() if ieb is not None:
            return replace(state, interim_executive_board=replace(ieb, ended_on=event.ended_on))
        case DelegatedBudgetSuspended():
            suspended = replace(state, budget_suspended_from=event.suspended_from, budget_restored_on=None)
            return _used(
                suspended,
                Power.S66_SUSPEND_DELEGATED_BUDGET,
                event.notice_given_on,
                f"from {event.suspended_from.isoformat()}",
            )
        case DelegatedBudgetRestored():
            return replace(state, budget_restored_on=event.restored_on)
        case SecretaryOfStateAppointedAdditionalGovernors():
            return replace(state, secretary_of_state_governors_appointed_on=event.appointed_on)
        case _:
            return state


def pending_deadlines(state: InterventionCase) -> list[Deadline]:
    if state.urn is None:
        return []
    urn = state.urn
    pending: list[Deadline] = []
    for record in state.eligibility:
        if record.basis is not EligibilityBasis.WARNING_NOTICE or record.lapse_recorded:
            continue
        if record.powers_lapse_on is None or record.notice_id is None:
            continue
        pending.append(
            Deadline(
                kind=DeadlineKind.POWERS_LAPSE,
                urn=urn,
                reference=record.notice_id,
                due_on=last_day_before_powers_lapse(record.powers_lapse_on),
                fires_on=record.powers_lapse_on,
                event=PowersLapsed(
                    urn=urn,
                    notice_id=record.notice_id,
                    lapsed_on=record.powers_lapse_on,
                    powers=POWERS_THAT_LAPSE,
                ),
                description=f"Last day to use s63, s64 or s66 under warning notice {record.notice_id}",
            )
        )
    for consultation in state.consultations:
        if consultation.close_recorded:
            continue
        pending.append(
            Deadline(
                kind=DeadlineKind.CONSULTATION_CLOSE,
                urn=urn,
                reference=consultation.consultation_id,
                due_on=consultation.closes_on,
                fires_on=first_day_after(consultation.closes_on),
                event=ConsultationWindowClosed(
                    urn=urn,
                    consultation_id=consultation.consultation_id,
                    closed_on=consultation.closes_on,
                    responses_received=len(consultation.responses),
                ),
                description=f"Consultation {consultation.consultation_id} on {consultation.power.value} closes",
            )
        )
    return pending


def deadlines_due(state: InterventionCase, today: date) -> list[Event]:
    """The deadline events of this school's intervention that have fired by ``today``."""
    return _fired(pending_deadlines(state), today)


def powers_available(case: InterventionCase, today: date) -> tuple[Power, ...]:
    """The powers the school's eligibility allows today, less s66 where an interim executive
    board or the Secretary of State's additional governors bar it (consultation still applies
    when s63 or s65 is used)."""
    active = case.active_eligibility(today)
    return tuple(
        p
        for p in Power
        if any(e.allows(p, today) for e in active)
        and not (p is Power.S66_SUSPEND_DELEGATED_BUDGET and case.budget_suspension_barred_on(today))
    )
