"""The register: schools registered, their details and status, conversions, and the list of
schools with their profile."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, ConfigDict

from schools import access
from schools.api.deps import LogDep, answered, recorded_types
from schools.api.schemas import SchoolPublic
from schools.domain.conversion import RecordAcademyConversion
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.register import ChangeSchoolStatus, RegisterSchool, UpdateSchoolDetails
from schools.handlers import register
from shared.security.principal import Principal
from shared.text import Label, Name, Note
from shared.urn import Urn, UrnPath
from shared.web.context import ContextDep

router = APIRouter(prefix="/schools", tags=["register"])


class SchoolCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

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

    model_config = ConfigDict(extra="forbid")

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
    model_config = ConfigDict(extra="forbid")

    status: SchoolStatus
    changed_on: date | None = None
    reason: Note | None = None


class ConversionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    academy_urn: Urn
    academy_name: Name
    academy_type: EstablishmentType
    trust_name: Name | None = None
    converted_on: date


class ConversionPublic(BaseModel):
    predecessor: SchoolPublic
    academy: SchoolPublic


@router.post("", response_model=SchoolPublic, status_code=201, summary="Register a school")
async def register_school(
    body: SchoolCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.KEEP_REGISTER)],
    ctx: ContextDep,
    log: LogDep,
) -> SchoolPublic:
    outcome = await register.register_school(log, ctx, RegisterSchool(**body.model_dump()))
    answered(response, outcome, created=True)
    response.headers["Location"] = f"/schools/{body.urn}"
    return SchoolPublic.of(outcome.state, outcome.version, recorded_types(outcome))


@router.patch("/{urn}", response_model=SchoolPublic, summary="Change a school's details")
async def update_details(
    urn: UrnPath,
    body: SchoolDetailsUpdate,
    response: Response,
    principal: Annotated[Principal, Depends(access.KEEP_REGISTER)],
    ctx: ContextDep,
    log: LogDep,
) -> SchoolPublic:
    given = body.model_dump(include=body.model_fields_set - {"changed_on"})
    command = UpdateSchoolDetails(urn=urn, changed_on=body.changed_on or ctx.today, **given)
    outcome = await register.update_details(log, ctx, command)
    answered(response, outcome)
    return SchoolPublic.of(outcome.state, outcome.version, recorded_types(outcome))


@router.post("/{urn}/status", response_model=SchoolPublic, summary="Change a school's status")
async def change_status(
    urn: UrnPath,
    body: StatusChange,
    response: Response,
    principal: Annotated[Principal, Depends(access.KEEP_REGISTER)],
    ctx: ContextDep,
    log: LogDep,
) -> SchoolPublic:
    command = ChangeSchoolStatus(
        urn=urn, status=body.status, changed_on=body.changed_on or ctx.today, reason=body.reason
    )
    outcome = await register.change_status(log, ctx, command)
    answered(response, outcome)
    return SchoolPublic.of(outcome.state, outcome.version, recorded_types(outcome))


@router.post(
    "/{urn}/conversion",
    response_model=ConversionPublic,
    status_code=201,
    summary="Record that the school became an academy under a new URN",
)
async def record_conversion(
    urn: UrnPath,
    body: ConversionCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.KEEP_REGISTER)],
    ctx: ContextDep,
    log: LogDep,
) -> ConversionPublic:
    command = RecordAcademyConversion(urn=urn, **body.model_dump())
    predecessor, academy = await register.record_conversion(log, ctx, command)
    response.headers["ETag"] = predecessor.etag
    response.headers["Location"] = f"/schools/{body.academy_urn}"
    return ConversionPublic(
        predecessor=SchoolPublic.of(predecessor.state, predecessor.version, recorded_types(predecessor)),
        academy=SchoolPublic.of(academy.state, academy.version, recorded_types(academy)),
    )
