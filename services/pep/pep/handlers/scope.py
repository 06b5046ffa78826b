"""A designated teacher acts and reads only for children on roll at their school today.

The roll is checked first, from the child's own stream, before anything else about the child is
read or decided: the refusal is the same for an unknown child, one who has left and one at
another school, so nothing can be learnt by probing ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from shared.errors import NotFound
from shared.security.data_scope import ensure_designated_teacher_scope
from shared.security.principal import Principal
from shared.web.commands import Loaded

from pep.domain import children, peps
from pep.domain.children import ChildState
from pep.domain.peps import PepState
from pep.wiring import Pep


def school_on_roll_as_looked_after(child: ChildState, day: date) -> str | None:
    if not child.looked_after_on(day):
        return None
    return child.school_on(day)


async def child_in_scope(pep: Pep, principal: Principal, child_id: str, today: date) -> Loaded[ChildState]:
    loaded = await pep.child(child_id)
    ensure_designated_teacher_scope(principal, school_on_roll_as_looked_after(loaded.state, today))
    return loaded


@dataclass(frozen=True)
class ChildRecord:
    """A child and their PEPs as a read shows them: once their personal data was erased (on
    ``personal_data_erased_on``), without it."""

    child: Loaded[ChildState]
    peps: Loaded[PepState]
    personal_data_erased_on: date | None


async def child_and_peps_in_scope(pep: Pep, principal: Principal, child_id: str, today: date) -> ChildRecord:
    """What a read of a child's record starts with: the scope check, then the child (404 when
    the council has no such child) and their PEPs."""
    child = await child_in_scope(pep, principal, child_id, today)
    if not child.state.is_known:
        raise NotFound(f"no child with id {child_id!r}", field="child_id")
    their_peps = await pep.peps(child_id)
    erased_on = await pep.personal_data_erased_on(child_id)
    if erased_on is not None:
        # The erasure is recorded before the key is destroyed: from the moment it is, nothing
        # personal is shown, whether or not the log would still open it.
        child = Loaded(children.without_personal_details(child.state), child.version)
        their_peps = Loaded(peps.without_personal_details(their_peps.state), their_peps.version)
    return ChildRecord(child, their_peps, erased_on)
