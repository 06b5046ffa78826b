"""Who may read the event log, and who keeps the data protection officer's records in it
(domain.md, "Who uses the system").

Auditors replay and verify; the principal adviser and the virtual school head read the history
of the schools and children they are responsible for; other council systems follow the feed
with a service account holding ``event-log:read``. Nobody changes the log through this service
but the data protection officer, and only their own records: legal holds, erasures and the
retention schedule (``/privacy/...``), which auditors read too. Its other write, publishing
signed checkpoints, is a scheduled job, not a route.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.security.access import allow
from shared.security.principal import Principal
from shared.security.roles import Role

READ_SCOPE = "event-log:read"

READ = allow(Role.AUDITOR, Role.PRINCIPAL_ADVISER, Role.VIRTUAL_SCHOOL_HEAD, scope=READ_SCOPE)

# Only auditors see who read which child: the log of those reads is itself sensitive.
READ_ACCESS_LOG = allow(Role.AUDITOR)

# The data protection officer's records: read by them and by auditors, kept by them alone. No
# service account: an erasure is a person's decision.
READ_PRIVACY = allow(Role.DATA_PROTECTION_OFFICER, Role.AUDITOR)
KEEP_PRIVACY = allow(Role.DATA_PROTECTION_OFFICER, writes=True)

# Everything held about one child, gathered to answer their subject access request (UK GDPR
# Article 15): the data protection officer answers it, the virtual school head is responsible for
# the child's education record, auditors read everything. Never a service account: the report is
# for a person to check and send.
SUBJECT_ACCESS = allow(Role.DATA_PROTECTION_OFFICER, Role.VIRTUAL_SCHOOL_HEAD, Role.AUDITOR)

Reader = Annotated[Principal, Depends(READ)]
Auditor = Annotated[Principal, Depends(READ_ACCESS_LOG)]
PrivacyReader = Annotated[Principal, Depends(READ_PRIVACY)]
DataProtectionOfficer = Annotated[Principal, Depends(KEEP_PRIVACY)]
SubjectAccessReader = Annotated[Principal, Depends(SUBJECT_ACCESS)]
