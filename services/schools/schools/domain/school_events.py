"""What every event about one school has in common: the school is its subject, and it takes
effect on a date it names (the inspection, the approval, the visit), not the day it was typed in.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shared.events import Command, Event, school_subject


class SchoolEvent(Event):
    """An event about the school ``urn``, effective on the date in its field ``effective_field``."""

    effective_field: ClassVar[str]

    urn: str

    def subjects(self) -> list[str]:
        return [school_subject(self.urn)]

    def effective_on(self) -> date:
        return getattr(self, self.effective_field)


class SchoolCommand(Command):
    """A command about the school ``urn``."""

    urn: str


class RecordedFields(BaseModel):
    """Fields an officer gives in a command and the event that records it keeps, declared once
    so the two cannot drift apart. Listed first among a class's bases, its fields follow the
    school's ``urn``, in the order the events have always had."""

    model_config = ConfigDict(frozen=True, extra="forbid")
