"""Who may read the event log, who keeps the data protection officer's records in it (domain.md,
"Who uses the system"), and what each reader is given.

Auditors replay and verify; the principal adviser and the virtual school head read the history
of the schools and children they are responsible for; other council systems follow the feed
with a service account holding ``event-log:read``. Nobody changes the log through this service
but the data protection officer, and only their own records: legal holds, erasures and the
retention schedule (``/privacy/...``), which auditors read too. Its other write, publishing
signed checkpoints, is a scheduled job, not a route.

Within the log, a reader gets what its work needs (``LogAccess``):

* children's personal fields (sealed in the log: a name, a date of birth, a carer, the child's own
  words) are opened for the virtual school head, who works with children's records, and for
  auditors, who audit them; the principal adviser (school improvement) has no need of them, and
  a service account has them only with the scope ``event-log:read:personal-data``. Everyone else
  admitted gets those fields withheld: null, and named in the event's ``withheld``.
* a service account's ``event-log:read:<category>`` scopes (``school``, ``pep``, ``child``, ...)
  narrow what it reads to the streams of those categories; without any it reads every category.
  People read every category their role admits them to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends

from shared.errors import Forbidden
from shared.security.access import allow
from shared.security.principal import Principal
from shared.security.roles import Role

READ_SCOPE = "event-log:read"
# A scope under the read scope names one category of streams, or grants the personal fields.
NARROWER_SCOPE = f"{READ_SCOPE}:"
PERSONAL_DATA_SCOPE = f"{NARROWER_SCOPE}personal-data"
# The category of a child's own record (``child-C1``): what a child's timeline is built from.
CHILD_RECORD = "child"
# The people whose work is with, or the audit of, children's records.
OPEN_PERSONAL_DATA_TO = frozenset({Role.VIRTUAL_SCHOOL_HEAD, Role.AUDITOR})

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


@dataclass(frozen=True)
class LogAccess:
    """What one reader admitted by ``READ`` is given of the log."""

    categories: frozenset[str] | None
    """The stream categories it may read; None for every category."""
    personal_data: bool
    """Whether children's personal fields are opened for it (otherwise they are withheld)."""
    stored_form: bool
    """Whether it may ask for events exactly as stored, personal fields sealed (auditors, who
    check the hash chain with them)."""

    @classmethod
    def of(cls, principal: Principal) -> LogAccess:
        if principal.role is not Role.SERVICE:
            return cls(
                categories=None,
                personal_data=principal.role in OPEN_PERSONAL_DATA_TO,
                stored_form=principal.role is Role.AUDITOR,
            )
        categories = frozenset(
            scope.removeprefix(NARROWER_SCOPE)
            for scope in principal.scopes
            if scope.startswith(NARROWER_SCOPE) and scope != PERSONAL_DATA_SCOPE
        )
        return cls(
            categories=categories or None,
            personal_data=PERSONAL_DATA_SCOPE in principal.scopes,
            stored_form=False,
        )

    def categories_to_read(self, asked: Sequence[str]) -> tuple[str, ...]:
        """The categories a request reads: those it asked for (``category=``), every one this
        reader's scopes grant when it asked for none. A category asked for and not granted is
        refused, naming the parameter: an account that silently got fewer events than it asked
        for would take an empty feed for a quiet one."""
        if self.categories is None:
            return tuple(asked)
        if any(category not in self.categories for category in asked):
            raise Forbidden(
                "a category asked for is not one this service account's scopes grant: reading a "
                f"category needs the scope {NARROWER_SCOPE}<category> (or {READ_SCOPE} alone, for "
                "every category)",
                field="category",
            )
        return tuple(asked) or tuple(sorted(self.categories))

    def require_category(self, category: str, *, field: str) -> None:
        """A route reading one category's streams (a stream; a child's timeline, whose roll
        periods come from the child's own record, ``CHILD_RECORD``) is refused, naming ``field``,
        to a reader whose scopes do not grant it."""
        if self.categories is not None and category not in self.categories:
            raise Forbidden(
                "this service account's scopes do not grant the category of streams this reads: "
                f"reading it needs the scope {NARROWER_SCOPE}<category>",
                field=field,
            )
