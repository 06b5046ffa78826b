"""How the event-log service folds the notices service's streams to answer "what was the state of
this notice / intervention / direction / academy concern as of a date or a position"."""

from __future__ import annotations

from typing import Any

from notices.domain import academy_concern, direction, intervention, warning_notice
from notices.domain.catalogue import notices_catalogue
from notices.state_codec import state_to_json as _state_to_json

_CATALOGUE = notices_catalogue()

AGGREGATES = {
    "notice": (warning_notice.NO_NOTICE, warning_notice.evolve, _CATALOGUE),
    "intervention": (intervention.NO_INTERVENTION, intervention.evolve, _CATALOGUE),
    "direction": (direction.NO_DIRECTION, direction.evolve, _CATALOGUE),
    "academyconcern": (academy_concern.NO_ACADEMY_CONCERN, academy_concern.evolve, _CATALOGUE),
}


def state_to_json(state: Any) -> Any:
    """The state as the domain folds it, in JSON (dates as ISO strings, enums as their values)."""
    return _state_to_json(state)
