"""The Secretary of State's warning notices (s60 as amended by the Education and Adoption Act 2016):
given events, when a command, then events or a refusal naming the field.

* supersession, s60(4B): a Secretary of State's notice ends the council's earlier notice;
* the bar, s60(4A): once told, the council may not give its own until the Secretary of State
  permits it;
* the rule book: the Secretary of State gives no notices before 18 April 2016, and nothing is
  processed before Part 4 came into force.
"""

from datetime import date

import pytest
from notices.domain.notice_content import NoticeContent
from notices.domain.recipients import RecipientRole
from notices.domain.refusals import OutsideStatutoryPeriod, SecretaryOfStateNoticeStands
from notices.domain.rules import DEFAULT_RULE_BOOK, PART_4_IN_FORCE_FROM
from notices.domain.school_facts import SchoolFacts
from notices.domain.secretary_of_state_notices import (
    NO_SECRETARY_OF_STATE_NOTICES,
    CouncilPermittedToGiveWarningNotice,
    RecordCouncilPermittedToGiveWarningNotice,
    RecordSecretaryOfStateWarningNotice,
    SecretaryOfStateWarningNoticeRecorded,
    decide,
    evolve,
)
from notices.domain.vocabulary import CompliancePeriod, Ground, NoticeGiver
from notices.domain.warning_notice import (
    NO_NOTICE,
    GiveWarningNotice,
    NoticeStage,
    RecordComplianceJudgement,
    deadlines_due,
)
from notices.domain.warning_notice import decide as decide_notice
from notices.domain.warning_notice import evolve as evolve_notice
from notices.domain.warning_notice_events import (
    WarningNoticeDrafted,
    WarningNoticeGiven,
    WarningNoticeSuperseded,
)

from shared import calendar
from shared.errors import Conflict, InvalidInput

URN = "118001"
HARBOUR = SchoolFacts(
    urn=URN, name="Harbour Primary School", establishment_type="Community school", headteacher="Ms A Patel"
)
CONTENT = NoticeContent(
    grounds=(Ground.LOW_STANDARDS,),
    concerns=("Key stage 2 results well below comparable schools for three years.",),
    required_actions=("Adopt an improvement plan agreed with the council.",),
    compliance_period=CompliancePeriod(working_days=20),
)
GIVER = "Regional Director, South East"
TODAY = date(2024, 6, 28)


def fold(evolve_fn, initial, *events):
    state = initial
    for event in events:
        state = evolve_fn(state, event)
    return state


def council_notice(notice_id="WN1", given_on=date(2024, 1, 8)):
    """The council's notice ``notice_id`` given on ``given_on``, as folded."""
    drafted = WarningNoticeDrafted(
        urn=URN, notice_id=notice_id, school_name=HARBOUR.name, drafted_on=date(2024, 1, 2), content=CONTENT
    )
    state = evolve_notice(NO_NOTICE, drafted)
    return fold(evolve_notice, state, *give(notice_id, given_on, state))


def give(notice_id, given_on, state, secretary_of_state=NO_SECRETARY_OF_STATE_NOTICES):
    return decide_notice(
        GiveWarningNotice(notice_id=notice_id, given_on=given_on),
        state,
        school=HARBOUR,
        today=TODAY,
        rules=DEFAULT_RULE_BOOK,
        calendar=calendar,
        secretary_of_state=secretary_of_state,
    )


def record(
    state=NO_SECRETARY_OF_STATE_NOTICES, council=(), given_on=date(2024, 1, 19), told_on=date(2024, 1, 22)
):
    return decide(
        RecordSecretaryOfStateWarningNotice(
            urn=URN,
            notice_id="SN1",
            giver_name=GIVER,
            given_on=given_on,
            told_on=told_on,
            grounds=(Ground.LOW_STANDARDS,),
            compliance_period=CompliancePeriod(ends_on=date(2024, 3, 1)),
        ),
        state,
        school=HARBOUR,
        today=TODAY,
        rules=DEFAULT_RULE_BOOK,
        calendar=calendar,
        council_notices=council,
    )


def recorded_sos_notice(**changes):
    [event] = record(**changes).recorded
    return fold(evolve, NO_SECRETARY_OF_STATE_NOTICES, event)


def test_a_secretary_of_state_notice_supersedes_the_councils_earlier_notice():
    earlier = council_notice()
    decided = record(council=[earlier])
    [recorded] = decided.recorded
    assert isinstance(recorded, SecretaryOfStateWarningNoticeRecorded)
    assert recorded.given_by is NoticeGiver.SECRETARY_OF_STATE and recorded.giver_name == GIVER
    assert recorded.superseded_notice_ids == ("WN1",)
    assert [c.role for c in recorded.copies] == [
        RecipientRole.GOVERNING_BODY,
        RecipientRole.HEADTEACHER,
        RecipientRole.LOCAL_AUTHORITY,
    ]
    [ended] = decided.superseded
    assert (ended.notice_id, ended.ended_on, ended.superseded_by) == ("WN1", date(2024, 1, 19), "SN1")
    assert "s60(4B)" in ended.reason

    after = evolve_notice(earlier, ended)
    assert after.stage is NoticeStage.SUPERSEDED
    # Its compliance period would have ended on 5 February: nothing fires, nothing is judged.
    assert deadlines_due(after, date(2024, 2, 6)) == []
    with pytest.raises(Conflict) as refused:
        decide_notice(
            RecordComplianceJudgement(
                notice_id="WN1", judged_on=date(2024, 2, 6), complied=False, evidence="x"
            ),
            after,
            school=HARBOUR,
            today=TODAY,
            rules=DEFAULT_RULE_BOOK,
            calendar=calendar,
        )
    assert refused.value.field == "notice_id"


