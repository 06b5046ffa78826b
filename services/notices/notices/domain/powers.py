"""The council's powers over a school eligible for intervention (sections 63 to 66 of the
Education and Inspections Act 2006), and the consultations that come first.

* s63 require the governing body to enter into arrangements (four forms) - consult first;
* s64 appoint additional governors - no consultation;
* s65 an Interim Executive Board: consult, apply for the Secretary of State's consent, then a
  notice of establishment with at least two members, a chair, a start and an optional end date;
  may be used at any time while the school is eligible;
* s66 suspend the delegated budget - no consultation; not while an IEB is in place, nor after
  the Secretary of State has appointed additional governors.

Where eligibility came from a warning notice, s63, s64 and s66 must be used within two months
after the compliance period ends (domain.md section 4; seed 003, appendix 3, "Local authority
powers of intervention").
"""

from __future__ import annotations

from datetime import date

from shared.errors import Conflict, InvalidInput, NotFound
from shared.events import Command, Event

from . import dates
from .checks import not_before, not_in_future, require_text
from .intervention_events import (
    AdditionalGovernorsAppointed,
    ArrangementsRequired,
    ConsultationResponseReceived,
    ConsultationStarted,
    DelegatedBudgetRestored,
    DelegatedBudgetSuspended,
    InterimExecutiveBoardApplied,
    InterimExecutiveBoardConsentGiven,
    InterimExecutiveBoardConsentRefused,
    InterimExecutiveBoardEnded,
    InterimExecutiveBoardEstablished,
    SecretaryOfStateAppointedAdditionalGovernors,
)
from .intervention_state import Consultation, InterimExecutiveBoard, InterventionCase
from .recipients import RecipientRole, consultees, governing_body, headteacher
from .refusals import (
    ConsultationRequired,
    InterimExecutiveBoardInPlace,
    NotEligibleForIntervention,
    PowerNoLongerAvailable,
)
from .rules import RuleBook
from .school_facts import SchoolFacts, require_open_maintained_school
from .vocabulary import POWERS_NEEDING_CONSULTATION, ArrangementForm, EligibilityBasis, Power

POWER_NAMES = {
    Power.S63_REQUIRE_ARRANGEMENTS: "s63 (requiring arrangements)",
    Power.S64_ADDITIONAL_GOVERNORS: "s64 (additional governors)",
    Power.S65_INTERIM_EXECUTIVE_BOARD: "s65 (an interim executive board)",
    Power.S66_SUSPEND_DELEGATED_BUDGET: "s66 (suspending the delegated budget)",
}


# Commands ---------------------------------------------------------------------------------


class StartConsultation(Command):
    urn: str
    consultation_id: str
    power: Power
    proposal: str
    started_on: date
    days: int | None = None
    """The window in calendar days; the rule book's normal length (14) when not given."""
    diocesan_authority: str | None = None
    foundation_governors_appointer: str | None = None


class RecordConsultationResponse(Command):
    urn: str
    consultation_id: str
    consultee: RecipientRole
    received_on: date
    summary: str


class RequireArrangements(Command):
    urn: str
    required_on: date
    form: ArrangementForm
    with_whom: str
    details: str
    consultation_id: str


class AppointAdditionalGovernors(Command):
    urn: str
    appointed_on: date
    governors: tuple[str, ...]


class ApplyForInterimExecutiveBoard(Command):
    urn: str
    applied_on: date
    consultation_id: str


class RecordSecretaryOfStateDecisionOnInterimExecutiveBoard(Command):
    urn: str
    decided_on: date
    consented: bool


class EstablishInterimExecutiveBoard(Command):
    urn: str
    notice_given_on: date
    starts_on: date
    ends_on: date | None = None
    members: tuple[str, ...]
    chair: str


class EndInterimExecutiveBoard(Command):
    urn: str
    ended_on: date


class SuspendDelegatedBudget(Command):
    urn: str
    notice_given_on: date
    suspended_from: date


class RecordSecretaryOfStateAppointedAdditionalGovernors(Command):
    urn: str
    appointed_on: date
    governors: tuple[str, ...]


PowerCommand = (
    StartConsultation
    | RecordConsultationResponse
    | RequireArrangements
    | AppointAdditionalGovernors
    | ApplyForInterimExecutiveBoard
    | RecordSecretaryOfStateDecisionOnInterimExecutiveBoard
    | EstablishInterimExecutiveBoard
    | EndInterimExecutiveBoard
    | SuspendDelegatedBudget
    | RecordSecretaryOfStateAppointedAdditionalGovernors
)


