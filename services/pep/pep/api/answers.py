"""How the pep routes answer: a command with the events it recorded and the stream's version as
ETag; a read of a child's record, recorded for auditors."""

from __future__ import annotations

from fastapi import Request, Response
from pydantic import BaseModel

from shared.web.audit import record_child_read
from shared.web.commands import Outcome, answered, etag

from .schemas.commands import CommandResultPublic, RecordedEventPublic


def answer(outcome: Outcome, response: Response, *, created: bool = False) -> CommandResultPublic:
    """The events recorded on the command's stream (none when nothing changed), with its new
    version as the ETag; 201 when ``created`` and something new was recorded."""
    answered(response, outcome, created=created)
    return CommandResultPublic(
        stream_id=outcome.stream_id,
        version=outcome.version,
        events=[
            RecordedEventPublic(
                type=record.event_type,
                position=record.position,
                stream_version=record.stream_version,
                effective_date=record.effective_date,
            )
            for record in outcome.recorded
            if record.stream_id == outcome.stream_id
        ],
    )


def nothing_new(model: type[BaseModel] = CommandResultPublic) -> dict[int | str, dict]:
    """The other success status of a route that creates (documented ``status_code=201``): 200 for
    a request that recorded nothing new, the same body as 201."""
    return {
        200: {
            "model": model,
            "description": "Nothing new was recorded: the request repeated what is already recorded",
        }
    }


async def answered_read(request: Request, response: Response, child_id: str, version: int) -> None:
    """The read is recorded for auditors (only now: after the scope check, and once what was asked
    for was found) and the answer carries the version shown as its ETag."""
    await record_child_read(request, child_id)
    response.headers["ETag"] = etag(version)
