"""Letters of concern about an academy, stream ``academyconcern-<urn>``.

The council does not maintain academies and cannot give them a warning notice; if concerned it
writes to the academy trust, and then to the Secretary of State (domain.md section 1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import ClassVar

from shared.errors import NotFound, RuleViolation
from shared.events import Command, Event

from .checks import not_before, not_in_future, require_text
from .event_base import SchoolEvent
from .refusals import NotAnAcademy
from .school_facts import SchoolFacts


def academy_concern_stream(urn: str) -> str:
    return f"academyconcern-{urn}"


class _LetterOfConcernSent(SchoolEvent):
    """A letter of concern was sent; the two letters say the same things to different readers."""

    school_name: str
    trust_name: str
    sent_on: date
    concerns: tuple[str, ...]

    def effective_on(self) -> date | None:
        return self.sent_on


class LetterOfConcernSentToTrust(_LetterOfConcernSent):
    event_type: ClassVar[str] = "LetterOfConcernSentToTrust"


class LetterOfConcernSentToSecretaryOfState(_LetterOfConcernSent):
    event_type: ClassVar[str] = "LetterOfConcernSentToSecretaryOfState"


ACADEMY_CONCERN_EVENTS = (LetterOfConcernSentToTrust, LetterOfConcernSentToSecretaryOfState)


class SendLetterOfConcernToTrust(Command):
    urn: str
    sent_on: date
    concerns: tuple[str, ...]
    trust_name: str | None = None
    """Needed when the schools service holds no trust for the academy."""


class SendLetterOfConcernToSecretaryOfState(Command):
    urn: str
    sent_on: date
    concerns: tuple[str, ...]


AcademyConcernCommand = SendLetterOfConcernToTrust | SendLetterOfConcernToSecretaryOfState


@dataclass(frozen=True)
class AcademyConcern:
    urn: str | None = None
    school_name: str = ""
    trust_name: str | None = None
    first_letter_to_trust_on: date | None = None
    letters_to_trust: tuple[date, ...] = ()
    letters_to_secretary_of_state: tuple[date, ...] = ()


NO_ACADEMY_CONCERN = AcademyConcern()


def evolve(state: AcademyConcern, event: Event) -> AcademyConcern:
    match event:
        case LetterOfConcernSentToTrust():
            return replace(
                state,
                urn=event.urn,
                school_name=event.school_name,
                trust_name=event.trust_name,
                first_letter_to_trust_on=state.first_letter_to_trust_on or event.sent_on,
                letters_to_trust=(*state.letters_to_trust, event.sent_on),
            )
        case LetterOfConcernSentToSecretaryOfState():
            return replace(
                state, letters_to_secretary_of_state=(*state.letters_to_secretary_of_state, event.sent_on)
            )
        case _:
            return state


def _concerns(concerns: tuple[str, ...]) -> tuple[str, ...]:
    if not concerns:
        require_text("", "concerns", "the concerns")
    return tuple(require_text(c, f"concerns.{i}", "each concern in words") for i, c in enumerate(concerns))


def _require_academy(school: SchoolFacts, urn: str) -> None:
    if not school.known or school.urn != urn:
        raise NotFound(f"No school with URN {urn} is known to the schools service.", field="urn")
    if school.is_closed:
        raise NotAnAcademy(f"{school.name} (URN {urn}) is closed.", field="urn")
    if not school.is_academy:
        raise NotAnAcademy(
            f"{school.name} (URN {urn}) is not an academy: where the council maintains a school it "
            "gives a warning notice rather than a letter of concern.",
            field="urn",
        )


def decide(
    command: AcademyConcernCommand, state: AcademyConcern, *, school: SchoolFacts, today: date
) -> list[Event]:
    _require_academy(school, command.urn)
    concerns = _concerns(command.concerns)
    match command:
        case SendLetterOfConcernToTrust():
            not_in_future(command.sent_on, today, "sent_on")
            trust = require_text(
                command.trust_name or school.academy_trust or state.trust_name,
                "trust_name",
                "the academy trust",
            )
            return [
                LetterOfConcernSentToTrust(
                    urn=command.urn,
                    school_name=school.name,
                    trust_name=trust,
                    sent_on=command.sent_on,
                    concerns=concerns,
                )
            ]
        case SendLetterOfConcernToSecretaryOfState():
            if state.first_letter_to_trust_on is None or state.trust_name is None:
                raise RuleViolation(
                    "Write to the academy trust first; the Secretary of State is written to when the "
                    "trust's response does not resolve the concern.",
                    field="urn",
                )
            not_in_future(command.sent_on, today, "sent_on")
            not_before(command.sent_on, state.first_letter_to_trust_on, "sent_on", "the letter to the trust")
            return [
                LetterOfConcernSentToSecretaryOfState(
                    urn=command.urn,
                    school_name=school.name,
                    trust_name=state.trust_name,
                    sent_on=command.sent_on,
                    concerns=concerns,
                )
            ]
    raise TypeError(f"not an academy concern command: {type(command).__name__}")
