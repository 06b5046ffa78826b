"""The pupil-premium service's events: its public contract.

Every event belongs to one financial year's budget stream (``ppbudget-2024-25``) and carries the
year, so each can be read on its own. Events about a request repeat the child, the school and the
term, so a read model (or another service) never needs to look anything up to use them. Money is
integer pence throughout. The council's settings (rates, devolution policies, term dates) are
events of their own stream, ``ppconfig-council`` (see ``council_config``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.events import Event, EventCatalogue, child_subject, school_subject
from shared.urn import Urn

from .council_config import CONFIG_EVENT_TYPES
from .financial_year import FinancialYearLabel
from .money import Count, Identifier, Pence, PositivePence, Text


class InterventionType(StrEnum):
    """The kinds of support PP+ pays for, used to evaluate spend against outcomes."""

    TUTORING = "tutoring"
    MENTORING = "mentoring"
    LITERACY = "literacy"
    NUMERACY = "numeracy"
    SPEECH_AND_LANGUAGE = "speech_and_language"
    SOCIAL_EMOTIONAL_AND_MENTAL_HEALTH = "social_emotional_and_mental_health"
    ATTENDANCE_AND_ENGAGEMENT = "attendance_and_engagement"
    EQUIPMENT_AND_RESOURCES = "equipment_and_resources"
    ENRICHMENT = "enrichment"
    TRANSITION = "transition"
    OTHER = "other"


class TargetOutcome(StrEnum):
    """Progress on a target at a PEP review (the pep service's words), or none reported."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    BEHIND = "behind"
    NOT_ACHIEVED = "not_achieved"
    NOT_REPORTED = "not_reported"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FundedTarget(_Value):
    """A PEP target a request serves, as worded in the PEP when the request was made."""

    target_id: Identifier
    description: str


class ReviewedTarget(_Value):
    target_id: Identifier
    description: str
    outcome: TargetOutcome


class Milestone(_Value):
    milestone_id: Identifier
    description: Text
    due_on: date


class PaymentLine(_Value):
    """One amount in a payment run: a request (one child) or a school project (its cohort)."""

    item: Literal["request", "project"]
    item_id: Identifier
    school_urn: Urn
    child_ids: tuple[str, ...]
    amount_pence: PositivePence


class BudgetEvent(Event):
    financial_year: FinancialYearLabel


class _ChildAtSchoolEvent(BudgetEvent):
    request_id: Identifier
    child_id: Identifier
    school_urn: Urn

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id), school_subject(self.school_urn)]


class _ProjectEvent(BudgetEvent):
    project_id: Identifier
    school_urn: Urn

    def subjects(self) -> list[str]:
        return [school_subject(self.school_urn)]


class _PaymentRunEvent(BudgetEvent):
    run_id: Identifier
    payments: tuple[PaymentLine, ...]
    total_pence: Pence

    def subjects(self) -> list[str]:
        subjects: list[str] = []
        for line in self.payments:
            for subject in (school_subject(line.school_urn), *map(child_subject, line.child_ids)):
                if subject not in subjects:
                    subjects.append(subject)
        return subjects


# --- the grant and central provision ---------------------------------------------------------


class GrantCalculatedFromCensus(BudgetEvent):
    """The grant is the rate per child times the looked-after children at the census date."""

    event_type: ClassVar[str] = "GrantCalculatedFromCensus"
    census_date: date
    looked_after_children: Count
    rate_pence: Pence
    grant_pence: Pence
    recorded_on: date

    def effective_on(self) -> date:
        return self.recorded_on


class GrantLetterRecorded(BudgetEvent):
    """The grant is the amount in the DfE's grant letter."""

    event_type: ClassVar[str] = "GrantLetterRecorded"
    letter_reference: Text
    letter_date: date
    grant_pence: Pence
    recorded_on: date

    def effective_on(self) -> date:
        return self.letter_date


class CentralProvisionTopSliced(BudgetEvent):
    event_type: ClassVar[str] = "CentralProvisionTopSliced"
    top_slice_id: Identifier
    name: Text
    purpose: Text
    amount_pence: PositivePence
    decided_on: date
    decided_by: Text

    def effective_on(self) -> date:
        return self.decided_on


class TopSliceAmended(BudgetEvent):
    event_type: ClassVar[str] = "TopSliceAmended"
    top_slice_id: Identifier
    name: Text
    previous_amount_pence: Pence
    amount_pence: Pence
    reason: Text
    amended_on: date
    decided_by: Text

    def effective_on(self) -> date:
        return self.amended_on


# --- requests for a child -------------------------------------------------------------------


class PupilPremiumPlusRequested(_ChildAtSchoolEvent):
    """A designated teacher asked for PP+ for a child and a term, against PEP targets."""

    event_type: ClassVar[str] = "PupilPremiumPlusRequested"
    term: str
    term_starts_on: date
    term_ends_on: date
    amount_pence: PositivePence
    pep_id: Identifier
    targets: tuple[FundedTarget, ...] = Field(min_length=1)
    intervention_type: InterventionType
    intervention: Text
    requested_on: date
    requested_by: Text
    policy: str

    def effective_on(self) -> date:
        return self.requested_on


class MoreInformationRequested(_ChildAtSchoolEvent):
    event_type: ClassVar[str] = "MoreInformationRequested"
    questions: tuple[Text, ...] = Field(min_length=1)
    panel_members: tuple[Text, ...] = Field(min_length=1)
    decided_on: date

    def effective_on(self) -> date:
        return self.decided_on


