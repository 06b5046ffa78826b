"""What every write sends and gets back: a request body that refuses unknown fields, and the
answer to a command (the events recorded and the stream's new version)."""

from __future__ import annotations

from datetime import date

from fastapi import Response
from pydantic import BaseModel, ConfigDict

from shared.web.commands import Outcome, answered


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


def answer(outcome: Outcome, response: Response, *, created: bool = False) -> CommandResultPublic:
    """The events recorded on the command's stream (none when nothing changed), with its new
    version as the ETag; 201 when ``created`` and something new was recorded.

    Built here, beside the body it fills, so every write route answers the same way."""
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
