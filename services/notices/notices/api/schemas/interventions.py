"""Request and response bodies of a school's intervention: eligibility, consultations, powers."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from shared.text import Name, Narrative
from notices.api.schemas.common import Body, DeadlinePublic, IdField, Public, deadlines_public
from notices.domain import intervention, powers
from notices.domain.dates import last_day_before_powers_lapse
from notices.domain.intervention_state import Consultation, InterventionCase
from notices.domain.intervention_state import powers_available
from notices.domain.recipients import Recipient, RecipientRole
from notices.domain.vocabulary import ArrangementForm, EligibilityBasis, Power


class EligibilityCreate(Body):
    """Record eligibility from a fact already in the log: a warning notice that made the school
    eligible, or an Ofsted inspection recorded by the schools service. Give exactly one."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"notice_id": "3f9c2a7e5b1d4c8e9a0f6b2d7c4e1a95"}, {"inspection_id": "10298004"}]
        }
    )

    notice_id: IdField | None = None
    inspection_id: IdField | None = None


class ConsultationCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "power": "s65_interim_executive_board",
                    "proposal": (
                        "The council proposes to replace the governing body with an interim executive "
                        "board of four members from 1 December 2026, to secure leadership able to raise "
                        "standards quickly."
                    ),
                    "started_on": "2026-10-19",
                    "days": 14,
                },
            ]
        }
    )

    power: Power
    proposal: Narrative
    started_on: date
    days: int | None = Field(default=None, ge=1, le=90, description="Calendar days; normally 14")
    diocesan_authority: Name | None = None
    foundation_governors_appointer: Name | None = None

    def command(self, urn: str, consultation_id: str) -> powers.StartConsultation:
        return powers.StartConsultation(urn=urn, consultation_id=consultation_id, **self.model_dump())


class ConsultationResponseCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "consultee": "governing_body",
                    "received_on": "2026-10-28",
                    "summary": (
                        "The governing body opposes the proposal and asks for a further term to show "
                        "improvement under the new headteacher."
                    ),
                },
            ]
        }
    )

    consultee: RecipientRole
    received_on: date
    summary: Narrative

    def command(self, urn: str, consultation_id: str) -> powers.RecordConsultationResponse:
        return powers.RecordConsultationResponse(
            urn=urn, consultation_id=consultation_id, **self.model_dump()
        )


class ArrangementsCreate(Body):
    """s63: require the governing body to enter into arrangements, after consultation."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "required_on": "2026-10-26",
                    "form": "collaborate_with_school",
                    "with_whom": "Beech Primary School",
                    "details": (
                        "The governing body is to work with Beech Primary School's leaders on the "
                        "teaching of reading for the rest of the school year, meeting at least "
                        "fortnightly."
                    ),
                    "consultation_id": "8b41d0c2e7a94f3b9c5e2a1d6f0b7c38",
                },
            ]
        }
    )

    required_on: date
    form: ArrangementForm
    with_whom: Name
    details: Narrative
    consultation_id: IdField

    def command(self, urn: str) -> powers.RequireArrangements:
        return powers.RequireArrangements(urn=urn, **self.model_dump())


class AdditionalGovernorsCreate(Body):
    """s64: appoint additional governors (no consultation)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"appointed_on": "2026-10-20", "governors": ["Mrs Anne Hollis", "Mr Tom Baker"]},
            ]
        }
    )

    appointed_on: date
    governors: list[Name] = Field(max_length=50)

    def command(self, urn: str) -> powers.AppointAdditionalGovernors:
        return powers.AppointAdditionalGovernors(
            urn=urn, appointed_on=self.appointed_on, governors=tuple(self.governors)
        )


class InterimExecutiveBoardApplication(Body):
    """s65: apply to the Secretary of State for consent, after consultation."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"applied_on": "2026-11-02", "consultation_id": "c27e9a4b1f0d4e6a8b3c5d7e9f1a2b40"}]
        }
    )

    applied_on: date
    consultation_id: IdField

    def command(self, urn: str) -> powers.ApplyForInterimExecutiveBoard:
        return powers.ApplyForInterimExecutiveBoard(urn=urn, **self.model_dump())


class SecretaryOfStateDecision(Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"decided_on": "2026-10-30", "consented": True}]}
    )

    decided_on: date
    consented: bool

    def command(self, urn: str) -> powers.RecordSecretaryOfStateDecisionOnInterimExecutiveBoard:
        return powers.RecordSecretaryOfStateDecisionOnInterimExecutiveBoard(urn=urn, **self.model_dump())


class InterimExecutiveBoardCreate(Body):
    """s65: the notice of establishment - at least two members, one of them the chair."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "notice_given_on": "2026-10-30",
                    "starts_on": "2026-11-02",
                    "ends_on": "2027-08-31",
                    "members": ["Dr Margaret Lowe", "Mr Ian Fraser", "Mrs Kiran Dhillon"],
                    "chair": "Dr Margaret Lowe",
                },
            ]
        }
    )

    notice_given_on: date
    starts_on: date
    ends_on: date | None = None
    members: list[Name] = Field(max_length=50)
    chair: Name

    def command(self, urn: str) -> powers.EstablishInterimExecutiveBoard:
        return powers.EstablishInterimExecutiveBoard(
            urn=urn,
            notice_given_on=self.notice_given_on,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            members=tuple(self.members),
            chair=self.chair,
        )


