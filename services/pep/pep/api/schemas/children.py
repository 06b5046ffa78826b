"""What a client sends to record a child's care and school places."""

from __future__ import annotations

from datetime import date

from pydantic import Field

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
    changed_on: date
    legal_status: LegalStatus | None = None
    social_worker: Name | None = None
    carer: Name | None = None
    independent_reviewing_officer: Name | None = None
    sen_status: SenStatus | None = None
    year_group: YearGroup | None = None


class AwaitingPlaceCreate(Body):
    place_needed_from: date
    reason: Note
    left_school_on: date | None = Field(default=None, description="The last day on the current school's roll")


class PlacementCreate(Body):
    urn: Urn
    start_date: date
    year_group: YearGroup | None = None


class SchoolMoveCreate(Body):
    to_urn: Urn
    start_date: date
    reason: Note
    left_previous_school_on: date | None = Field(default=None, description="The last day on the old roll")
    year_group: YearGroup | None = None


class LeftCareCreate(Body):
    left_care_on: date
    reason: LeftCareReason


class PreviouslyLookedAfterCreate(Body):
    child_id: str = Field(pattern=IDENTIFIER)
    name: Name
    date_of_birth: date
    left_care_on: date
    route: PreviouslyLookedAfterRoute
    previously_looked_after_by: Name
    sen_status: SenStatus
    year_group: YearGroup
    registered_on: date | None = Field(default=None, description="Today when not given")
