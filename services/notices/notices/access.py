"""Who may do what in the notices service (domain.md, "Who uses the system").

* School improvement advisers propose warning notices: they draft and amend them and record the
  facts that arrive from outside (representations, Ofsted's decision, directions, consultation
  responses, the Secretary of State's decisions).
* Principal advisers and directors decide: they give notices, judge compliance, give notice of
  intention, consult on and use the powers of intervention, answer directions and write letters
  of concern about academies. They may also do everything an adviser does.
* Council school-improvement staff, auditors and service accounts holding ``notices:read`` read.
* Auditors never write; designated teachers, social workers, the virtual school and finance have
  no part in warning notices.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.security.access import allow
from shared.security.principal import Principal
from shared.security.roles import Role

READ = allow(Role.SCHOOL_IMPROVEMENT_ADVISER, Role.PRINCIPAL_ADVISER, Role.AUDITOR, scope="notices:read")

RECORD = allow(Role.SCHOOL_IMPROVEMENT_ADVISER, Role.PRINCIPAL_ADVISER, scope="notices:write", writes=True)
"""Drafting notices and recording facts."""

DECIDE = allow(Role.PRINCIPAL_ADVISER, scope="notices:write", writes=True)
"""Giving notices, deciding interventions and using powers."""

# What a route declares to be called only by those allowed.
Reader = Annotated[Principal, Depends(READ)]
Recorder = Annotated[Principal, Depends(RECORD)]
Decider = Annotated[Principal, Depends(DECIDE)]
