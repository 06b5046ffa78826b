"""Who may do what in the PEP service (domain.md, "Who uses the system").

* Social workers record children's care and school places, initiate PEPs and read children.
* Designated teachers lead the education part of the PEP and read the record, but only for
  children on roll at their school today (checked in each route, see ``handlers.scope``).
* The virtual school (head and officers) quality-assures PEPs, reads the roll and the reports,
  acts on alerts and corrects details recorded wrongly about a child (UK GDPR Article 16); only
  the head sets the council's term dates and PEP timing policy.
* Auditors read everything and write nothing; other council systems act by scope.
"""

from __future__ import annotations

from shared.security.access import allow
from shared.security.roles import Role

VSH = Role.VIRTUAL_SCHOOL_HEAD
VSO = Role.VIRTUAL_SCHOOL_OFFICER
SOCIAL_WORKER = Role.SOCIAL_WORKER
DESIGNATED_TEACHER = Role.DESIGNATED_TEACHER
AUDITOR = Role.AUDITOR

READ = "pep:read"
WRITE = "pep:write"

READ_CHILD = allow(VSH, VSO, SOCIAL_WORKER, DESIGNATED_TEACHER, AUDITOR, scope=READ)
RECORD_CARE = allow(VSH, VSO, SOCIAL_WORKER, scope=WRITE, writes=True)
INITIATE_PEP = allow(VSH, VSO, SOCIAL_WORKER, scope=WRITE, writes=True)
WORK_ON_PEP = allow(VSH, VSO, SOCIAL_WORKER, DESIGNATED_TEACHER, scope=WRITE, writes=True)
QUALITY_ASSURE = allow(VSH, VSO, scope=WRITE, writes=True)
CORRECT_RECORD = allow(VSH, VSO, scope=WRITE, writes=True)

READ_VIRTUAL_SCHOOL = allow(VSH, VSO, AUDITOR, scope=READ)
READ_SCHOOL_ROLL = allow(VSH, VSO, DESIGNATED_TEACHER, AUDITOR, scope=READ)
ACT_ON_ALERTS = allow(VSH, VSO, scope=WRITE, writes=True)

READ_COUNCIL_SETTINGS = allow(VSH, VSO, SOCIAL_WORKER, DESIGNATED_TEACHER, AUDITOR, scope=READ)
SET_COUNCIL_SETTINGS = allow(VSH, scope=WRITE, writes=True)

# Attendance (domain.md section 6): schools send their marks (a designated teacher for their own
# school's children only), a council system sends its daily feed; social workers read a child's
# attendance and the alerts about it, and record the child's UPN with their care record.
SEND_ATTENDANCE = allow(VSH, VSO, DESIGNATED_TEACHER, scope=WRITE, writes=True)
RECORD_UPN = allow(VSH, VSO, SOCIAL_WORKER, scope=WRITE, writes=True)
READ_ATTENDANCE_ALERTS = allow(VSH, VSO, SOCIAL_WORKER, AUDITOR, scope=READ)
