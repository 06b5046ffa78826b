"""The words of Part 4 of the Education and Inspections Act 2006, as values.

Enum values are stored in events, so they never change once used.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Ground(StrEnum):
    """The three statutory grounds for a performance standards and safety warning notice (s60(2))."""

    LOW_STANDARDS = "low_standards"
    """Standards of performance unacceptably low and likely to remain so."""
    BREAKDOWN_IN_MANAGEMENT_OR_GOVERNANCE = "breakdown_in_management_or_governance"
    """A serious breakdown in the way the school is managed or governed, prejudicing standards."""
    SAFETY_THREATENED = "safety_threatened"
    """The safety of pupils or staff threatened, by a breakdown of discipline or otherwise."""


class LowStandardsBasis(StrEnum):
    """What standards are low by reference to (s60(3)); one or more for the low-standards ground."""

    EXPECTED_ATTAINMENT = "expected_attainment"
    """What the pupils might in all the circumstances reasonably be expected to attain."""
    PREVIOUS_ATTAINMENT = "previous_attainment"
    """The standards previously attained by them."""
    COMPARABLE_SCHOOLS = "comparable_schools"
    """The standards attained by pupils at comparable schools."""


class Power(StrEnum):
    """The council's powers of intervention over a school eligible for intervention."""

    S63_REQUIRE_ARRANGEMENTS = "s63_require_arrangements"
    S64_ADDITIONAL_GOVERNORS = "s64_additional_governors"
    S65_INTERIM_EXECUTIVE_BOARD = "s65_interim_executive_board"
    S66_SUSPEND_DELEGATED_BUDGET = "s66_suspend_delegated_budget"


POWERS_THAT_LAPSE: tuple[Power, ...] = (
    Power.S63_REQUIRE_ARRANGEMENTS,
    Power.S64_ADDITIONAL_GOVERNORS,
    Power.S66_SUSPEND_DELEGATED_BUDGET,
)
"""Where eligibility came from a warning notice, these must be used within two months after the
compliance period ends; s65 may be used at any time while the school is eligible."""

POWERS_NEEDING_CONSULTATION: tuple[Power, ...] = (
    Power.S63_REQUIRE_ARRANGEMENTS,
    Power.S65_INTERIM_EXECUTIVE_BOARD,
)


class ArrangementForm(StrEnum):
    """The four forms of a s63 notice requiring the governing body to enter into arrangements."""

    ADVISORY_SERVICES = "advisory_services"
    """A contract or other arrangement for advisory services with a specified person."""
    COLLABORATE_WITH_SCHOOL = "collaborate_with_school"
    """Collaborate with the governing body of another school."""
    COLLABORATE_WITH_FURTHER_EDUCATION_BODY = "collaborate_with_further_education_body"
    """Collaborate with a further education body."""
    CREATE_OR_JOIN_FEDERATION = "create_or_join_federation"
    """Take specified steps to create or join a federation."""


class CategoryOfConcern(StrEnum):
    """An Ofsted judgement that makes a school eligible for intervention at once (s61, s62)."""

    SERIOUS_WEAKNESSES = "serious_weaknesses"
    SPECIAL_MEASURES = "special_measures"


class EligibilityBasis(StrEnum):
    """Why a school is eligible for intervention."""

    WARNING_NOTICE = "warning_notice"
    """Not complied with a warning notice, and told in writing the council proposes to use its
    powers; or (before 18 April 2016) a notice confirmed by Ofsted after representations."""
    SERIOUS_WEAKNESSES = "serious_weaknesses"
    SPECIAL_MEASURES = "special_measures"


class NoticeGiver(StrEnum):
    """Who gave a warning notice: since 18 April 2016 either "relevant authority" of s60 (as
    amended by the Education and Adoption Act 2016) may."""

    COUNCIL = "council"
    """The local authority that maintains the school: the council's own notice."""
    SECRETARY_OF_STATE = "secretary_of_state"
    """The Secretary of State, in practice through a DfE regional director: the council records
    it as a fact it was told of."""


class CompliancePeriod(BaseModel):
    """The compliance period a notice sets, as a number of working days after the day it is
    given or as the date it ends. Exactly one of the two is given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    working_days: int | None = None
    ends_on: date | None = None
