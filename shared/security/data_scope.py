"""What a caller may see inside a route its role is admitted to.

A designated teacher is admitted by role to the child and PP+ routes, but sees and acts only on
children on roll at their own school (the URN in their token) on the day of the request. The
route finds where the child is on roll, then asks:

    child = await queries.child(pool, child_id)                 # None if unknown
    ensure_designated_teacher_scope(principal, child.urn_on_roll if child else None)

For lists, filter by ``designated_teacher_urn(principal)`` in the query instead.

The refusal is the same whether the child does not exist, has left, or is at another school,
so a designated teacher cannot learn anything about a child who is not theirs by probing ids.
"""

from __future__ import annotations

from shared.errors import Forbidden
from shared.security.principal import Principal
from shared.security.roles import Role

OUTSIDE_SCOPE_DETAIL = "this record is not available to you: it is not for a child on roll at your school"
OUTSIDE_SCOPE_FIELD = "urn"


class OutsideDataScope(Forbidden):
    """The caller's role may use the route, but not for this child."""

    problem_type = "out-of-data-scope"

    def __init__(self) -> None:
        super().__init__(OUTSIDE_SCOPE_DETAIL, field=OUTSIDE_SCOPE_FIELD)


def ensure_designated_teacher_scope(principal: Principal, urn_on_roll: str | None) -> None:
    """Refuse (403) a designated teacher unless the child is on roll at their school today.

    ``urn_on_roll`` is the URN of the school the child is on roll at on the day of the request,
    or None when the child is unknown, not on roll anywhere, or no longer looked after; pass
    None rather than raising NotFound first, so an unknown id and another school's child get
    the same answer. For a PP+ request, pass the URN of the school its child is on roll at.
    Every other role passes through: their access is the route's rule.

    The error body names no child, no school and no date.
    """
    if principal.role is not Role.DESIGNATED_TEACHER:
        return
    if urn_on_roll is None or principal.urn is None or str(urn_on_roll) != principal.urn:
        raise OutsideDataScope()


def designated_teacher_urn(principal: Principal) -> str | None:
    """The school a list must be limited to: the designated teacher's URN, or None for roles
    that see every school."""
    if principal.role is Role.DESIGNATED_TEACHER:
        return principal.urn
    return None
