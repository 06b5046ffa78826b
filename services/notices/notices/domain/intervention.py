"""A school's intervention stream, ``intervention-<urn>``: one ``decide`` for every command on it.

State, ``evolve`` and deadlines are in ``intervention_state``; the rules for recording
eligibility are in ``eligibility`` and those for consultations and powers in ``powers``.
"""

from __future__ import annotations

from datetime import date

from shared.events import Event

from .eligibility import (
    EligibilityCommand,
    RecordCategoryOfConcernRemoved,
    RecordEligibilityFromInspection,
    RecordEligibilityFromWarningNotice,
    decide_eligibility,
)
from .intervention_state import NO_INTERVENTION, InterventionCase, deadlines_due, evolve, pending_deadlines
from .powers import PowerCommand, decide_power
from .rules import RuleBook
from .school_facts import SchoolFacts

__all__ = [
    "NO_INTERVENTION",
    "InterventionCase",
    "InterventionCommand",
    "deadlines_due",
    "decide",
    "evolve",
    "intervention_stream",
    "pending_deadlines",
]

InterventionCommand = EligibilityCommand | PowerCommand

_ELIGIBILITY_COMMANDS = (
    RecordEligibilityFromWarningNotice,
    RecordEligibilityFromInspection,
    RecordCategoryOfConcernRemoved,
)


def intervention_stream(urn: str) -> str:
    return f"intervention-{urn}"


def decide(
    command: InterventionCommand,
    state: InterventionCase,
    *,
    school: SchoolFacts,
    today: date,
    rules: RuleBook,
) -> list[Event]:
    """``school`` is the facts of ``command.urn`` (``UNKNOWN_SCHOOL`` if never registered)."""
    if isinstance(command, _ELIGIBILITY_COMMANDS):
        return decide_eligibility(command, state, school=school, today=today)
    return decide_power(command, state, school=school, today=today, rules=rules)
