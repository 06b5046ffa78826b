"""The roles of domain.md's "Who uses the system" table, as they appear in tokens."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    VIRTUAL_SCHOOL_HEAD = "virtual_school_head"
    VIRTUAL_SCHOOL_OFFICER = "virtual_school_officer"
    SOCIAL_WORKER = "social_worker"
    DESIGNATED_TEACHER = "designated_teacher"  # bound to one school's URN
    SCHOOL_IMPROVEMENT_ADVISER = "school_improvement_adviser"
    PRINCIPAL_ADVISER = "principal_adviser"  # director / principal adviser
    FINANCE_OFFICER = "finance_officer"
    AUDITOR = "auditor"  # reads everything, including the log; writes nothing
    SERVICE = "service"  # another council system; what it may do is in its scopes
    # The council's infrastructure and support team: they see and act on parked events
    # (/operations/dead-letters) and nothing about children, schools or casework.
    OPERATOR = "operator"
    # The council's data protection officer: legal holds, the retention schedule, erasure and
    # subject access requests (docs/privacy.md); no casework.
    DATA_PROTECTION_OFFICER = "data_protection_officer"


#: The people who work with the council's education records. Operators and the data protection
#: officer are people too, but one runs the services and the other looks after the records rather
#: than working with them, so no rule built from this set admits them.
PERSON_ROLES = frozenset(Role) - {Role.SERVICE, Role.OPERATOR, Role.DATA_PROTECTION_OFFICER}
EVERY_ROLE = frozenset(Role)
