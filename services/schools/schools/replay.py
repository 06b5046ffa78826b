"""How to fold each stream the schools service owns, for the event log's "state as of".

The event-log service imports this module (``ServiceSpec.replay``): ``CATALOGUE`` is the
service's public contract, the events it writes, and ``AGGREGATES`` answers "what did the
register, the Ofsted history, the category, the support, the results, the reviews or the
council's configuration look like at this position / on this date", with the same ``evolve``
the service itself decides with. States are rendered as JSON by ``shared.jsonable.state_to_json``
(dates in ISO form, days and measures as exact decimal strings as in the events, and keys made of
several parts, a year and a key stage, as ``"2011:ks2"``).
"""

from __future__ import annotations

from typing import Any

from schools.domain import catalogue as contract
from schools.domain import performance
from schools.domain.streams import STREAM_FOLDS
from shared.jsonable import state_to_json as _to_json

CATALOGUE = contract.schools_catalogue()
CATALOGUE_MODULE = contract.__name__  # where the contract is written, as the catalogue page cites it

AGGREGATES = {category: (initial, evolve, CATALOGUE) for category, (initial, evolve) in STREAM_FOLDS.items()}


# What the auditors' view shows of a school's results: the results, the floor outcomes and which
# trends were flagged. The fold also keeps each key stage's latest trend (its measure, years and
# values) for the school's profile; the profile shows it.
AUDITED_PERFORMANCE_FIELDS = ("results", "below_floor", "trends_flagged")


def state_to_json(state: Any) -> Any:
    if isinstance(state, performance.PerformanceRecord):
        return {name: _to_json(getattr(state, name)) for name in AUDITED_PERFORMANCE_FIELDS}
    return _to_json(state)
