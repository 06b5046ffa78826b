"""A designated teacher acts and reads only for children on roll at their school today.

The roll is checked first, from the child's own stream, before anything else about the child is
read or decided: the refusal is the same for an unknown child, one who has left and one at
another school, so nothing can be learnt by probing ids.
"""

from __future__ import annotations

from datetime import date

from shared.eventlog.store import EventStore
from shared.events import EventCatalogue
from shared.security.data_scope import ensure_designated_teacher_scope
from shared.security.principal import Principal
from shared.web.commands import Loaded

from pep.domain.children import ChildState

from .common import load_child


def school_on_roll_as_looked_after(child: ChildState, day: date) -> str | None:
    if not child.looked_after_on(day):
        return None
    return child.school_on(day)


async def child_in_scope(
    store: EventStore, catalogue: EventCatalogue, principal: Principal, child_id: str, today: date
) -> Loaded[ChildState]:
    loaded = await load_child(store, catalogue, child_id)
    ensure_designated_teacher_scope(principal, school_on_roll_as_looked_after(loaded.state, today))
    return loaded
