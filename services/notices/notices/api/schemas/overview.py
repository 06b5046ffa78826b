"""Response bodies of the questions across schools: schools causing concern, deadlines ahead."""

from __future__ import annotations

from datetime import date

from shared.web.paging import Page
from notices.api.schemas.common import Public
from notices.domain.across_schools import ConcernStage
from notices.domain.vocabulary import Power


class SchoolCausingConcernPublic(Public):
    urn: str
    school_name: str
    stage: ConcernStage
    since: date
    notice_id: str | None
    powers_available: list[Power]


class SchoolsCausingConcern(Page[SchoolCausingConcernPublic]):
    """Every school causing concern today, in one page, most serious first."""


class UpcomingDeadlinePublic(Public):
    kind: str
    urn: str
    school_name: str
    reference: str
    due_on: date
    fires_on: date
    description: str


class UpcomingDeadlinesPublic(Page[UpcomingDeadlinePublic]):
    """Every deadline due in the window, in one page, soonest first."""

    today: date
    until: date
    working_days: int
