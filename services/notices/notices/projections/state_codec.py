"""Folded states kept in the read model as JSON, read back into the domain's own values.

The read model stores each stream's state as the domain folds it (written with
``shared.jsonable.state_to_json``, the rendering the event log's "state as of" answers with too),
so the queries ("schools causing concern", "upcoming deadlines") run the domain's own rules over
it rather than a second copy of them in SQL.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypeVar

from pydantic import TypeAdapter

S = TypeVar("S")


@cache
def _adapter(kind: type) -> TypeAdapter:
    return TypeAdapter(kind)


def state_from_json(kind: type[S], data: Any) -> S:
    return _adapter(kind).validate_python(data)
