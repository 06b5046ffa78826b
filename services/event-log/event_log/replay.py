"""How the event-log service folds its own streams, as it folds every service's (``registry``).

``CATALOGUE`` is the events it writes, the data protection officer's records; ``AGGREGATES``
folds a child's data protection record (``privacy-child:<id>``: legal holds and the erasure) and
the council's retention schedule (``retention-council``: its versions).
"""

from __future__ import annotations

from shared.privacy.events import PRIVACY

from event_log.domain import catalogue, protection, retention

CATALOGUE = catalogue.CATALOGUE
CATALOGUE_MODULE = catalogue.__name__

AGGREGATES = {
    PRIVACY: (protection.NO_RECORD, protection.evolve, CATALOGUE),
    retention.RETENTION_CATEGORY: (retention.NO_SCHEDULES, retention.evolve, CATALOGUE),
}
