"""Whether a child's personal data was erased, as the virtual school reads it from the child's data
protection record (stream ``privacy-child:<id>``).

The data protection officer erases a child's personal data (UK GDPR Article 17, or a retention
rule falling due) through the event-log service: it records ``PersonalDataErased`` and destroys
the child's key, so every sealed field about the child reads as erased. From the moment the
erasure is recorded the virtual school keeps no copy of those fields in its read models and shows
none (``children.without_personal_details``, ``peps.without_personal_details``), even before the
key is gone; the care episodes, school places, PEP dates and statuses stay for the reports.
"""

from __future__ import annotations

from datetime import date

from shared.events import Event
from shared.privacy.events import PersonalDataErased

CHILD_SUBJECT = "child:"


def erased_on(state: date | None, event: Event) -> date | None:
    """Evolve for the child's data protection record: the day their personal data was erased,
    once it was (None before); legal holds leave it as it is."""
    if state is None and isinstance(event, PersonalDataErased):
        return event.erased_on
    return state


def erased_child(event: Event) -> str | None:
    """The id of the child whose personal data an event erases; None for any other event."""
    if isinstance(event, PersonalDataErased) and event.subject.startswith(CHILD_SUBJECT):
        return event.subject.removeprefix(CHILD_SUBJECT)
    return None
