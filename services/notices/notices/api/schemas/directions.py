"""Request and response bodies of the Secretary of State's directions."""

from __future__ import annotations

from datetime import date

from pydantic import ConfigDict, Field

from shared.text import Narrative, NarrativeOrEmpty
from shared.urn import Urn
from shared.web.paging import Page
from notices.api.schemas.common import Body, DeadlinePublic, Public, deadlines_public
from notices.domain import direction as sos


class DirectionCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "urn": "118236",
                    "given_on": "2026-10-01",
                    "specified_terms": (
                        "The council is to give the governing body a warning notice on the ground of low "
                        "standards, requiring a plan to raise attainment in reading and mathematics."
                    ),
                },
            ]
        }
    )

    urn: Urn
    given_on: date
    specified_terms: Narrative = Field(description="The terms the direction specifies for the notice")


class DirectionResponseCreate(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"responded_on": "2026-10-08", "will_give_notice": True},
                {
                    "responded_on": "2026-10-08",
                    "will_give_notice": False,
                    "reasons": (
                        "The school joined a multi-academy trust on 1 October 2026; the council no "
                        "longer maintains it."
                    ),
                },
            ]
        }
    )

    responded_on: date
    will_give_notice: bool
    reasons: NarrativeOrEmpty = Field(
        default="", description="Required when the council will not give the notice"
    )


class DirectionToGiveCreate(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"directed_on": "2026-10-20"}]})

    directed_on: date


class DirectionPublic(Public):
    direction_id: str
    urn: str
    given_on: date
    specified_terms: str
    response_due_on: date | None
    responded_on: date | None
    will_give_notice: bool | None
    reasons: str
    directed_to_give_on: date | None
    notice_due_on: date | None
    notice_id: str | None
    notice_given_on: date | None
    response_overdue: bool
    notice_overdue: bool
    pending_deadlines: list[DeadlinePublic]
    version: int

    @classmethod
    def of(cls, state: sos.Direction, version: int) -> DirectionPublic:
        return cls(
            **{
                k: getattr(state, k)
                for k in (
                    "direction_id",
                    "urn",
                    "given_on",
                    "specified_terms",
                    "response_due_on",
                    "responded_on",
                    "will_give_notice",
                    "reasons",
                    "directed_to_give_on",
                    "notice_due_on",
                    "notice_id",
                    "notice_given_on",
                )
            },
            response_overdue=state.response_overdue_recorded,
            notice_overdue=state.notice_overdue_recorded,
            pending_deadlines=deadlines_public(sos.pending_deadlines(state)),
            version=version,
        )


class DirectionSummaryPublic(Public):
    direction_id: str
    urn: str | None
    given_on: date | None
    response_due_on: date | None


class DirectionList(Page[DirectionSummaryPublic]):
    """Directions, newest first (by the day given, then id), a page at a time."""