class MoreInformationProvided(_ChildAtSchoolEvent):
    event_type: ClassVar[str] = "MoreInformationProvided"
    information: Text
    previous_amount_pence: PositivePence
    amount_pence: PositivePence
    provided_on: date
    provided_by: Text

    def effective_on(self) -> date:
        return self.provided_on


class _RequestDecision(_ChildAtSchoolEvent):
    term: str
    intervention_type: InterventionType
    amount_requested_pence: PositivePence
    reasons: tuple[Text, ...]
    panel_members: tuple[Text, ...] = Field(min_length=1)
    decided_on: date

    def effective_on(self) -> date:
        return self.decided_on


class RequestApproved(_RequestDecision):
    """The panel approved the amount requested; it is committed against the budget."""

    event_type: ClassVar[str] = "RequestApproved"
    amount_approved_pence: PositivePence


class RequestPartApproved(_RequestDecision):
    """The panel approved less than was requested; that amount is committed against the budget."""

    event_type: ClassVar[str] = "RequestPartApproved"
    amount_approved_pence: PositivePence


class RequestRefused(_RequestDecision):
    event_type: ClassVar[str] = "RequestRefused"
    reasons: tuple[Text, ...] = Field(min_length=1)


class RequestWithdrawn(_ChildAtSchoolEvent):
    """A request withdrawn before payment; any amount approved returns to the budget."""

    event_type: ClassVar[str] = "RequestWithdrawn"
    reason: Text
    withdrawn_on: date
    withdrawn_by: Text
    released_pence: Pence

    def effective_on(self) -> date:
        return self.withdrawn_on


# --- school projects ------------------------------------------------------------------------


class SchoolProjectProposed(_ProjectEvent):
    """Pooled PP+ for a school where many looked-after children attend (seed 002, projects)."""

    event_type: ClassVar[str] = "SchoolProjectProposed"
    title: Text
    plan: Text
    child_ids: tuple[Identifier, ...] = Field(min_length=1)
    milestones: tuple[Milestone, ...] = Field(min_length=1)
    amount_pence: PositivePence
    proposed_on: date
    proposed_by: Text

    def subjects(self) -> list[str]:
        return [school_subject(self.school_urn), *map(child_subject, self.child_ids)]

    def effective_on(self) -> date:
        return self.proposed_on


class SchoolProjectApproved(_ProjectEvent):
    event_type: ClassVar[str] = "SchoolProjectApproved"
    amount_requested_pence: PositivePence
    amount_approved_pence: PositivePence
    reasons: tuple[Text, ...]
    panel_members: tuple[Text, ...] = Field(min_length=1)
    decided_on: date

    def effective_on(self) -> date:
        return self.decided_on


class SchoolProjectRefused(_ProjectEvent):
    event_type: ClassVar[str] = "SchoolProjectRefused"
    reasons: tuple[Text, ...] = Field(min_length=1)
    panel_members: tuple[Text, ...] = Field(min_length=1)
    decided_on: date

    def effective_on(self) -> date:
        return self.decided_on


class ProjectMilestoneMet(_ProjectEvent):
    event_type: ClassVar[str] = "ProjectMilestoneMet"
    milestone_id: Identifier
    description: Text
    due_on: date
    met_on: date
    evidence: Text

    def effective_on(self) -> date:
        return self.met_on


# --- payments -------------------------------------------------------------------------------


class PaymentRunScheduled(_PaymentRunEvent):
    event_type: ClassVar[str] = "PaymentRunScheduled"
    scheduled_on: date

    def effective_on(self) -> date:
        return self.scheduled_on


class PaymentRunPaid(_PaymentRunEvent):
    event_type: ClassVar[str] = "PaymentRunPaid"
    finance_reference: Text
    paid_on: date

    def effective_on(self) -> date:
        return self.paid_on


class PaymentRunCancelled(_PaymentRunEvent):
    """A run finance did not pay; its items can be scheduled again."""

    event_type: ClassVar[str] = "PaymentRunCancelled"
    reason: Text
    cancelled_on: date

    def effective_on(self) -> date:
        return self.cancelled_on


# --- impact ---------------------------------------------------------------------------------


class ImpactRecorded(_ChildAtSchoolEvent):
    """The outcome of the funded targets at the child's next PEP review, linked to the spend."""

    event_type: ClassVar[str] = "ImpactRecorded"
    term: str
    intervention_type: InterventionType
    spend_pence: PositivePence
    paid: bool
    pep_id: Identifier
    reviewed_on: date
    outcomes: tuple[ReviewedTarget, ...] = Field(min_length=1)

    def effective_on(self) -> date:
        return self.reviewed_on


BUDGET_EVENT_TYPES: tuple[type[BudgetEvent], ...] = (
    GrantCalculatedFromCensus,
    GrantLetterRecorded,
    CentralProvisionTopSliced,
    TopSliceAmended,
    PupilPremiumPlusRequested,
    MoreInformationRequested,
    MoreInformationProvided,
    RequestApproved,
    RequestPartApproved,
    RequestRefused,
    RequestWithdrawn,
    SchoolProjectProposed,
    SchoolProjectApproved,
    SchoolProjectRefused,
    ProjectMilestoneMet,
    PaymentRunScheduled,
    PaymentRunPaid,
    PaymentRunCancelled,
    ImpactRecorded,
)
"""The events of a financial year's budget stream (``ppbudget-2024-25``)."""

PUPIL_PREMIUM_EVENT_TYPES: tuple[type[Event], ...] = BUDGET_EVENT_TYPES + CONFIG_EVENT_TYPES
"""Everything the service writes: the budget streams and the council's settings stream."""

PUPIL_PREMIUM_EVENTS = EventCatalogue("pupil-premium", PUPIL_PREMIUM_EVENT_TYPES)
