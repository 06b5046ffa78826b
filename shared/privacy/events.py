"""The data protection record of a data subject (stream ``privacy-<subject>``, e.g.
``privacy-child:C1``): legal holds placed and lifted, and the erasure of their personal data.

Part of the public contract: every service that keeps personal data in its read models reads
``PersonalDataErased`` and clears that subject's personal columns, so that once the key is
destroyed no copy of the data is left outside the sealed log (docs/privacy.md).
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from shared.events import Event, EventCatalogue

PRIVACY = "privacy"


def privacy_stream(subject: str) -> str:
    return f"{PRIVACY}-{subject}"


class _SubjectEvent(Event):
    subject: str  # "child:<id>"

    def subjects(self) -> list[str]:
        return [self.subject]


class LegalHoldPlaced(_SubjectEvent):
    """The subject's records must be kept whatever the retention schedule says (litigation, an
    inquiry, a complaint under investigation) until the hold is lifted."""

    event_type: ClassVar[str] = "LegalHoldPlaced"

    hold_id: str
    placed_on: date
    reason: str

    def effective_on(self) -> date:
        return self.placed_on


class LegalHoldLifted(_SubjectEvent):
    event_type: ClassVar[str] = "LegalHoldLifted"

    hold_id: str
    lifted_on: date
    reason: str

    def effective_on(self) -> date:
        return self.lifted_on


class PersonalDataErased(_SubjectEvent):
    """The subject's key was destroyed: every sealed field about them now reads as erased.
    ``rule`` is the retention rule that fell due, or ``erasure_request`` for an erasure asked for
    under UK GDPR Article 17; who decided is in the event's metadata."""

    event_type: ClassVar[str] = "PersonalDataErased"

    erased_on: date
    rule: str
    reason: str

    def effective_on(self) -> date:
        return self.erased_on


PRIVACY_EVENTS: tuple[type[Event], ...] = (LegalHoldPlaced, LegalHoldLifted, PersonalDataErased)


def privacy_event_catalogue() -> EventCatalogue:
    return EventCatalogue(PRIVACY, PRIVACY_EVENTS)
