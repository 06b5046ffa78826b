"""The schools and notices services' events this service reads, and what they mean to it.

This is the one module that knows their shape: align it here when their contract changes. The
models read tolerantly (fields not used here are ignored). Each event that gives the virtual school
cause for concern about a school becomes a ``SchoolConcern`` (domain.md section 2: the virtual
school must be told at once when a school with looked-after children on roll is inspected and
judged below good, categorised as a concern or given a warning notice; seed 002: "inclusion of VHT
in notifications of Medway inspections and early outcomes to ensure rapid action where required").
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shared.events import Event, EventCatalogue, school_subject


class _ForeignSchoolEvent(Event):
    model_config = ConfigDict(frozen=True, extra="ignore", coerce_numbers_to_str=True)

    urn: str

    def subjects(self) -> list[str]:
        return [school_subject(self.urn)]


class InspectionRecorded(_ForeignSchoolEvent):
    """schools service: an Ofsted inspection; ``below_good`` covers a sub-good grade, failed
    safeguarding or a category of concern, whatever the framework's vocabulary."""

    event_type: ClassVar[str] = "InspectionRecorded"

    inspection_id: str | None = None
    inspected_on: date
    framework: str | None = None
    headline_judgement: str | None = None
    category_of_concern: str | None = None
    below_good: bool = False

    def effective_on(self) -> date:
        return self.inspected_on


class SchoolCategorised(_ForeignSchoolEvent):
    """schools service: the council's own category for the school from ``categorised_on``."""

    event_type: ClassVar[str] = "SchoolCategorised"

    category: str
    previous_category: str | None = None
    categorised_on: date

    def effective_on(self) -> date:
        return self.categorised_on


class WarningNoticeGiven(_ForeignSchoolEvent):
    """notices service: a performance standards and safety warning notice given to the school."""

    event_type: ClassVar[str] = "WarningNoticeGiven"

    notice_id: str | None = None
    given_on: date

    def effective_on(self) -> date:
        return self.given_on


FOREIGN_EVENTS: tuple[type[Event], ...] = (InspectionRecorded, SchoolCategorised, WarningNoticeGiven)

# How much concern each council category means (schools service's vocabulary); good and
# outstanding, and anything not listed, mean none.
COUNCIL_CATEGORY_CONCERN_LEVEL = {"at_risk": 1, "requires_improvement": 2, "ofsted_category": 3}


def foreign_event_catalogue() -> EventCatalogue:
    return EventCatalogue("pep-reads", FOREIGN_EVENTS)


class ConcernKind(StrEnum):
    INSPECTION_BELOW_GOOD = "inspection_below_good"
    OFSTED_CATEGORY_OF_CONCERN = "ofsted_category_of_concern"
    COUNCIL_CATEGORY_OF_CONCERN = "council_category_of_concern"
    WARNING_NOTICE = "warning_notice"


class SchoolConcern(BaseModel):
    """A reason for the virtual school to review the placements of its children at ``urn``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    urn: str
    kind: ConcernKind
    concern_on: date
    detail: str
    source_event_type: str
    source_event_id: str


def _words(value: str) -> str:
    return value.strip().lower().replace("-", " ").replace("_", " ")


def _concern_level(category: str | None) -> int:
    if not category:
        return 0
    return COUNCIL_CATEGORY_CONCERN_LEVEL.get(_words(category).replace(" ", "_"), 0)


def school_concern_from(event: Event, source_event_id: str) -> SchoolConcern | None:
    """The concern an event raises, or ``None`` when it gives no cause for concern.

    A categorisation raises a concern when it puts the school in a category of more concern than
    its previous one (the same category confirmed at the next review cycle, or a school coming out
    of an Ofsted category into requires improvement, is not news).
    """
    common = {"source_event_type": event.event_type, "source_event_id": source_event_id}
    if isinstance(event, InspectionRecorded):
        if event.category_of_concern:
            return SchoolConcern(
                urn=event.urn,
                kind=ConcernKind.OFSTED_CATEGORY_OF_CONCERN,
                concern_on=event.inspected_on,
                detail=f"Ofsted placed the school in {_words(event.category_of_concern)}",
                **common,
            )
        if event.below_good:
            judged = f" ({_words(event.headline_judgement)})" if event.headline_judgement else ""
            return SchoolConcern(
                urn=event.urn,
                kind=ConcernKind.INSPECTION_BELOW_GOOD,
                concern_on=event.inspected_on,
                detail=f"Ofsted judged the school below good{judged}",
                **common,
            )
        return None
    if isinstance(event, SchoolCategorised):
        level = _concern_level(event.category)
        if level == 0 or level <= _concern_level(event.previous_category):
            return None
        return SchoolConcern(
            urn=event.urn,
            kind=ConcernKind.COUNCIL_CATEGORY_OF_CONCERN,
            concern_on=event.categorised_on,
            detail=f"the council categorised the school as {_words(event.category)}",
            **common,
        )
    if isinstance(event, WarningNoticeGiven):
        return SchoolConcern(
            urn=event.urn,
            kind=ConcernKind.WARNING_NOTICE,
            concern_on=event.given_on,
            detail="the school was given a warning notice",
            **common,
        )
    return None
