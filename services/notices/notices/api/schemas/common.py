"""What every resource of the notices API shares: path parameters, request and response bases,
and pending deadlines as the API shows them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from notices.domain.deadlines import Deadline

RecordId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]

IdField = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.:-]{1,64}$")]


class Body(BaseModel):
    """Request bodies refuse fields they do not know, so a misspelt field is named, not ignored."""

    model_config = ConfigDict(extra="forbid")


class Public(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class DeadlinePublic(Public):
    kind: str
    due_on: date = Field(
        description="The day officers work to: the last day of a period, or the day it takes effect"
    )
    fires_on: date = Field(description="The first day it has passed; its event is appended then")
    description: str


def deadlines_public(pending: list[Deadline] | tuple[Deadline, ...]) -> list[DeadlinePublic]:
    return [
        DeadlinePublic(kind=d.kind.value, due_on=d.due_on, fires_on=d.fires_on, description=d.description)
        for d in sorted(pending, key=lambda d: (d.due_on, d.kind.value))
    ]
