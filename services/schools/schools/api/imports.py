"""Importing the national register (GIAS "edubasealldata" CSV).

``POST /schools/imports`` takes one LA's rows from a file in the request: the body
(``Content-Type: text/csv``) or the ``file`` part of a ``multipart/form-data`` upload, read with
the standard library's MIME parser, within the request size limit every route has.

``POST /schools/imports/national-register`` and ``/register-links`` take the whole country's
monthly extract and its links file, which are far larger than any request may be: they read the
files the operator puts where the service's settings say (``NATIONAL_REGISTER_FILE``,
``NATIONAL_REGISTER_LINKS_FILE``), a row at a time, and take nothing but their parameters from
the request.
"""

from __future__ import annotations

from datetime import date
from email import policy
from email.parser import BytesParser
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from schools import access
from schools.api.schemas.imports import (
    ImportPublic,
    LinksImportPublic,
    NationalImportPublic,
    RejectedRowPublic,
)
from schools.domain.establishments import valid_la_code
from schools.handlers.imports import (
    import_national_register,
    import_register,
    import_register_links,
    open_register_file,
)
from schools.wiring import SchoolsDep
from shared.errors import DomainError, InvalidInput
from shared.security.principal import Principal
from shared.text import LABEL_MAX
from shared.web.context import UnversionedContextDep

router = APIRouter(prefix="/schools/imports", tags=["register"])

CSV_TYPES = frozenset({"text/csv", "application/csv", "text/plain", "application/vnd.ms-excel"})


class UnsupportedMediaType(DomainError):
    status = 415
    title = "Unsupported media type"


#: What a caller sends: the register's own CSV, as downloaded from Get Information about Schools
#: (only the columns below are read; the file has many more, which are ignored).
EXAMPLE_CSV = (
    "URN,LA (code),LA (name),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),"
    "OpenDate,CloseDate,PhaseOfEducation (name),ReligiousCharacter (name),Diocese (name),HeadTitle (name),"
    "HeadFirstName,HeadLastName\r\n"
    "118234,886,Kent,Oak Tree Church of England Primary School,Voluntary aided school,Open,01-09-1974,,"
    "Primary,Church of England,Diocese of Canterbury,Mrs,Sarah,Okafor\r\n"
    "118235,886,Kent,Beech Primary School,Community school,Open,01-09-1968,,Primary,Does not apply,"
    "Not applicable,Mr,James,Whitfield\r\n"
    "145012,886,Kent,Cedar Academy,Academy sponsor led,Open,01-09-2017,,Secondary,Does not apply,"
    "Not applicable,Ms,Amanda,Hughes\r\n"
)

_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": EXAMPLE_CSV},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                },
                "example": {"file": EXAMPLE_CSV},
            },
        },
    }
}


@router.post(
    "",
    response_model=ImportPublic,
    summary="Import the national register's CSV for one local authority",
    openapi_extra=_BODY,
)
async def import_gias(
    request: Request,
    principal: Annotated[Principal, Depends(access.IMPORT_REGISTER)],
    ctx: UnversionedContextDep,
    schools: SchoolsDep,
    la_code: Annotated[
        str, Query(max_length=LABEL_MAX, description="keep only this LA's rows, e.g. 886 (Kent)")
    ],
    as_of: Annotated[
        date | None, Query(description="the date the file describes; today if not given")
    ] = None,
) -> ImportPublic:
    """Registers new schools and appends only what changed for known ones, so importing the same
    file again appends nothing. Rows that cannot be read or are refused by the rules are listed
    with their line numbers and reasons (a name, LA name or diocese longer than 200 characters,
    a religious character longer than 100); the other rows are imported."""
    data = await _csv_bytes(request)
    report = await import_register(schools, ctx, data=data, la_code=la_code, as_of=as_of or ctx.today)
    return ImportPublic(
        **{name: getattr(report, name) for name in ImportPublic.model_fields if name != "rejected"},
        rejected=[
            RejectedRowPublic(line=r.line, urn=r.urn, reasons=list(r.reasons)) for r in report.rejected
        ],
    )


