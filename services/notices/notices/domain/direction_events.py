"""Events of a Secretary of State's direction stream (``direction-<direction id>``): the public
contract."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from .dates import first_day_after
from .event_base import SchoolEvent


class DirectionToConsiderWarningNoticeReceived(SchoolEvent):
    event_type: ClassVar[str] = "DirectionToConsiderWarningNoticeReceived"

    direction_id: str
    given_on: date
    specified_terms: str
    response_due_on: date
    """The last of the 10 working days beginning with ``given_on``."""

    def effective_on(self) -> date | None:
        return self.given_on


class DirectionResponded(SchoolEvent):
    event_type: ClassVar[str] = "DirectionResponded"

    direction_id: str
    responded_on: date
    will_give_notice: bool
    reasons: str
    on_time: bool
    notice_due_on: date | None
    """When the council will give the notice: the fifth working day following the response."""

    def effective_on(self) -> date | None:
        return self.responded_on


class DirectedToGiveWarningNotice(SchoolEvent):
    """Having read the council's reasons for not giving the notice, the Secretary of State directs
    it to give the notice in the specified terms."""

    event_type: ClassVar[str] = "DirectedToGiveWarningNotice"

    direction_id: str
    directed_on: date
    notice_due_on: date
    """The last of the five working days beginning with ``directed_on``."""

    def effective_on(self) -> date | None:
        return self.directed_on


class DirectedWarningNoticeGiven(SchoolEvent):
    event_type: ClassVar[str] = "DirectedWarningNoticeGiven"

    direction_id: str
    notice_id: str
    given_on: date
    on_time: bool

    def effective_on(self) -> date | None:
        return self.given_on


class DirectionResponseOverdue(SchoolEvent):
    """Deadline: no response by the last day for it."""

    event_type: ClassVar[str] = "DirectionResponseOverdue"

    direction_id: str
    due_on: date

    def effective_on(self) -> date | None:
        return first_day_after(self.due_on)


class DirectedWarningNoticeOverdue(SchoolEvent):
    """Deadline: the notice the council agreed or was directed to give was not given in time."""

    event_type: ClassVar[str] = "DirectedWarningNoticeOverdue"

    direction_id: str
    due_on: date

    def effective_on(self) -> date | None:
        return first_day_after(self.due_on)


DIRECTION_EVENTS = (
    DirectionToConsiderWarningNoticeReceived,
    DirectionResponded,
    DirectedToGiveWarningNotice,
    DirectedWarningNoticeGiven,
    DirectionResponseOverdue,
    DirectedWarningNoticeOverdue,
)
