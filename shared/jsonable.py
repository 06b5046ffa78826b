"""A folded state as plain JSON: the one rendering of an aggregate's state.

The event-log service answers "what was this stream's state as of a date or a position" with it,
and the notices service keeps each stream's folded state in its read model with it (and reads it
back with pydantic, so what is written here must validate as the domain's own types). A state is
made of frozen dataclasses, pydantic models, enums, dates, Decimals, tuples, frozensets and
mappings; each is rendered so that the same state always gives the same JSON, and the JSON reads
the way the events themselves are written:

* ``None``, booleans, integers, floats and strings as they are;
* an enum by its value (rendered in turn), as the events store it. A ``str`` or ``int`` enum is
  already JSON (``json.dumps`` writes its value) and is kept as the member, so a set of them is
  sorted by the member's ``str()``, as it always has been;
* a date or datetime in ISO form (``"2024-09-18"``), as in the events;
* a ``Decimal`` as its exact text (``"55.5"``, ``"5"``): days and measures are exact figures, and
  a JSON number would become a float on the way to the reader;
* a ``timedelta`` as ``{"days": n}``: intervals in the rules are whole days (e.g. how often a
  school is reviewed), and that is how the events state them;
* a pydantic model as its own JSON dump, so its serialisers and aliases apply;
* a dataclass as an object of its fields, in declaration order (not its properties: they are
  derived, and a state is what was folded);
* a mapping as an object; JSON keys are text, so a key is rendered and then turned to text, and a
  key made of several parts (a tuple, e.g. a year and a key stage) is joined by ``:``
  (``"2011:ks2"``), which reads better than a list's ``repr`` and is unambiguous for the parts
  the domains use;
* a set or frozenset as a list sorted by the text of each rendered item: a set has no order, and
  its iteration order changes from one process to the next, so sorting keeps the answer (and a
  read model's stored row) the same on every run and for every replica;
* a list or tuple as a list, in order;
* anything else by its text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel

__all__ = ["state_to_json"]


def state_to_json(state: Any) -> Any:
    """The state (or any part of it) as JSON-ready values: dicts, lists, text, numbers, booleans
    and ``None``."""
    match state:
        case None | bool() | int() | float() | str():
            return state
        case Enum():
            return state_to_json(state.value)
        case date():  # a datetime too
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
    rendered = state_to_json(key)
    return rendered if isinstance(rendered, str) else str(rendered)
