"""What a client sends to record a child's care and school places."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from shared.text import Name, Note
from shared.urn import Urn

from pep.domain.child_events import (
    LeftCareReason,
    LegalStatus,
    PreviouslyLookedAfterRoute,
    SenStatus,
    YearGroup,
)

from .commands import Body
from .identifiers import IDENTIFIER


class EnterCareCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "child_id": "C000123",
                    "name": "Jordan Ellis",
                    "date_of_birth": "2015-11-03",
                    "entered_care_on": "2026-09-22",
                    "legal_status": "interim_care_order",
                    "placing_authority": "Kent County Council",
                    "social_worker": "Amira Shah",
                    "carer": "Mr and Mrs Taylor (foster carers)",
                    "independent_reviewing_officer": "Paul Nwosu",
                    "sen_status": "sen_support",
                    "year_group": "year_6",
                },
            ]
        }
    )

    child_id: str = Field(pattern=IDENTIFIER, description="The council's identifier of the child")
    name: Name
    date_of_birth: date
    entered_care_on: date
    legal_status: LegalStatus
    placing_authority: Name
    social_worker: Name
    carer: Name
    independent_reviewing_officer: Name
    sen_status: SenStatus
    year_group: YearGroup


class ChildDetailsUpdate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "changed_on": "2026-10-19",
                    "legal_status": "full_care_order",
                    "social_worker": "Daniel Osei",
                },
            ]
        }
    )

    changed_on: date
    legal_status: LegalStatus | None = None
    social_worker: Name | None = None
    carer: Name | None = None
    independent_reviewing_officer: Name | None = None
    sen_status: SenStatus | None = None
    year_group: YearGroup | None = None


class DetailCorrectionsCreate(Body):
    name: Name | None = None
    date_of_birth: date | None = None
    legal_status: LegalStatus | None = None
    social_worker: Name | None = None
    carer: Name | None = None
    independent_reviewing_officer: Name | None = None
    sen_status: SenStatus | None = None
    year_group: YearGroup | None = Field(
        default=None,
        description="Only where the year group was recorded wrongly; a child moving up a year is an update "
        "of their details",
    )


class ChildDetailsCorrectionCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "corrections": {"date_of_birth": "2015-11-30", "name": "Jordan Ellis-Morgan"},
                    "reason": (
                        "The date of birth was keyed as 3 November on entry into care; the birth "
                        "certificate shows 30 November. The family name was recorded without its "
                        "second part."
                    ),
                },
            ]
        }
    )

    corrections: DetailCorrectionsCreate = Field(
        description="Each detail that was recorded wrongly, with its right value; the others are left out"
    )
    reason: Note = Field(description="How the error came to light and what shows the right value")


class AwaitingPlaceCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "place_needed_from": "2026-10-12",
                    "reason": (
                        "Moved to a foster placement in Ashford, too far from her school to travel to "
                        "each day."
                    ),
                    "left_school_on": "2026-10-09",
                },
            ]
        }
    )

    place_needed_from: date
    reason: Note
    left_school_on: date | None = Field(default=None, description="The last day on the current school's roll")


class PlacementCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"urn": "118234", "start_date": "2026-09-03", "year_group": "year_6"}]
        }
    )

    urn: Urn
    start_date: date
    year_group: YearGroup | None = None


class SchoolMoveCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "to_urn": "118235",
                    "start_date": "2026-10-19",
                    "reason": (
                        "New long-term foster placement in Maidstone; the social worker and carers "
                        "agreed a move to a school near the placement."
                    ),
                    "left_previous_school_on": "2026-10-16",
                    "year_group": "year_6",
                },
            ]
        }
    )

    to_urn: Urn
    start_date: date
    reason: Note
    left_previous_school_on: date | None = Field(default=None, description="The last day on the old roll")
    year_group: YearGroup | None = None


class LeftCareCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"left_care_on": "2026-10-30", "reason": "returned_home"}]}
    )

    left_care_on: date
    reason: LeftCareReason


class PreviouslyLookedAfterCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "child_id": "C000207",
                    "name": "Maya Collins",
                    "date_of_birth": "2018-06-30",
                    "left_care_on": "2021-02-11",
                    "route": "adopted",
                    "previously_looked_after_by": "Medway Council",
                    "sen_status": "none",
                    "year_group": "year_3",
                    "registered_on": "2026-09-15",
                },
            ]
        }
    )

    child_id: str = Field(pattern=IDENTIFIER)
    name: Name
    date_of_birth: date
    left_care_on: date
    route: PreviouslyLookedAfterRoute
    previously_looked_after_by: Name
    sen_status: SenStatus
    year_group: YearGroup
    registered_on: date | None = Field(default=None, description="Today when not given")
