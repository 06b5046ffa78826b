"""What every event about one school has in common: the school is its subject, and it takes
effect on a date it names (the inspection, the approval, the visit), not the day it was typed in.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from shared.events import Event, school_subject


class SchoolEvent(Event):
    """An event about the school ``urn``, effective on the date in its field ``effective_field``."""

    effective_field: ClassVar[str]

    urn: str

    def subjects(self) -> list[str]:
        return [school_subject(self.urn)]

    def effective_on(self) -> date:
        return getattr(self, self.effective_field)
