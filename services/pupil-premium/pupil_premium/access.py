"""Who may do what with PP+ (domain.md, "Who uses the system").

The Virtual School Head owns the budget and chairs the panel; designated teachers request PP+ and
propose school projects for children on roll at their own school (the routes check the child's
school as well: ``shared.security.data_scope``); finance officers monitor spend and record
payments; social workers read and never touch money; auditors read everything and write nothing.
Other council systems use the ``pupil-premium:read`` scope, and a finance system may record
payments with ``pupil-premium:write``.
"""

from __future__ import annotations

from shared.security.access import allow
from shared.security.roles import Role

READ_SCOPE = "pupil-premium:read"
WRITE_SCOPE = "pupil-premium:write"

_FINANCE_READERS = (
    Role.VIRTUAL_SCHOOL_HEAD,
    Role.VIRTUAL_SCHOOL_OFFICER,
    Role.FINANCE_OFFICER,
    Role.SOCIAL_WORKER,
    Role.PRINCIPAL_ADVISER,
    Role.AUDITOR,
)

# Budget figures, reports, settings and payment runs.
READ_FINANCE = allow(*_FINANCE_READERS, scope=READ_SCOPE)
# Requests and school projects: designated teachers too, for their own school only.
READ_REQUESTS = allow(*_FINANCE_READERS, Role.DESIGNATED_TEACHER, scope=READ_SCOPE)

CONFIGURE = allow(Role.VIRTUAL_SCHOOL_HEAD, writes=True)
SET_GRANT = allow(Role.VIRTUAL_SCHOOL_HEAD, Role.FINANCE_OFFICER, writes=True)
TOP_SLICE = allow(Role.VIRTUAL_SCHOOL_HEAD, writes=True)

REQUEST = allow(Role.DESIGNATED_TEACHER, Role.VIRTUAL_SCHOOL_OFFICER, writes=True)
# The panel: the Virtual School Head chairs it and records its decisions.
PANEL = allow(Role.VIRTUAL_SCHOOL_HEAD, writes=True)

PROPOSE_PROJECT = allow(
    Role.DESIGNATED_TEACHER, Role.VIRTUAL_SCHOOL_OFFICER, Role.VIRTUAL_SCHOOL_HEAD, writes=True
)
RECORD_MILESTONE = PROPOSE_PROJECT

SCHEDULE_PAYMENT = allow(Role.VIRTUAL_SCHOOL_HEAD, Role.FINANCE_OFFICER, writes=True)
RECORD_PAYMENT = allow(Role.FINANCE_OFFICER, scope=WRITE_SCOPE, writes=True)
CANCEL_PAYMENT = allow(Role.FINANCE_OFFICER, Role.VIRTUAL_SCHOOL_HEAD, writes=True)
