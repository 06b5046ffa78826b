"""The schools and notices events the virtual school reacts to, as those services build them, read
back through this service's tolerant models (``foreign_events.py``): if either contract changes
shape, this fails here rather than an alert going missing in production."""

from __future__ import annotations

from datetime import date

from notices.domain.notice_content import NoticeContent
from notices.domain.recipients import Recipient, RecipientRole
from notices.domain.vocabulary import Ground
from notices.domain.warning_notice_events import WarningNoticeGiven
from pep.domain.foreign_events import ConcernKind, foreign_event_catalogue, school_concern_from
from schools.domain.categorisation import CouncilCategory, SchoolCategorised
from schools.domain.frameworks import CategoryOfConcern, Framework, InspectionType
from schools.domain.inspections import InspectionRecorded
from shared.events import Event


def read_back(event: Event) -> Event:
    return foreign_event_catalogue().decode(event.event_type, event.schema_version, event.to_data())


def test_an_inspection_placing_a_school_in_special_measures_is_a_category_of_concern() -> None:
    written = InspectionRecorded(
        urn="118001",
        inspection_id="INS-9",
        inspected_on=date(2023, 3, 8),
        inspection_type=InspectionType.GRADED,
        framework=Framework.SEPTEMBER_2012,
        overall_effectiveness="inadequate",
        judgements={},
        category_of_concern=CategoryOfConcern.SPECIAL_MEASURES,
        headline_judgement="inadequate",
        below_good=True,
    )
    concern = school_concern_from(read_back(written), "41")
    assert concern is not None
    assert (concern.urn, concern.kind, concern.concern_on) == (
        "118001",
        ConcernKind.OFSTED_CATEGORY_OF_CONCERN,
        date(2023, 3, 8),
    )
    assert concern.detail == "Ofsted placed the school in special measures"


def test_a_categorisation_into_requires_improvement_from_good_is_a_concern() -> None:
    written = SchoolCategorised(
        urn="118001",
        proposal_id="CP-1",
        category=CouncilCategory.REQUIRES_IMPROVEMENT,
        previous_category=CouncilCategory.GOOD,
        reasons=["results fell two years running"],
        proposed_by="sia-1",
        proposed_on=date(2023, 10, 2),
        approved_by="pa-1",
        categorised_on=date(2023, 10, 9),
        review_cycle="2023-autumn",
    )
    concern = school_concern_from(read_back(written), "42")
    assert concern is not None and concern.kind is ConcernKind.COUNCIL_CATEGORY_OF_CONCERN


def test_a_warning_notice_given_is_a_concern_from_the_day_it_was_given() -> None:
    written = WarningNoticeGiven(
        urn="118001",
        notice_id="WN-1",
        school_name="Hill Primary",
        given_on=date(2015, 6, 1),
        rules="pre_2016",
        content=NoticeContent(
            grounds=(Ground.LOW_STANDARDS,), concerns=("Results",), required_actions=("Improve results",)
        ),
        compliance_period_ends_on=date(2015, 6, 22),
        representations_allowed=True,
        representation_window_ends_on=date(2015, 6, 22),
        powers_lapse_on=date(2015, 8, 22),
        recipients=(Recipient(role=RecipientRole.GOVERNING_BODY, name="Governing body of Hill Primary"),),
    )
    concern = school_concern_from(read_back(written), "43")
    assert concern is not None
    assert (concern.kind, concern.concern_on) == (ConcernKind.WARNING_NOTICE, date(2015, 6, 1))
