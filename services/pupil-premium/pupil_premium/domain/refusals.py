"""The pupil-premium service's own families of refusal, each an entry of the problem catalogue
(``shared.web.problem_types``), so a calling system tells them apart by the problem's ``type``
without reading the prose. Each keeps the status of the general refusal it refines."""

from __future__ import annotations

from shared.errors import Conflict, RuleViolation


class NoPepNoPremium(RuleViolation):
    """PP+ pays for the needs in the child's PEP: no current PEP, a PEP not rated well enough for
    the policy, or targets that are not the current PEP's."""

    title = "No PEP, no premium"
    problem_type = "no-pep-no-premium"


class NotOnRoll(RuleViolation):
    """The child is not looked after, or not on roll at the school named, on the day."""

    title = "The child is not a looked-after child on roll at the school"
    problem_type = "not-on-roll"


class OutsideDevolutionPolicy(RuleViolation):
    """The amount is not one the devolution policy in force allows: over the cap, not the
    instalment, not one of the bands."""

    title = "The amount is not one the devolution policy allows"
    problem_type = "outside-devolution-policy"


class BudgetExceeded(RuleViolation):
    """Never spend more than the budget: more than remains, more than the devolved share, no grant
    recorded yet, or a grant cut below what is already allocated."""

    title = "The budget cannot cover it"
    problem_type = "budget-exceeded"


class RequestAlreadyOpen(Conflict):
    """Another request for the child and term is still before the panel."""

    title = "A request for this child and term is still open"
    problem_type = "request-already-open"


class FundingStage(Conflict):
    """The request, school project or payment run is not at the stage the step needs."""

    title = "The request, project or payment run is at another stage"
    problem_type = "funding-stage"


class AlreadyInPaymentRun(Conflict):
    """Never pay twice: the request or project has been paid, or is in another payment run."""

    title = "Already paid or in a payment run"
    problem_type = "already-in-payment-run"


class NotApprovedForPayment(RuleViolation):
    """Only what the panel approved is paid."""

    title = "Not approved, so not payable"
    problem_type = "not-approved-for-payment"


class NoRateForYear(RuleViolation):
    """The grant is worked out from the census with a rate the council has not recorded."""

    title = "No PP+ rate is recorded for the year"
    problem_type = "no-rate-for-year"
