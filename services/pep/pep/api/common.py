"""What the routes share: path parameters, the answer to a command, and the dependencies."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict

from shared.events import EventCatalogue
from shared.web.commands import Loaded

from pep.handlers.common import CommandResult

IDENTIFIER = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

ChildId = Annotated[
    str, Path(pattern=IDENTIFIER, description="The council's identifier of the child", examples=["C000001"])
]
PepId = Annotated[str, Path(pattern=IDENTIFIER, description="The PEP's identifier")]


class Body(BaseModel):
    """Request bodies refuse fields they do not know, so a misspelt field is not silently ignored."""

    model_config = ConfigDict(extra="forbid")


class RecordedEventPublic(BaseModel):
    type: str
    position: int
    stream_version: int
    effective_date: date


class CommandResultPublic(BaseModel):
    stream_id: str
    version: int
    events: list[RecordedEventPublic]


def catalogue_of(request: Request) -> EventCatalogue:
    return request.app.state.catalogue


def answer(result: CommandResult, response: Response, *, created: bool = False) -> CommandResultPublic:
    """The events recorded (none when nothing changed) and the stream's new version as ETag."""
    response.headers["ETag"] = result.etag
    if created and result.recorded:
        response.status_code = 201
    return CommandResultPublic(
        stream_id=result.stream_id,
        version=result.version,
        events=[
            RecordedEventPublic(
                type=record.event_type,
                position=record.position,
                stream_version=record.stream_version,
                effective_date=record.effective_date,
            )
            for record in result.recorded
            if record.stream_id == result.stream_id
        ],
    )


def etag_of(loaded: Loaded) -> str:
    return f'"{loaded.version}"'


def today(request: Request) -> date:
    """Today in England by the service's clock (fixed in tests)."""
    return request.app.state.clock.today()


TodayDep = Annotated[date, Depends(today)]