@router.post(
    "/national-register",
    response_model=NationalImportPublic,
    summary="Import the whole national register: the council's schools and every other school",
)
async def import_national(
    request: Request,
    principal: Annotated[Principal, Depends(access.IMPORT_REGISTER)],
    ctx: UnversionedContextDep,
    schools: SchoolsDep,
    as_of: Annotated[
        date | None, Query(description="the date the file describes; today if not given")
    ] = None,
    la_code: Annotated[
        str | None,
        Query(
            max_length=LABEL_MAX,
            description="the council's LA code; only where COUNCIL_LA_CODE is not set, and equal to it if it is",
        ),
    ] = None,
) -> NationalImportPublic:
    """Reads the month's edubasealldata CSV (all establishments, Windows-1252 or UTF-8) from
    where the operator put it (``NATIONAL_REGISTER_FILE``). Rows of the council's LA, and rows of
    schools already on its register, keep the register as ``POST /schools/imports`` does; every
    other row is a known school (``GET /school-history/{urn}`` and the event feed's
    ``KnownSchoolRecorded``), never on the council's register or dashboard. Only what changed is
    appended, so the same file imported again appends nothing. Rows that cannot be imported are
    reported with their line numbers and reasons; the other rows are imported."""
    council = _council_la_code(request, la_code)
    with open_register_file(request.app.state.settings.national_register_file, "NATIONAL_REGISTER_FILE") as file:
        report = await import_national_register(
            schools, ctx, file=file, council_la_code=council, as_of=as_of or ctx.today
        )
    return NationalImportPublic(
        **{name: getattr(report, name) for name in NationalImportPublic.model_fields if name != "rejected"},
        rejected=_rejected(report.rejected),
    )


@router.post(
    "/register-links",
    response_model=LinksImportPublic,
    summary="Import the national register's links: predecessors and successors of each URN",
)
async def import_links(
    request: Request,
    principal: Annotated[Principal, Depends(access.IMPORT_REGISTER)],
    ctx: UnversionedContextDep,
    schools: SchoolsDep,
    as_of: Annotated[
        date | None, Query(description="the date the file describes; today if not given")
    ] = None,
) -> LinksImportPublic:
    """Reads the month's links CSV (``URN``, ``LinkURN``, ``LinkName``, ``LinkType``,
    ``LinkEstablishedDate``) from ``NATIONAL_REGISTER_LINKS_FILE`` and records each link on both
    schools it joins, the council's or known ones, so a school's history stays together when
    its URN changes. Import the national register first: a link neither of whose schools is
    known is rejected. A link already recorded, either way round or by a conversion recorded
    here, appends nothing."""
    settings = request.app.state.settings
    with open_register_file(settings.national_register_links_file, "NATIONAL_REGISTER_LINKS_FILE") as file:
        report = await import_register_links(schools, ctx, file=file, as_of=as_of or ctx.today)
    return LinksImportPublic(
        **{name: getattr(report, name) for name in LinksImportPublic.model_fields if name != "rejected"},
        rejected=_rejected(report.rejected),
    )


def _council_la_code(request: Request, given: str | None) -> str:
    """The council's own LA code: its setting, or the one given where it is not set."""
    configured = getattr(request.app.state.settings, "council_la_code", None)
    if configured is None and given is None:
        raise InvalidInput(
            "COUNCIL_LA_CODE is not set: give the council's own LA code as la_code", field="la_code"
        )
    if configured is not None and given is not None and given != configured:
        raise InvalidInput(
            f"the council's LA code is {configured} (COUNCIL_LA_CODE), not {given}", field="la_code"
        )
    return configured or valid_la_code(given)


def _rejected(rows) -> list[RejectedRowPublic]:
    return [RejectedRowPublic(line=r.line, urn=r.urn, reasons=list(r.reasons)) for r in rows or []]


async def _csv_bytes(request: Request) -> bytes:
    content_type = request.headers.get("content-type", "")
    media_type = content_type.split(";", 1)[0].strip().lower()
    body = await request.body()
    if media_type == "multipart/form-data":
        return _file_part(content_type, body)
    if media_type in CSV_TYPES:
        if not body:
            raise InvalidInput("the file is empty", field="file")
        return body
    raise UnsupportedMediaType(
        "send the register as text/csv, or as the 'file' part of multipart/form-data", field="Content-Type"
    )


def _file_part(content_type: str, body: bytes) -> bytes:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise InvalidInput("the upload is not a readable multipart form", field="file")
    for part in message.iter_parts():
        if part.get_param("name", header="content-disposition") == "file":
            payload = part.get_payload(decode=True)
            if not payload:
                raise InvalidInput("the file is empty", field="file")
            return payload
    raise InvalidInput("the form has no part named 'file'", field="file")
