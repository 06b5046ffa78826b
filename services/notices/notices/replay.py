"""How the event-log service folds the notices service's streams to answer "what was the state of
this notice / intervention / direction / academy concern as of a date or a position".

The event-log service imports this module (``ServiceSpec.replay``): ``CATALOGUE`` is the
service's public contract, the events it writes, and ``AGGREGATES`` folds each stream category it
owns with the domain's own ``evolve``. States are rendered as JSON by ``state_to_json``, the same
rendering the read model keeps them in (dates as ISO strings, enums as their values).
"""

from __future__ import annotations

from shared.jsonable import state_to_json

from notices.domain import catalogue as contract
from notices.domain.streams import STREAM_KINDS

__all__ = ["AGGREGATES", "CATALOGUE", "CATALOGUE_MODULE", "state_to_json"]

CATALOGUE = contract.notices_catalogue()
CATALOGUE_MODULE = contract.__name__  # where the contract is written, as the catalogue page cites it

AGGREGATES = {category: (kind.initial, kind.evolve, CATALOGUE) for category, kind in STREAM_KINDS.items()}
