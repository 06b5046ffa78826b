"""The events the event-log service writes: the data protection officer's records.

* ``LegalHoldPlaced``, ``LegalHoldLifted`` and ``PersonalDataErased`` (``shared.privacy.events``,
  stream ``privacy-child:<id>``): every service that keeps personal data in a read model reads
  ``PersonalDataErased`` and clears that child's personal columns;
* ``RetentionScheduleSet`` (``retention.py``, stream ``retention-council``): the council's
  retention schedule, read by this service alone.
"""

from __future__ import annotations

from shared.events import EventCatalogue
from shared.privacy.events import PRIVACY_EVENTS

from .retention import RetentionScheduleSet

SERVICE = "event-log"

CATALOGUE = EventCatalogue(SERVICE, (*PRIVACY_EVENTS, RetentionScheduleSet))
