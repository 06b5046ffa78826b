"""Recording that a school is eligible for intervention, and that a basis has ended.

A school is eligible when it has not complied with a warning notice and the council has given
written notice that it proposes to use its powers (or, before 18 April 2016, 15 working days
after Ofsted confirmed the notice); or at once when Ofsted judges it to have serious weaknesses
or to need special measures, with or without a notice in progress (domain.md section 4; seed
003, appendix 3, "Schools eligible for intervention as they have been judged as requiring
significant improvement or special measures").

These commands come from policies (``policies``) reacting to notice and inspection events, so
each is idempotent: the same fact delivered twice records nothing the second time.
"""

from __future__ import annotations

from datetime import date

from shared.errors import InvalidInput
from shared.events import Command, Event

from .checks import not_in_future
from .intervention_events import CategoryOfConcernRemoved, SchoolBecameEligibleForIntervention
from .intervention_state import InterventionCase
from .school_facts import SchoolFacts, require_open_maintained_school
from .vocabulary import CategoryOfConcern, EligibilityBasis


class RecordEligibilityFromWarningNotice(Command):
    urn: str
    notice_id: str
    eligible_from: date
    compliance_period_ended_on: date
    powers_lapse_on: date


class RecordEligibilityFromInspection(Command):
    urn: str
    inspected_on: date
    category: CategoryOfConcern
    inspection_id: str | None = None


class RecordCategoryOfConcernRemoved(Command):
    urn: str
    inspected_on: date
    inspection_id: str | None = None


EligibilityCommand = (
    RecordEligibilityFromWarningNotice | RecordEligibilityFromInspection | RecordCategoryOfConcernRemoved
)


def decide_eligibility(
    command: EligibilityCommand, state: InterventionCase, *, school: SchoolFacts, today: date
) -> list[Event]:
    match command:
        case RecordEligibilityFromWarningNotice():
            require_open_maintained_school(school, command.urn, "make it eligible for intervention")
            not_in_future(command.eligible_from, today, "eligible_from")
            if command.powers_lapse_on <= command.compliance_period_ended_on:
                raise InvalidInput("Powers lapse after the compliance period ends.", field="powers_lapse_on")
            if any(e.notice_id == command.notice_id for e in state.eligibility):
                return []
            return [
                SchoolBecameEligibleForIntervention(
                    urn=command.urn,
                    basis=EligibilityBasis.WARNING_NOTICE,
                    eligible_from=command.eligible_from,
                    notice_id=command.notice_id,
                    compliance_period_ended_on=command.compliance_period_ended_on,
                    powers_lapse_on=command.powers_lapse_on,
                )
            ]
        case RecordEligibilityFromInspection():
            require_open_maintained_school(school, command.urn, "make it eligible for intervention")
            not_in_future(command.inspected_on, today, "inspected_on")
            basis = EligibilityBasis(command.category.value)
            already = any(
                e.basis is basis
                and (e.active_on(command.inspected_on) or e.eligible_from == command.inspected_on)
                for e in state.eligibility
            )
            if already:
                return []
            return [
                SchoolBecameEligibleForIntervention(
                    urn=command.urn,
                    basis=basis,
                    eligible_from=command.inspected_on,
                    inspection_id=command.inspection_id,
                )
            ]
        case RecordCategoryOfConcernRemoved():
            not_in_future(command.inspected_on, today, "inspected_on")
            ended = tuple(
                CategoryOfConcern(e.basis.value)
                for e in state.eligibility
                if e.basis is not EligibilityBasis.WARNING_NOTICE
                and e.ended_on is None
                and e.eligible_from < command.inspected_on
            )
            if not ended:
                return []
            return [
                CategoryOfConcernRemoved(
                    urn=command.urn,
                    inspected_on=command.inspected_on,
                    inspection_id=command.inspection_id,
                    categories_ended=tuple(dict.fromkeys(ended)),
                )
            ]
    raise TypeError(f"not an eligibility command: {type(command).__name__}")