# Rules ------------------------------------------------------------------------------------


def require_power_available(
    state: InterventionCase, school: SchoolFacts, power: Power, day: date, field: str
) -> None:
    """Refuse ``power`` on ``day`` unless the school is eligible on a basis that still allows it."""
    active = state.active_eligibility(day)
    if not active:
        raise NotEligibleForIntervention(
            f"{school.name} (URN {school.urn}) is not eligible for intervention on {day.isoformat()}: "
            f"{POWER_NAMES[power]} can be used only once it has not complied with a warning notice and "
            "been given notice of intention, or Ofsted has judged it to have serious weaknesses or "
            "to need special measures.",
            field="urn",
        )
    if any(e.allows(power, day) for e in active):
        return
    lapsed = [
        e for e in active if e.basis is EligibilityBasis.WARNING_NOTICE and e.powers_lapse_on is not None
    ]
    record = max(lapsed, key=lambda e: e.powers_lapse_on or day)
    ended = record.compliance_period_ended_on.isoformat() if record.compliance_period_ended_on else "?"
    raise PowerNoLongerAvailable(
        f"{POWER_NAMES[power]} lapsed on {record.powers_lapse_on.isoformat() if record.powers_lapse_on else '?'}: "
        f"where eligibility comes from a warning notice ({record.notice_id}) it must be used within "
        f"two months after the compliance period ended ({ended}). A new warning notice is needed.",
        field=field,
    )


def _closed_consultation(
    state: InterventionCase, consultation_id: str, power: Power, day: date, field: str
) -> Consultation:
    consultation = state.consultation(consultation_id)
    if consultation is None:
        raise NotFound(
            f"No consultation {consultation_id} is recorded for this school.", field="consultation_id"
        )
    if consultation.power is not power:
        raise InvalidInput(
            f"Consultation {consultation_id} was on {POWER_NAMES[consultation.power]}, not {POWER_NAMES[power]}.",
            field="consultation_id",
        )
    if day <= consultation.closes_on:
        raise ConsultationRequired(
            f"The consultation runs until {consultation.closes_on.isoformat()}: {POWER_NAMES[power]} is "
            "decided only after the responses have been considered.",
            field=field,
        )
    return consultation


def _names(values: tuple[str, ...], field: str, what: str, at_least: int = 1) -> tuple[str, ...]:
    names = tuple(v.strip() for v in values)
    if any(not n for n in names):
        raise InvalidInput(f"Each of the {what} needs a name.", field=field)
    if len(set(names)) != len(names):
        raise InvalidInput(f"Each of the {what} may appear only once.", field=field)
    if len(names) < at_least:
        raise InvalidInput(f"Name at least {at_least} {what}.", field=field)
    return names


# Decisions --------------------------------------------------------------------------------


def decide_power(
    command: PowerCommand, state: InterventionCase, *, school: SchoolFacts, today: date, rules: RuleBook
) -> list[Event]:
    """``school`` is the facts of the school (``command.urn``); ``rules`` gives the normal
    consultation length in force on the day a consultation starts."""
    require_open_maintained_school(school, command.urn, "use its powers of intervention")
    match command:
        case StartConsultation():
            return _start_consultation(command, state, school, today, rules)
        case RecordConsultationResponse():
            return _consultation_response(command, state, today)
        case RequireArrangements():
            return _require_arrangements(command, state, school, today)
        case AppointAdditionalGovernors():
            return _additional_governors(command, state, school, today)
        case ApplyForInterimExecutiveBoard():
            return _apply_for_ieb(command, state, school, today)
        case RecordSecretaryOfStateDecisionOnInterimExecutiveBoard():
            return _ieb_decision(command, state, today)
        case EstablishInterimExecutiveBoard():
            return _establish_ieb(command, state, today)
        case EndInterimExecutiveBoard():
            return _end_ieb(command, state, today)
        case SuspendDelegatedBudget():
            return _suspend_budget(command, state, school, today)
        case RecordSecretaryOfStateAppointedAdditionalGovernors():
            not_in_future(command.appointed_on, today, "appointed_on")
            governors = _names(command.governors, "governors", "governors")
            return [
                SecretaryOfStateAppointedAdditionalGovernors(
                    urn=command.urn, appointed_on=command.appointed_on, governors=governors
                )
            ]
    raise TypeError(f"not a power command: {type(command).__name__}")


