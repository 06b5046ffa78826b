"""The notices service's own families of refusal, each an entry of the problem catalogue
(``shared.web.problem_types``), so a client tells them apart by the problem's ``type`` without
reading the prose. Each keeps the status of the general refusal it refines."""

from __future__ import annotations

from shared.errors import Conflict, RuleViolation


class SchoolNotMaintained(RuleViolation):
    """A warning notice or a power for a school the council does not maintain (an academy, a
    school that has closed or not opened, another kind of establishment)."""

    title = "The council does not maintain this school"
    problem_type = "school-not-maintained"


class NotAnAcademy(RuleViolation):
    """A letter of concern for a school that is not an open academy."""

    title = "The school is not an academy"
    problem_type = "not-an-academy"


class NotEligibleForIntervention(RuleViolation):
    title = "The school is not eligible for intervention"
    problem_type = "not-eligible-for-intervention"


class PowerNoLongerAvailable(RuleViolation):
    """The power lapsed (two months after a warning notice's compliance period), or the
    Secretary of State's appointment of governors has taken it away."""

    title = "The power is no longer available"
    problem_type = "power-no-longer-available"


class InterimExecutiveBoardInPlace(RuleViolation):
    title = "An interim executive board is in place"
    problem_type = "interim-executive-board-in-place"


class ConsultationRequired(RuleViolation):
    """A power used before its consultation closed (or without the Secretary of State's consent),
    or a consultation for a power that needs none."""

    title = "The consultation is not finished"
    problem_type = "consultation-required"


class WarningNoticeStage(Conflict):
    """The warning notice is not at the stage the step needs."""

    title = "The warning notice is at another stage"
    problem_type = "warning-notice-stage"


class OutsideStatutoryPeriod(RuleViolation):
    """A date on the wrong side of a period the law sets."""

    title = "Refused by the statutory period"
    problem_type = "statutory-period"


class SecretaryOfStateNoticeStands(RuleViolation):
    """The council was told the Secretary of State gave the school a warning notice, and the
    Secretary of State has not informed it that it may give its own (s60(4A) of the Education
    and Inspections Act 2006, as amended by the Education and Adoption Act 2016)."""

    title = "A Secretary of State's warning notice bars the council's"
    problem_type = "secretary-of-state-notice-stands"


class AcademyOrderRequired(RuleViolation):
    """A decision not to make an academy order where the law makes the order a duty (Academies
    Act 2010 s4(A1)), not a power."""

    title = "The law requires an academy order"
    problem_type = "academy-order-required"
