"""Who may do what in the schools service (domain.md, "Who uses the system").

* School improvement advisers propose categories and record inspections, results, adviser
  visits, support increases, progress reviews and the school's work with the DfE's RISE team.
* Principal advisers do all of that, approve or reject categories, keep the register, allocate
  support and set the council's configuration (support offer, floor, review and stuck rules, the
  report-card concern policy).
* The council calendar (term dates, read by every service) is set by a principal adviser or the
  virtual school head.
* Other council systems with ``schools:write`` keep the register (the national register import)
  and feed in inspections and published results; with ``schools:read`` they read.
* Council staff and auditors read everything; auditors write nothing.
* A designated teacher reads their own school's profile and nothing else (the profile route
  checks the URN in their token).
"""

from __future__ import annotations

from shared.security.access import allow
from shared.security.roles import PERSON_ROLES, Role

READ_SCOPE = "schools:read"
WRITE_SCOPE = "schools:write"

#: Everyone at the council who reads school information: every person but a designated teacher,
#: who is a school's member of staff, not the council's.
COUNCIL_READERS = tuple(sorted(PERSON_ROLES - {Role.DESIGNATED_TEACHER}, key=lambda r: r.value))
ADVISERS = (Role.SCHOOL_IMPROVEMENT_ADVISER, Role.PRINCIPAL_ADVISER)

READ = allow(*COUNCIL_READERS, scope=READ_SCOPE)
READ_PROFILE = allow(*COUNCIL_READERS, Role.DESIGNATED_TEACHER, scope=READ_SCOPE)

KEEP_REGISTER = allow(Role.PRINCIPAL_ADVISER, scope=WRITE_SCOPE, writes=True)
IMPORT_REGISTER = KEEP_REGISTER
RECORD_INSPECTION = allow(*ADVISERS, scope=WRITE_SCOPE, writes=True)
RECORD_RESULTS = allow(*ADVISERS, scope=WRITE_SCOPE, writes=True)

PROPOSE_CATEGORY = allow(*ADVISERS, writes=True)
APPROVE_CATEGORY = allow(Role.PRINCIPAL_ADVISER, writes=True)
ALLOCATE_SUPPORT = allow(Role.PRINCIPAL_ADVISER, writes=True)
INCREASE_SUPPORT = allow(*ADVISERS, writes=True)
LOG_VISIT = allow(*ADVISERS, writes=True)
RECORD_REVIEW = allow(*ADVISERS, writes=True)
RECORD_RISE = allow(*ADVISERS, writes=True)

CONFIGURE = allow(Role.PRINCIPAL_ADVISER, writes=True)
# The council calendar is kept here for every service: the principal adviser (school improvement)
# or the virtual school head sets it, and a council system with schools:write may feed it in.
SET_TERM_DATES = allow(Role.PRINCIPAL_ADVISER, Role.VIRTUAL_SCHOOL_HEAD, scope=WRITE_SCOPE, writes=True)
# Term dates are no secret: everyone who works with schools reads them, a school's own staff too.
READ_TERM_DATES = READ_PROFILE
