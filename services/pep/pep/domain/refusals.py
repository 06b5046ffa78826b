"""The PEP service's own families of refusal, each an entry of the problem catalogue
(``shared.web.problem_types``), so a calling system tells them apart by the problem's ``type``
without reading the prose. Each keeps the status of the general refusal it refines."""

from __future__ import annotations

from shared.errors import Conflict, RuleViolation


class PepStage(Conflict):
    """The PEP is not at the stage the step needs: already submitted or quality-assured, not yet
    submitted, or its term's PEP already quality-assured."""

    title = "The PEP is at another stage"
    problem_type = "pep-stage"


class PepIncomplete(RuleViolation):
    """A PEP submitted before its review is recorded or its SMART targets are set."""

    title = "The PEP is not complete"
    problem_type = "pep-incomplete"


class PepAlreadyInitiated(Conflict):
    """The occasion already has its PEP in the care episode: the initial PEP, the term's PEP, or
    the PEP for that change of school."""

    title = "A PEP is already initiated for this occasion"
    problem_type = "pep-already-initiated"


class CareHistory(RuleViolation):
    """The step depends on the child's care or school history, and that history says otherwise:
    not looked after on the day named, or no change of school while looked after."""

    title = "The child's care history does not allow this"
    problem_type = "care-history"


class ChildStatus(Conflict):
    """The step assumes a current care or school status the child does not have (already in care,
    already on a roll, on no roll, already awaiting a place, ...)."""

    title = "The child's care or school status is otherwise"
    problem_type = "child-status"


class TermDatesMissing(RuleViolation):
    """A date or term needed for a school-day count is outside the term dates the council has given."""

    title = "The council's term dates are not set"
    problem_type = "term-dates-missing"


class AlertAlreadyHandled(Conflict):
    """A school-concern alert already acknowledged or actioned."""

    title = "The alert is already handled"
    problem_type = "alert-already-handled"