def _start_consultation(
    command: StartConsultation, state: InterventionCase, school: SchoolFacts, today: date, rules: RuleBook
) -> list[Event]:
    if command.power not in POWERS_NEEDING_CONSULTATION:
        raise ConsultationRequired(
            f"{POWER_NAMES[command.power]} needs no consultation; only s63 and s65 do.", field="power"
        )
    if state.consultation(command.consultation_id) is not None:
        raise Conflict("A consultation with this id already exists.", field="consultation_id")
    not_in_future(command.started_on, today, "started_on")
    proposal = require_text(
        command.proposal, "proposal", "the proposal, in enough detail for a considered response"
    )
    days = (
        command.days
        if command.days is not None
        else rules.in_force_on(command.started_on, field="started_on").consultation_days
    )
    if days < 1:
        raise InvalidInput("A consultation lasts at least one day.", field="days")
    parties = consultees(
        school,
        diocesan_authority=command.diocesan_authority,
        foundation_governors_appointer=command.foundation_governors_appointer,
    )
    return [
        ConsultationStarted(
            urn=command.urn,
            consultation_id=command.consultation_id,
            power=command.power,
            proposal=proposal,
            consultees=parties,
            started_on=command.started_on,
            closes_on=dates.consultation_closes_on(command.started_on, days),
        )
    ]


def _consultation_response(
    command: RecordConsultationResponse, state: InterventionCase, today: date
) -> list[Event]:
    consultation = state.consultation(command.consultation_id)
    if consultation is None:
        raise NotFound(
            f"No consultation {command.consultation_id} is recorded for this school.", field="consultation_id"
        )
    if command.consultee not in {c.role for c in consultation.consultees}:
        raise InvalidInput(
            f"The {command.consultee.value.replace('_', ' ')} was not consulted.", field="consultee"
        )
    not_in_future(command.received_on, today, "received_on")
    not_before(command.received_on, consultation.started_on, "received_on", "the start of the consultation")
    summary = require_text(command.summary, "summary", "a summary of the response")
    return [
        ConsultationResponseReceived(
            urn=command.urn,
            consultation_id=command.consultation_id,
            consultee=command.consultee,
            received_on=command.received_on,
            summary=summary,
        )
    ]


def _require_arrangements(
    command: RequireArrangements, state: InterventionCase, school: SchoolFacts, today: date
) -> list[Event]:
    not_in_future(command.required_on, today, "required_on")
    require_power_available(state, school, Power.S63_REQUIRE_ARRANGEMENTS, command.required_on, "required_on")
    _closed_consultation(
        state, command.consultation_id, Power.S63_REQUIRE_ARRANGEMENTS, command.required_on, "required_on"
    )
    with_whom = require_text(
        command.with_whom, "with_whom", "the person, school, further education body or federation"
    )
    details = require_text(command.details, "details", "the arrangements required")
    return [
        ArrangementsRequired(
            urn=command.urn,
            required_on=command.required_on,
            form=command.form,
            with_whom=with_whom,
            details=details,
            consultation_id=command.consultation_id,
        )
    ]


def _additional_governors(
    command: AppointAdditionalGovernors, state: InterventionCase, school: SchoolFacts, today: date
) -> list[Event]:
    not_in_future(command.appointed_on, today, "appointed_on")
    require_power_available(
        state, school, Power.S64_ADDITIONAL_GOVERNORS, command.appointed_on, "appointed_on"
    )
    governors = _names(command.governors, "governors", "additional governors")
    return [
        AdditionalGovernorsAppointed(
            urn=command.urn,
            appointed_on=command.appointed_on,
            governors=governors,
            foundation_may_appoint_equal_number=school.is_voluntary_aided,
        )
    ]


def _apply_for_ieb(
    command: ApplyForInterimExecutiveBoard, state: InterventionCase, school: SchoolFacts, today: date
) -> list[Event]:
    not_in_future(command.applied_on, today, "applied_on")
    board = state.interim_executive_board
    if board is not None and board.still_open(command.applied_on):
        raise Conflict(
            f"An application for an interim executive board was made on {board.applied_on.isoformat()} "
            "and that board has not finished.",
            field="urn",
        )
    require_power_available(
        state, school, Power.S65_INTERIM_EXECUTIVE_BOARD, command.applied_on, "applied_on"
    )
    _closed_consultation(
        state, command.consultation_id, Power.S65_INTERIM_EXECUTIVE_BOARD, command.applied_on, "applied_on"
    )
    return [
        InterimExecutiveBoardApplied(
            urn=command.urn, applied_on=command.applied_on, consultation_id=command.consultation_id
        )
    ]


