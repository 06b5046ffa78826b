"""The register: schools registered, their details and status, and conversions to academies."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from schools import access
from schools.api.answers import answer, nothing_new, recorded_types
from schools.api.schemas.register import (
    ConversionCreate,
    ConversionPublic,
    SchoolCreate,
    SchoolDetailsUpdate,
    SchoolPublic,
    StatusChange,
)
from schools.domain.conversion import RecordAcademyConversion
from schools.domain.register import ChangeSchoolStatus, RegisterSchool, UpdateSchoolDetails
from schools.handlers import register
from schools.wiring import SchoolsDep
from shared.security.principal import Principal
from shared.urn import UrnPath
from shared.web.commands import Outcome
from shared.web.context import ContextDep

router = APIRouter(prefix="/schools", tags=["register"])


@router.post(
    "",
    response_model=SchoolPublic,
    status_code=201,
    responses=nothing_new(SchoolPublic),
    summary="Register a school",
)
async def register_school(
    body: SchoolCreate,
    response: Response,
    principal: Annotated[Principal, Depends(access.KEEP_REGISTER)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> SchoolPublic:
    outcome = await register.register_school(schools, ctx, RegisterSchool(**body.model_dump()))
    answer(response, outcome, created=True)
    response.headers["Location"] = f"/schools/{body.urn}"
    return _school(outcome)


@router.patch("/{urn}", response_model=SchoolPublic, summary="Change a school's details")
async def update_details(
    urn: UrnPath,
    body: SchoolDetailsUpdate,
    response: Response,
    principal: Annotated[Principal, Depends(access.KEEP_REGISTER)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> SchoolPublic:
    given = body.model_dump(include=body.model_fields_set - {"changed_on"})
    command = UpdateSchoolDetails(urn=urn, changed_on=body.changed_on or ctx.today, **given)
    outcome = await register.update_details(schools, ctx, command)
    answer(response, outcome)
    return _school(outcome)


@router.post("/{urn}/status", response_model=SchoolPublic, summary="Change a school's status")
async def change_status(
    urn: UrnPath,
    body: StatusChange,
    response: Response,
    principal: Annotated[Principal, Depends(access.KEEP_REGISTER)],
    ctx: ContextDep,
    schools: SchoolsDep,
) -> SchoolPublic:
    command = ChangeSchoolStatus(
        urn=urn, status=body.status, changed_on=body.changed_on or ctx.today, reason=body.reason
    )
    outcome = await register.change_status(schools, ctx, command)
    answer(response, outcome)
    return _school(outcome)


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
    schools: SchoolsDep,
) -> ConversionPublic:
    command = RecordAcademyConversion(urn=urn, **body.model_dump())
    predecessor, academy = await register.record_conversion(schools, ctx, command)
    # Always 201 as declared; the ETag is the predecessor's, whose profile an officer was on.
    response.headers["ETag"] = predecessor.etag
    response.headers["Location"] = f"/schools/{body.academy_urn}"
    return ConversionPublic(predecessor=_school(predecessor), academy=_school(academy))


def _school(outcome: Outcome) -> SchoolPublic:
    return SchoolPublic.of(outcome.state, outcome.version, recorded_types(outcome))
