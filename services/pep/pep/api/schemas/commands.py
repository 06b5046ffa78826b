"""What every write sends and gets back: a request body that refuses unknown fields, and the
answer to a command (the events recorded and the stream's new version; built by
``api.answers.answer``)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


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


class PepInitiatedPublic(CommandResultPublic):
    """The answer to initiating a PEP: the command's answer and the new PEP's id."""

    pep_id: str = Field(
        description="the PEP's id: the one given, or the one made for it; a retry with the same "
        "Idempotency-Key answers with the same id"
    )
