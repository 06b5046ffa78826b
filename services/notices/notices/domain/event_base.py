"""The base of every event the notices service writes: each concerns one school."""

from __future__ import annotations

from shared.events import Event, school_subject


class SchoolEvent(Event):
    urn: str

    def subjects(self) -> list[str]:
        return [school_subject(self.urn)]
