"""The notices service's streams, one entry per category: how each is folded and which deadlines
it has pending. The read models, the deadline job and the event-log service's replay all fold
the streams from this one table, so none of them can fold a category differently."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from shared.events import Event

from . import (
    academy_concern,
    academy_order,
    academy_order_law,
    direction,
    intervention,
    secretary_of_state_notices,
    warning_notice,
)
from .deadlines import Deadline


@dataclass(frozen=True)
class StreamKind:
    category: str
    initial: Any
    evolve: Callable[[Any, Event], Any]
    pending_deadlines: Callable[[Any], list[Deadline]] | None = None
    """``None`` for a stream that has no deadlines (letters of concern, academy orders, the
    Secretary of State's notices: their periods are the Secretary of State's to follow, not the
    council's)."""


STREAM_KINDS: dict[str, StreamKind] = {
    kind.category: kind
    for kind in (
        StreamKind(
            "notice", warning_notice.NO_NOTICE, warning_notice.evolve, warning_notice.pending_deadlines
        ),
        StreamKind(
            "intervention", intervention.NO_INTERVENTION, intervention.evolve, intervention.pending_deadlines
        ),
        StreamKind("direction", direction.NO_DIRECTION, direction.evolve, direction.pending_deadlines),
        StreamKind("academyconcern", academy_concern.NO_ACADEMY_CONCERN, academy_concern.evolve),
        StreamKind(
            "sosnotices",
            secretary_of_state_notices.NO_SECRETARY_OF_STATE_NOTICES,
            secretary_of_state_notices.evolve,
        ),
        StreamKind("academyorder", academy_order.NO_ACADEMY_ORDER, academy_order.evolve),
        StreamKind(
            academy_order_law.ACADEMY_ORDER_LAW_CATEGORY,
            academy_order_law.NOT_COMMENCED,
            academy_order_law.evolve,
        ),
    )
}