def test_a_council_notice_given_after_the_secretary_of_states_or_already_ended_is_not_superseded_again():
    later = council_notice(given_on=date(2024, 1, 22))
    already_ended = evolve_notice(
        council_notice("WN2"),
        WarningNoticeSuperseded(
            urn=URN,
            notice_id="WN2",
            ended_on=date(2023, 12, 1),
            superseded_by="SN0",
            superseded_by_giver=GIVER,
            reason="An earlier notice of the Secretary of State's.",
        ),
    )
    assert record(council=[later, already_ended]).superseded == []


def test_a_council_notice_is_refused_while_a_secretary_of_states_notice_stands():
    drafted = evolve_notice(
        NO_NOTICE,
        WarningNoticeDrafted(
            urn=URN, notice_id="WN3", school_name=HARBOUR.name, drafted_on=date(2024, 1, 2), content=CONTENT
        ),
    )
    standing = recorded_sos_notice()
    # Told on 22 January: the council's notice of that day is barred, whatever its own date.
    with pytest.raises(SecretaryOfStateNoticeStands) as refused:
        give("WN3", date(2024, 1, 22), drafted, standing)
    assert refused.value.field == "given_on"
    assert "2024-01-22" in refused.value.detail and "s60(4A)" in refused.value.detail
    # The bar does not end with the Secretary of State's compliance period.
    with pytest.raises(SecretaryOfStateNoticeStands):
        give("WN3", date(2024, 3, 4), drafted, standing)


def test_the_secretary_of_states_permission_lifts_the_bar_until_the_next_notice():
    drafted = evolve_notice(
        NO_NOTICE,
        WarningNoticeDrafted(
            urn=URN, notice_id="WN3", school_name=HARBOUR.name, drafted_on=date(2024, 1, 2), content=CONTENT
        ),
    )
    standing = recorded_sos_notice()
    permitted = decide(
        RecordCouncilPermittedToGiveWarningNotice(urn=URN, permitted_on=date(2024, 3, 4), permitted_by=GIVER),
        standing,
        school=HARBOUR,
        today=TODAY,
        rules=DEFAULT_RULE_BOOK,
        calendar=calendar,
    )
    assert permitted.recorded == [
        CouncilPermittedToGiveWarningNotice(urn=URN, permitted_on=date(2024, 3, 4), permitted_by=GIVER)
    ]
    lifted = fold(evolve, standing, *permitted.recorded)
    [given, *_] = give("WN3", date(2024, 3, 4), drafted, lifted)
    assert isinstance(given, WarningNoticeGiven) and given.given_by is NoticeGiver.COUNCIL
    # Before the permission the bar stood.
    with pytest.raises(SecretaryOfStateNoticeStands):
        give("WN3", date(2024, 3, 1), drafted, lifted)


def test_a_permission_needs_a_secretary_of_states_notice_to_lift():
    with pytest.raises(Conflict):
        decide(
            RecordCouncilPermittedToGiveWarningNotice(
                urn=URN, permitted_on=date(2024, 3, 4), permitted_by=GIVER
            ),
            NO_SECRETARY_OF_STATE_NOTICES,
            school=HARBOUR,
            today=TODAY,
            rules=DEFAULT_RULE_BOOK,
            calendar=calendar,
        )


def test_a_council_notice_recorded_late_and_given_before_a_recorded_secretary_of_states_notice_is_ended_at_once():
    drafted = evolve_notice(
        NO_NOTICE,
        WarningNoticeDrafted(
            urn=URN, notice_id="WN4", school_name=HARBOUR.name, drafted_on=date(2024, 1, 2), content=CONTENT
        ),
    )
    events = give("WN4", date(2024, 1, 10), drafted, recorded_sos_notice())
    assert isinstance(events[-1], WarningNoticeSuperseded)
    assert (events[-1].ended_on, events[-1].superseded_by) == (date(2024, 1, 19), "SN1")


def test_the_secretary_of_state_gives_no_warning_notice_before_18_april_2016():
    with pytest.raises(OutsideStatutoryPeriod) as refused:
        record(given_on=date(2016, 4, 15), told_on=date(2016, 4, 20))
    assert refused.value.field == "given_on" and "18 April 2016" in refused.value.detail
    assert (
        recorded_sos_notice(given_on=date(2016, 4, 18), told_on=date(2016, 4, 20)).notices[0].rules
        == "eaa2016"
    )


def test_the_council_is_told_on_or_after_the_day_the_notice_was_given():
    with pytest.raises(InvalidInput) as refused:
        record(given_on=date(2024, 1, 19), told_on=date(2024, 1, 18))
    assert refused.value.field == "told_on"


def test_nothing_is_processed_before_part_4_came_into_force():
    assert DEFAULT_RULE_BOOK.in_force_on(PART_4_IN_FORCE_FROM).key == "eia2006"
    with pytest.raises(OutsideStatutoryPeriod) as refused:
        DEFAULT_RULE_BOOK.in_force_on(date(2007, 3, 31), field="started_on")
    assert refused.value.field == "started_on"
    assert (
        "2007-04-01" in refused.value.detail and "Education and Inspections Act 2006" in refused.value.detail
    )