class InterimExecutiveBoardEnd(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"ended_on": "2026-10-31"}]})

    ended_on: date

    def command(self, urn: str) -> powers.EndInterimExecutiveBoard:
        return powers.EndInterimExecutiveBoard(urn=urn, ended_on=self.ended_on)


class BudgetSuspensionCreate(Body):
    """s66: suspend the governing body's right to a delegated budget (no consultation)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"notice_given_on": "2026-10-19", "suspended_from": "2026-10-19"}]}
    )

    notice_given_on: date
    suspended_from: date

    def command(self, urn: str) -> powers.SuspendDelegatedBudget:
        return powers.SuspendDelegatedBudget(urn=urn, **self.model_dump())


class SecretaryOfStateGovernorsCreate(Body):
    """s67: the Secretary of State appointed additional governors."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"appointed_on": "2026-10-22", "governors": ["Mr Colin Adeyemi", "Ms Rachel Stone"]},
            ]
        }
    )

    appointed_on: date
    governors: list[Name] = Field(max_length=50)

    def command(self, urn: str) -> powers.RecordSecretaryOfStateAppointedAdditionalGovernors:
        return powers.RecordSecretaryOfStateAppointedAdditionalGovernors(
            urn=urn, appointed_on=self.appointed_on, governors=tuple(self.governors)
        )


class EligibilityPublic(Public):
    basis: EligibilityBasis
    eligible_from: date
    notice_id: str | None
    inspection_id: str | None
    compliance_period_ended_on: date | None
    last_day_to_use_lapsing_powers: date | None
    powers_lapse_on: date | None
    ended_on: date | None
    lapsed: bool


class ConsultationResponsePublic(Public):
    consultee: RecipientRole
    received_on: date
    summary: str


class ConsultationPublic(Public):
    consultation_id: str
    power: Power
    proposal: str
    consultees: list[Recipient]
    started_on: date
    closes_on: date
    closed: bool
    responses: list[ConsultationResponsePublic]

    @classmethod
    def of(cls, consultation: Consultation) -> ConsultationPublic:
        return cls(
            consultation_id=consultation.consultation_id,
            power=consultation.power,
            proposal=consultation.proposal,
            consultees=list(consultation.consultees),
            started_on=consultation.started_on,
            closes_on=consultation.closes_on,
            closed=consultation.close_recorded,
            responses=[ConsultationResponsePublic.model_validate(r) for r in consultation.responses],
        )


class PowerUsedPublic(Public):
    power: Power
    used_on: date
    summary: str


class InterimExecutiveBoardPublic(Public):
    applied_on: date
    consultation_id: str
    consented_on: date | None
    refused_on: date | None
    notice_given_on: date | None
    starts_on: date | None
    ends_on: date | None
    members: list[str]
    chair: str | None
    ended_on: date | None


class InterventionPublic(Public):
    urn: str
    eligible_today: bool
    powers_available_today: list[Power]
    eligibility: list[EligibilityPublic]
    consultations: list[ConsultationPublic]
    powers_used: list[PowerUsedPublic]
    interim_executive_board: InterimExecutiveBoardPublic | None
    delegated_budget_suspended_from: date | None
    delegated_budget_restored_on: date | None
    secretary_of_state_governors_appointed_on: date | None
    pending_deadlines: list[DeadlinePublic]
    version: int

    @classmethod
    def of(cls, urn: str, state: InterventionCase, version: int, today: date) -> InterventionPublic:
        return cls(
            urn=urn,
            eligible_today=state.eligible_on(today),
            powers_available_today=list(powers_available(state, today)),
            eligibility=[
                EligibilityPublic(
                    basis=e.basis,
                    eligible_from=e.eligible_from,
                    notice_id=e.notice_id,
                    inspection_id=e.inspection_id,
                    compliance_period_ended_on=e.compliance_period_ended_on,
                    last_day_to_use_lapsing_powers=last_day_before_powers_lapse(e.powers_lapse_on)
                    if e.powers_lapse_on
                    else None,
                    powers_lapse_on=e.powers_lapse_on,
                    ended_on=e.ended_on,
                    lapsed=e.lapse_recorded,
                )
                for e in state.eligibility
            ],
            consultations=[ConsultationPublic.of(c) for c in state.consultations],
            powers_used=[PowerUsedPublic.model_validate(p) for p in state.powers_used],
            interim_executive_board=(
                InterimExecutiveBoardPublic.model_validate(state.interim_executive_board)
                if state.interim_executive_board
                else None
            ),
            delegated_budget_suspended_from=state.budget_suspended_from,
            delegated_budget_restored_on=state.budget_restored_on,
            secretary_of_state_governors_appointed_on=state.secretary_of_state_governors_appointed_on,
            pending_deadlines=deadlines_public(intervention.pending_deadlines(state)),
            version=version,
        )
