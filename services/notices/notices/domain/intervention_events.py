"""Events of a school's intervention stream (``intervention-<urn>``): the public contract.

Eligibility for intervention, consultations, the powers used under sections 63 to 66 and the
lapse of powers two months after a warning notice's compliance period.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from .event_base import SchoolEvent
from .recipients import Recipient, RecipientRole
from .vocabulary import ArrangementForm, CategoryOfConcern, EligibilityBasis, Power


class SchoolBecameEligibleForIntervention(SchoolEvent):
    event_type: ClassVar[str] = "SchoolBecameEligibleForIntervention"

    basis: EligibilityBasis
    eligible_from: date
    notice_id: str | None = None
    """The warning notice, when ``basis`` is ``warning_notice``."""
    inspection_id: str | None = None
    """The inspection, when ``basis`` is a category of concern."""
    compliance_period_ended_on: date | None = None
    powers_lapse_on: date | None = None
    """For a warning notice: the first day s63, s64 and s66 can no longer be used under it."""

    def effective_on(self) -> date | None:
        return self.eligible_from


class CategoryOfConcernRemoved(SchoolEvent):
    """A later inspection took the school out of serious weaknesses or special measures: that
    basis of eligibility ends (a warning-notice basis is unaffected)."""

    event_type: ClassVar[str] = "CategoryOfConcernRemoved"

    inspected_on: date
    inspection_id: str | None = None
    categories_ended: tuple[CategoryOfConcern, ...]

    def effective_on(self) -> date | None:
        return self.inspected_on


class PowersLapsed(SchoolEvent):
    """Deadline: two months after the compliance period of the notice ended, s63, s64 and s66
    can no longer be used under it; a new warning notice is needed for them."""

    event_type: ClassVar[str] = "PowersLapsed"

    notice_id: str
    lapsed_on: date
    powers: tuple[Power, ...]

    def effective_on(self) -> date | None:
        return self.lapsed_on


class ConsultationStarted(SchoolEvent):
    event_type: ClassVar[str] = "ConsultationStarted"

    consultation_id: str
    power: Power
    proposal: str
    consultees: tuple[Recipient, ...]
    started_on: date
    closes_on: date

    def effective_on(self) -> date | None:
        return self.started_on


class ConsultationResponseReceived(SchoolEvent):
    event_type: ClassVar[str] = "ConsultationResponseReceived"

    consultation_id: str
    consultee: RecipientRole
    received_on: date
    summary: str

    def effective_on(self) -> date | None:
        return self.received_on


class ConsultationWindowClosed(SchoolEvent):
    """Deadline: the last day of the consultation has passed."""

    event_type: ClassVar[str] = "ConsultationWindowClosed"

    consultation_id: str
    closed_on: date
    responses_received: int

    def effective_on(self) -> date | None:
        return self.closed_on


class ArrangementsRequired(SchoolEvent):
    """s63: the governing body is required to enter into arrangements."""

    event_type: ClassVar[str] = "ArrangementsRequired"

    required_on: date
    form: ArrangementForm
    with_whom: str
    """The adviser, the other school, the further education body or the federation."""
    details: str
    consultation_id: str

    def effective_on(self) -> date | None:
        return self.required_on


class AdditionalGovernorsAppointed(SchoolEvent):
    """s64: additional governors appointed by the council (no consultation needed)."""

    event_type: ClassVar[str] = "AdditionalGovernorsAppointed"

    appointed_on: date
    governors: tuple[str, ...]
    foundation_may_appoint_equal_number: bool
    """At a voluntary aided school the appropriate appointing authority may appoint as many."""

    def effective_on(self) -> date | None:
        return self.appointed_on


class InterimExecutiveBoardApplied(SchoolEvent):
    """s65: the council applied to the Secretary of State for consent to an IEB."""

    event_type: ClassVar[str] = "InterimExecutiveBoardApplied"

    applied_on: date
    consultation_id: str

    def effective_on(self) -> date | None:
        return self.applied_on


class InterimExecutiveBoardConsentGiven(SchoolEvent):
    event_type: ClassVar[str] = "InterimExecutiveBoardConsentGiven"

    consented_on: date

    def effective_on(self) -> date | None:
        return self.consented_on


class InterimExecutiveBoardConsentRefused(SchoolEvent):
    event_type: ClassVar[str] = "InterimExecutiveBoardConsentRefused"

    refused_on: date

    def effective_on(self) -> date | None:
        return self.refused_on


class InterimExecutiveBoardEstablished(SchoolEvent):
    """The notice of establishment: the governing body is constituted as an IEB from ``starts_on``."""

    event_type: ClassVar[str] = "InterimExecutiveBoardEstablished"

    notice_given_on: date
    starts_on: date
    ends_on: date | None
    members: tuple[str, ...]
    chair: str

    def effective_on(self) -> date | None:
        return self.starts_on


class InterimExecutiveBoardEnded(SchoolEvent):
    event_type: ClassVar[str] = "InterimExecutiveBoardEnded"

    ended_on: date

    def effective_on(self) -> date | None:
        return self.ended_on


class DelegatedBudgetSuspended(SchoolEvent):
    """s66: the governing body's right to a delegated budget suspended (no consultation needed)."""

    event_type: ClassVar[str] = "DelegatedBudgetSuspended"

    notice_given_on: date
    suspended_from: date
    recipients: tuple[Recipient, ...]

    def effective_on(self) -> date | None:
        return self.suspended_from


class DelegatedBudgetRestored(SchoolEvent):
    """An IEB has a right to a delegated budget: a suspension ends when the IEB starts."""

    event_type: ClassVar[str] = "DelegatedBudgetRestored"

    restored_on: date
    reason: str

    def effective_on(self) -> date | None:
        return self.restored_on


class SecretaryOfStateAppointedAdditionalGovernors(SchoolEvent):
    """s67: after this the council may not suspend the delegated budget."""

    event_type: ClassVar[str] = "SecretaryOfStateAppointedAdditionalGovernors"

    appointed_on: date
    governors: tuple[str, ...]

    def effective_on(self) -> date | None:
        return self.appointed_on


INTERVENTION_EVENTS = (
    SchoolBecameEligibleForIntervention,
    CategoryOfConcernRemoved,
    PowersLapsed,
    ConsultationStarted,
    ConsultationResponseReceived,
    ConsultationWindowClosed,
    ArrangementsRequired,
    AdditionalGovernorsAppointed,
    InterimExecutiveBoardApplied,
    InterimExecutiveBoardConsentGiven,
    InterimExecutiveBoardConsentRefused,
    InterimExecutiveBoardEstablished,
    InterimExecutiveBoardEnded,
    DelegatedBudgetSuspended,
    DelegatedBudgetRestored,
    SecretaryOfStateAppointedAdditionalGovernors,
)
