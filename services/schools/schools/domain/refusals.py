"""The schools service's own families of refusal, each an entry of the problem catalogue
(``shared.web.problem_types``), so a calling system tells them apart by the problem's ``type``
without reading the prose. Each keeps the status of the general refusal it refines."""

from __future__ import annotations

from shared.errors import Conflict, RuleViolation


class SchoolNotOpen(RuleViolation):
    """The school has closed, or was not open on the date named."""

    title = "The school is not open"
    problem_type = "school-not-open"


class RegisterChangeNotAllowed(RuleViolation):
    """The register does not change that way: a closed URN never reopens, and a school becomes an
    academy (or stops being one) only under a new URN."""

    title = "The register does not change that way"
    problem_type = "register-change-not-allowed"


class ProposalAwaitingApproval(Conflict):
    """One categorisation proposal at a time: another awaits a principal adviser."""

    title = "A categorisation proposal awaits approval"
    problem_type = "proposal-awaiting-approval"


class CategoryDisagreesWithOfsted(RuleViolation):
    """A school Ofsted placed in a category of concern is categorised ofsted_category, and only
    such a school is."""

    title = "The category disagrees with Ofsted"
    problem_type = "category-disagrees-with-ofsted"


class SecondAdviserNeeded(RuleViolation):
    """A category is approved by a principal adviser other than the adviser who proposed it."""

    title = "A second adviser must approve"
    problem_type = "second-adviser-needed"


class NotCategorised(RuleViolation):
    """Support follows the school's category, and it has none approved yet."""

    title = "The school has no approved category"
    problem_type = "not-categorised"


class BeyondSupportAllocation(RuleViolation):
    """Adviser days beyond what the school is allocated for the year, or no allocation yet."""

    title = "Beyond the school's support allocation"
    problem_type = "beyond-support-allocation"


class ReviewStage(Conflict):
    """The progress review is not at the stage the step needs: one is already scheduled, or it
    was held or cancelled."""

    title = "The progress review is at another stage"
    problem_type = "review-stage"


class RegisterFileMissing(Conflict):
    """The national register import reads the file the operator puts where the service's settings
    say (``NATIONAL_REGISTER_FILE``, ``NATIONAL_REGISTER_LINKS_FILE``), and none is there."""

    title = "The register's file is not where the import reads it"
    problem_type = "register-file-missing"
