"""How to fold each stream the schools service owns, for the event log's "state as of".

The event-log service imports ``AGGREGATES`` and ``state_to_json`` to answer "what did the
register, the Ofsted history, the category, the support, the results, the reviews or the
council's configuration look like at this position / on this date", with the same ``evolve``
the service itself decides with.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from schools.domain import categorisation, configuration, inspections, performance, register, reviews, support
from schools.domain.catalogue import schools_catalogue

_CATALOGUE = schools_catalogue()

AGGREGATES = {
    "school": (register.NO_SCHOOL, register.evolve, _CATALOGUE),
    "inspections": (inspections.NO_INSPECTIONS, inspections.evolve, _CATALOGUE),
    "categorisation": (categorisation.NOT_CATEGORISED, categorisation.evolve, _CATALOGUE),
    "support": (support.NO_SUPPORT, support.evolve, _CATALOGUE),
    "performance": (performance.NO_RESULTS, performance.evolve, _CATALOGUE),
    "reviews": (reviews.NO_REVIEWS, reviews.evolve, _CATALOGUE),
    configuration.CONFIGURATION_CATEGORY: (
        configuration.DEFAULT_CONFIGURATION,
        configuration.evolve,
        _CATALOGUE,
    ),
}


def state_to_json(state: Any) -> Any:
    """A state as plain JSON: dates in ISO form, days and measures as exact decimal strings (as
    in the events), enums by value, and keys made of several parts (a year and a key stage) as
    ``"2011:ks2"``."""
    match state:
        case None | bool() | int() | float() | str():
            return state
        case Enum():
            return state.value
        case date():
            return state.isoformat()
        case Decimal():
            return str(state)
        case timedelta():
            return {"days": state.days}
        case BaseModel():
            return state.model_dump(mode="json")
        case Mapping():
            return {_key(k): state_to_json(v) for k, v in state.items()}
        case set() | frozenset():
            return sorted((state_to_json(v) for v in state), key=str)
        case list() | tuple():
            return [state_to_json(v) for v in state]
    if dataclasses.is_dataclass(state) and not isinstance(state, type):
        return {f.name: state_to_json(getattr(state, f.name)) for f in dataclasses.fields(state)}
    return str(state)


def _key(key: Any) -> str:
    if isinstance(key, tuple):
        return ":".join(_key(part) for part in key)
    converted = state_to_json(key)
    return converted if isinstance(converted, str) else str(converted)
