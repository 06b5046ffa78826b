"""The data protection officer's families of refusal, each an entry of the problem catalogue
(``shared.web.problem_types``), so a client tells them apart by the problem's ``type``. Each keeps
the status of the general refusal it refines."""

from __future__ import annotations

from shared.errors import Conflict


class LegalHoldInForce(Conflict):
    """An erasure asked for while a legal hold on the child's records is in force."""

    title = "A legal hold is in force"
    problem_type = "legal-hold-in-force"


class RetentionNotDue(Conflict):
    """An erasure under a retention rule that has not fallen due for the child, or that is not
    the rule their records are kept under."""

    title = "The retention period has not ended"
    problem_type = "retention-not-due"
