"""How the event-log service folds this service's streams to their state as of a date or position."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

from pep.domain import children, council_config, peps, school_concerns
from pep.domain.catalogue import pep_event_catalogue
from pep.domain.streams import CHILD, COUNCIL_CONFIG, PEP, SCHOOL_CONCERN

_CATALOGUE = pep_event_catalogue()

AGGREGATES = {
    CHILD: (children.NO_CHILD, children.evolve, _CATALOGUE),
    PEP: (peps.NO_PEPS, peps.evolve, _CATALOGUE),
    SCHOOL_CONCERN: (school_concerns.NO_ALERTS, school_concerns.evolve, _CATALOGUE),
    COUNCIL_CONFIG: (council_config.NO_CONFIG, council_config.evolve, _CATALOGUE),
}


def state_to_json(state: Any) -> Any:
    """A folded state as plain JSON: dates as ISO text, Decimals as text, enums as their values."""
    if state is None or isinstance(state, bool | int | float | str):
        return state
    if isinstance(state, Enum):
        return state_to_json(state.value)
    if isinstance(state, datetime | date):
        return state.isoformat()
    if isinstance(state, Decimal):
        return str(state)
    if isinstance(state, BaseModel):
        return state.model_dump(mode="json")
    if dataclasses.is_dataclass(state) and not isinstance(state, type):
        return {f.name: state_to_json(getattr(state, f.name)) for f in dataclasses.fields(state)}
    if isinstance(state, dict):
        return {str(state_to_json(key)): state_to_json(value) for key, value in state.items()}
    if isinstance(state, set | frozenset):
        return sorted((state_to_json(item) for item in state), key=str)
    if isinstance(state, list | tuple):
        return [state_to_json(item) for item in state]
    return str(state)
