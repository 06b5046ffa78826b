"""Importing the national register (GIAS "edubasealldata" CSV), filtered to the council's LA.

The file comes either as the request body (``Content-Type: text/csv``) or as the ``file`` part
of a ``multipart/form-data`` upload. Multipart is read with the standard library's MIME parser.
"""

from __future__ import annotations

from datetime import date
from email import policy
from email.parser import BytesParser
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from schools import access
from schools.api.schemas.imports import ImportPublic, RejectedRowPublic
from schools.handlers.imports import import_register
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
