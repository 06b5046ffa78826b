"""The register: a school's entry, registering it, changing its details or status, its conversion."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict

from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.register import School
from shared.text import Label, Name, Note
from shared.urn import Urn


class SchoolPublic(BaseModel):
    """A school's entry on the register."""

    urn: str
    name: str
    la_code: str
    la_name: str | None
    establishment_type: EstablishmentType
    phase: Phase
    religious_character: str | None
    diocese: str | None
    status: SchoolStatus
    opened_on: date | None
    closed_on: date | None
    headteacher: str | None
    chair_of_governors: str | None
    designated_teacher: str | None
    maintained: bool
    has_foundation_governors: bool
    predecessor_urn: str | None
    successor_urn: str | None
    version: int
    recorded: list[str] = []

    @classmethod
    def of(cls, school: School, version: int, recorded: list[str] | None = None) -> SchoolPublic:
        assert school.details is not None and school.urn is not None and school.status is not None
        return cls(
            urn=school.urn,
            **school.details.model_dump(),
            status=school.status,
            closed_on=school.closed_on,
            predecessor_urn=school.predecessor_urn,
            successor_urn=school.successor_urn,
            version=version,
            recorded=recorded or [],
        )


class SchoolCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "urn": "118234",
                    "name": "Oak Tree Church of England Primary School",
                    "la_code": "886",
                    "la_name": "Kent",
                    "establishment_type": "voluntary_aided",
                    "phase": "primary",
                    "religious_character": "Church of England",
                    "diocese": "Diocese of Canterbury",
                    "opened_on": "1974-09-01",
                    "headteacher": "Mrs Sarah Okafor",
                    "chair_of_governors": "Mr David Price",
                    "designated_teacher": "Ms Helen Marsh",
                },
            ]
        },
    )

    urn: Urn
    name: Name
    la_code: Label
    la_name: Name | None = None
    establishment_type: EstablishmentType
    phase: Phase
    religious_character: Label | None = None
    diocese: Name | None = None
    status: SchoolStatus = SchoolStatus.OPEN
    opened_on: date | None = None
    closed_on: date | None = None
    headteacher: Name | None = None
    chair_of_governors: Name | None = None
    designated_teacher: Name | None = None


class SchoolDetailsUpdate(BaseModel):
    """Only the fields given change; a field given as null is cleared (name, LA code,
    establishment type and phase cannot be cleared)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"changed_on": "2026-09-01", "headteacher": "Mr James Whitfield"},
                {
                    "changed_on": "2026-10-05",
                    "designated_teacher": "Mrs Priya Raman",
                    "chair_of_governors": None,
                },
            ]
        },
    )

    changed_on: date | None = None
    name: Name | None = None
    la_code: Label | None = None
    la_name: Name | None = None
    establishment_type: EstablishmentType | None = None
    phase: Phase | None = None
    religious_character: Label | None = None
    diocese: Name | None = None
    opened_on: date | None = None
    headteacher: Name | None = None
    chair_of_governors: Name | None = None
    designated_teacher: Name | None = None


class StatusChange(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "status": "proposed_to_close",
                    "changed_on": "2026-10-14",
                    "reason": (
                        "The council's cabinet agreed on 14 October 2026 to consult on closing the "
                        "school in August 2027: it has 52 pupils on roll and 210 places."
                    ),
                },
            ]
        },
    )

    status: SchoolStatus
    changed_on: date | None = None
    reason: Note | None = None


class ConversionCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "academy_urn": "149876",
                    "academy_name": "Oak Tree Primary Academy",
                    "academy_type": "academy_converter",
                    "trust_name": "Weald Learning Trust",
                    "converted_on": "2026-09-01",
                },
            ]
        },
    )

    academy_urn: Urn
    academy_name: Name
    academy_type: EstablishmentType
    trust_name: Name | None = None
    converted_on: date


class ConversionPublic(BaseModel):
    predecessor: SchoolPublic
    academy: SchoolPublic