def _pending_application(state: InterventionCase) -> InterimExecutiveBoard:
    board = state.interim_executive_board
    if board is None or not board.awaiting_decision:
        raise Conflict(
            "No application for an interim executive board is awaiting the Secretary of State.", field="urn"
        )
    return board


def _ieb_decision(
    command: RecordSecretaryOfStateDecisionOnInterimExecutiveBoard, state: InterventionCase, today: date
) -> list[Event]:
    board = _pending_application(state)
    not_in_future(command.decided_on, today, "decided_on")
    not_before(command.decided_on, board.applied_on, "decided_on", "the application")
    if command.consented:
        return [InterimExecutiveBoardConsentGiven(urn=command.urn, consented_on=command.decided_on)]
    return [InterimExecutiveBoardConsentRefused(urn=command.urn, refused_on=command.decided_on)]


def _establish_ieb(
    command: EstablishInterimExecutiveBoard, state: InterventionCase, today: date
) -> list[Event]:
    board = state.interim_executive_board
    if board is None or board.consented_on is None or board.refused_on is not None:
        raise ConsultationRequired(
            "An interim executive board is established only with the Secretary of State's written consent.",
            field="urn",
        )
    if board.established:
        raise Conflict("This interim executive board has already been established.", field="urn")
    not_in_future(command.notice_given_on, today, "notice_given_on")
    not_before(
        command.notice_given_on, board.consented_on, "notice_given_on", "the Secretary of State's consent"
    )
    not_before(command.starts_on, command.notice_given_on, "starts_on", "the notice of establishment")
    if command.ends_on is not None and command.ends_on <= command.starts_on:
        raise InvalidInput("The board must end after it starts.", field="ends_on")
    members = _names(command.members, "members", "interim executive members", at_least=2)
    chair = command.chair.strip()
    if chair not in members:
        raise InvalidInput("The chair is nominated from the board's members.", field="chair")
    events: list[Event] = [
        InterimExecutiveBoardEstablished(
            urn=command.urn,
            notice_given_on=command.notice_given_on,
            starts_on=command.starts_on,
            ends_on=command.ends_on,
            members=members,
            chair=chair,
        )
    ]
    if state.budget_suspended:
        events.append(
            DelegatedBudgetRestored(
                urn=command.urn,
                restored_on=command.starts_on,
                reason="An interim executive board has a right to a delegated budget from the day it starts.",
            )
        )
    return events


def _end_ieb(command: EndInterimExecutiveBoard, state: InterventionCase, today: date) -> list[Event]:
    board = state.interim_executive_board
    if board is None or not board.established or board.ended_on is not None:
        raise Conflict("There is no interim executive board to end.", field="urn")
    assert board.starts_on is not None
    not_in_future(command.ended_on, today, "ended_on")
    not_before(command.ended_on, board.starts_on, "ended_on", "the day the board started")
    return [InterimExecutiveBoardEnded(urn=command.urn, ended_on=command.ended_on)]


def _suspend_budget(
    command: SuspendDelegatedBudget, state: InterventionCase, school: SchoolFacts, today: date
) -> list[Event]:
    not_in_future(command.notice_given_on, today, "notice_given_on")
    not_before(command.suspended_from, command.notice_given_on, "suspended_from", "the notice")
    board = state.interim_executive_board
    if board is not None and state.interim_executive_board_bars_budget_suspension(
        command.notice_given_on, command.suspended_from
    ):
        raise InterimExecutiveBoardInPlace(
            "The delegated budget cannot be suspended while the governing body is constituted as an "
            f"interim executive board (from {board.starts_on.isoformat() if board.starts_on else '?'}).",
            field="suspended_from",
        )
    appointed = state.secretary_of_state_governors_appointed_on
    if appointed is not None and state.secretary_of_state_governors_bar_budget_suspension(
        command.notice_given_on
    ):
        raise PowerNoLongerAvailable(
            f"The Secretary of State appointed additional governors on {appointed.isoformat()}: the "
            "council can no longer suspend the delegated budget.",
            field="notice_given_on",
        )
    if state.budget_suspended:
        raise Conflict(
            f"The delegated budget is already suspended (from {state.budget_suspended_from.isoformat() if state.budget_suspended_from else '?'}).",
            field="urn",
        )
    require_power_available(
        state, school, Power.S66_SUSPEND_DELEGATED_BUDGET, command.notice_given_on, "notice_given_on"
    )
    return [
        DelegatedBudgetSuspended(
            urn=command.urn,
            notice_given_on=command.notice_given_on,
            suspended_from=command.suspended_from,
            recipients=(governing_body(school), headteacher(school)),
        )
    ]
