"""The data protection officer's rules, given events / when command / then events: the retention
schedule and when a child's records fall due under it, legal holds, and when an erasure may be
recorded."""

from __future__ import annotations

from datetime import date

import pytest

from shared.errors import Conflict, InvalidInput, NotFound
from shared.privacy.events import LegalHoldLifted, LegalHoldPlaced, PersonalDataErased

from event_log.domain import protection, retention
from event_log.domain.protection import (
    NO_RECORD,
    ErasePersonalData,
    ErasureRule,
    LiftLegalHold,
    PlaceLegalHold,
    due_for_erasure,
    erase_personal_data,
    lift_legal_hold,
    place_legal_hold,
)
from event_log.domain.refusals import LegalHoldInForce, RetentionNotDue
from event_log.domain.retention import (
    CARE_PLANNING_REGULATIONS_2010,
    DEFAULT_RETENTION_SCHEDULE,
    IRMS_SCHOOLS_TOOLKIT,
    NO_SCHEDULES,
    ChildRecord,
    CountedFrom,
    RecordKind,
    RetentionRule,
    RetentionSchedule,
    RetentionScheduleSet,
    SetRetentionSchedule,
    child_record,
)

LAC, PLAC = RecordKind.LOOKED_AFTER_CHILD, RecordKind.PREVIOUSLY_LOOKED_AFTER_CHILD
SUBJECT = "child:C1"


def looked_after(born: date | None = date(1951, 5, 17), left_care_on: date | None = None, child_id="C1"):
    return ChildRecord(child_id, LAC, born, left_care_on)


def previously_looked_after(born: date | None = date(2001, 3, 4), child_id="C2"):
    return ChildRecord(child_id, PLAC, born, date(2009, 6, 1))


def council_schedule(
    effective_from: date, lac_years: int = 80, plac_from=CountedFrom.DATE_OF_BIRTH, plac_years=25
):
    return RetentionSchedule(
        effective_from=effective_from,
        rules=(
            RetentionRule(
                record=LAC, keep_for_years=lac_years, counted_from=CountedFrom.DATE_OF_BIRTH, source="Council"
            ),
            RetentionRule(record=PLAC, keep_for_years=plac_years, counted_from=plac_from, source="Council"),
        ),
    )


def schedules_after(*events):
    state = NO_SCHEDULES
    for event in events:
        state = retention.evolve(state, event)
    return state


def record_after(*events):
    state = NO_RECORD
    for event in events:
        state = protection.evolve(state, event)
    return state


def hold(hold_id="H1", on=date(2026, 1, 5)):
    return LegalHoldPlaced(subject=SUBJECT, hold_id=hold_id, placed_on=on, reason="Claim 2026-0142")


def lifted(hold_id="H1", on=date(2026, 6, 1)):
    return LegalHoldLifted(subject=SUBJECT, hold_id=hold_id, lifted_on=on, reason="Claim settled")


def erase(rule=ErasureRule.LOOKED_AFTER_CHILD, on=date(2026, 11, 2), reason="Retention period ended"):
    return ErasePersonalData(subject=SUBJECT, rule=rule, reason=reason, erased_on=on)


# -- the default schedule and due dates -------------------------------------------------------


def test_the_default_keeps_a_looked_after_childs_records_to_their_75th_birthday_under_the_2010_regulations():
    rule = DEFAULT_RETENTION_SCHEDULE.rule_for(LAC)
    assert (rule.keep_for_years, rule.counted_from) == (75, CountedFrom.DATE_OF_BIRTH)
    assert "regulation 50" in rule.source and rule.source == CARE_PLANNING_REGULATIONS_2010
    assert rule.due_on(looked_after(date(2013, 2, 17))) == date(2088, 2, 17)


def test_the_default_keeps_a_previously_looked_after_childs_records_to_date_of_birth_plus_25_years():
    rule = DEFAULT_RETENTION_SCHEDULE.rule_for(PLAC)
    assert rule.source == IRMS_SCHOOLS_TOOLKIT
    assert rule.due_on(previously_looked_after(date(2001, 3, 4))) == date(2026, 3, 4)


def test_a_child_born_on_29_february_falls_due_on_1_march_when_the_year_has_none():
    assert retention.anniversary(date(2008, 2, 29), 25) == date(2033, 3, 1)
    assert retention.anniversary(date(2008, 2, 29), 24) == date(2032, 2, 29)


def test_a_rule_counted_from_leaving_care_has_no_due_date_while_the_child_is_in_care():
    rule = RetentionRule(record=LAC, keep_for_years=15, counted_from=CountedFrom.LEFT_CARE, source="Council")
    assert rule.due_on(looked_after(left_care_on=None)) is None
    assert rule.due_on(looked_after(left_care_on=date(2020, 8, 31))) == date(2035, 8, 31)


def test_no_rule_applies_to_a_child_never_in_care_nor_registered():
    assert DEFAULT_RETENTION_SCHEDULE.falls_due(ChildRecord("C9")) is None


# -- what the schedule reads of a child ---------------------------------------------------------


def test_a_child_who_ever_entered_care_is_a_looked_after_childs_record_and_the_last_date_of_birth_counts():
    child = child_record(
        "C1",
        [
            ("ChildEnteredCare", {"date_of_birth": "2013-02-17", "entered_care_on": "2020-01-06"}),
            ("ChildLeftCare", {"left_care_on": "2022-03-01", "previously_looked_after": True}),
            ("ChildDetailsCorrected", {"date_of_birth": "2013-02-18"}),
            ("PreviouslyLookedAfterChildRegistered", {"date_of_birth": None, "left_care_on": "2022-03-01"}),
        ],
    )
    assert child == ChildRecord("C1", LAC, date(2013, 2, 18), date(2022, 3, 1))


def test_coming_back_into_care_means_the_child_has_not_left_it():
    child = child_record(
        "C1",
        [
            ("ChildEnteredCare", {"date_of_birth": "2013-02-17"}),
            ("ChildLeftCare", {"left_care_on": "2022-03-01"}),
            ("ChildEnteredCare", {"date_of_birth": "2013-02-17"}),
        ],
    )
    assert child.left_care_on is None


def test_a_child_registered_for_advice_only_is_a_previously_looked_after_childs_record():
    child = child_record(
        "C2",
        [
            (
                "PreviouslyLookedAfterChildRegistered",
                {"date_of_birth": "2001-03-04", "left_care_on": "2009-06-01"},
            )
        ],
    )
    assert child == ChildRecord("C2", PLAC, date(2001, 3, 4), date(2009, 6, 1))


def test_once_erased_the_date_of_birth_reads_as_unknown():
    child = child_record("C1", [("ChildEnteredCare", {"date_of_birth": None})])
    assert child.kind is LAC and child.date_of_birth is None


# -- versions of the schedule ------------------------------------------------------------------


def test_setting_a_version_records_it_and_setting_it_again_records_nothing():
    version = council_schedule(date(2027, 4, 1))
    [event] = retention.decide(SetRetentionSchedule(schedule=version, set_on=date(2026, 11, 2)), NO_SCHEDULES)
    assert event == RetentionScheduleSet(
        effective_from=date(2027, 4, 1), rules=version.rules, set_on=date(2026, 11, 2)
    )
    assert (
        retention.decide(
            SetRetentionSchedule(schedule=version, set_on=date(2026, 11, 3)), schedules_after(event)
        )
        == []
    )


def test_the_councils_version_replaces_the_default_from_its_effective_date():
    schedules = schedules_after(
        RetentionScheduleSet(
            effective_from=date(2027, 4, 1),
            rules=council_schedule(date(2027, 4, 1)).rules,
            set_on=date(2026, 11, 2),
        )
    )
    assert schedules.in_force_on(date(2027, 3, 31)) == DEFAULT_RETENTION_SCHEDULE
    assert schedules.in_force_on(date(2027, 4, 1)).rule_for(LAC).keep_for_years == 80
    child = looked_after(date(1952, 5, 17))  # 75 on 17 May 2027, 80 in 2032
    assert due_for_erasure([child], {}, schedules, date(2027, 3, 31)) == []
    assert due_for_erasure([child], {}, schedules, date(2027, 6, 1)) == []
    assert [d.due_on for d in due_for_erasure([child], {}, schedules, date(2032, 5, 17))] == [
        date(2032, 5, 17)
    ]
    # Before the council's version, the default: due on the 75th birthday.
    born_earlier = looked_after(date(1951, 12, 1))
    [due] = due_for_erasure([born_earlier], {}, schedules, date(2027, 1, 4))
    assert (due.due_on, due.rule) == (date(2026, 12, 1), DEFAULT_RETENTION_SCHEDULE.rule_for(LAC))


def test_a_later_version_for_the_same_day_replaces_the_earlier_one():
    first = council_schedule(date(2027, 4, 1), lac_years=80)
    second = council_schedule(date(2027, 4, 1), lac_years=85)
    schedules = schedules_after(
        RetentionScheduleSet(effective_from=date(2027, 4, 1), rules=first.rules, set_on=date(2026, 11, 2)),
        RetentionScheduleSet(effective_from=date(2027, 4, 1), rules=second.rules, set_on=date(2026, 11, 9)),
    )
    assert schedules.in_order() == (second,)


def test_a_schedule_needs_one_rule_for_each_kind_of_record_and_a_source_for_each():
    lac = DEFAULT_RETENTION_SCHEDULE.rule_for(LAC)
    with pytest.raises(InvalidInput) as missing:
        RetentionSchedule(effective_from=date(2027, 4, 1), rules=(lac,))
    assert (missing.value.field, "previously_looked_after_child" in missing.value.detail) == ("rules", True)
    with pytest.raises(InvalidInput) as twice:
        RetentionSchedule(effective_from=date(2027, 4, 1), rules=(lac, lac))
    assert twice.value.field == "rules[1].record"
    blank = lac.model_copy(update={"source": "  "})
    with pytest.raises(InvalidInput) as unsourced:
        RetentionSchedule(
            effective_from=date(2027, 4, 1), rules=(blank, DEFAULT_RETENTION_SCHEDULE.rule_for(PLAC))
        )
    assert unsourced.value.field == "rules[0].source"


def test_a_version_says_from_when_it_is_in_force():
    with pytest.raises(InvalidInput) as undated:
        retention.decide(
            SetRetentionSchedule(schedule=DEFAULT_RETENTION_SCHEDULE, set_on=date(2026, 11, 2)), NO_SCHEDULES
        )
    assert undated.value.field == "effective_from"


# -- legal holds -------------------------------------------------------------------------------


def test_a_legal_hold_is_placed_and_lifted_and_a_child_may_have_several():
    [placed] = place_legal_hold(
        PlaceLegalHold(subject=SUBJECT, hold_id="H2", reason=" Complaint 88 ", placed_on=date(2026, 2, 1)),
        record_after(hold("H1")),
    )
    assert placed == LegalHoldPlaced(
        subject=SUBJECT, hold_id="H2", placed_on=date(2026, 2, 1), reason="Complaint 88"
    )
    record = record_after(hold("H1"), placed)
    assert [h.hold_id for h in record.holds_in_force] == ["H1", "H2"]
    [lift] = lift_legal_hold(
        LiftLegalHold(subject=SUBJECT, hold_id="H1", reason="Settled", lifted_on=date(2026, 6, 1)), record
    )
    assert [h.hold_id for h in record_after(hold("H1"), placed, lift).holds_in_force] == ["H2"]


def test_a_hold_is_lifted_once_and_only_a_hold_that_exists():
    record = record_after(hold("H1"), lifted("H1"))
    with pytest.raises(Conflict) as again:
        lift_legal_hold(
            LiftLegalHold(subject=SUBJECT, hold_id="H1", reason="x", lifted_on=date(2026, 7, 1)), record
        )
    assert again.value.field == "hold_id"
    with pytest.raises(NotFound) as unknown:
        lift_legal_hold(
            LiftLegalHold(subject=SUBJECT, hold_id="H9", reason="x", lifted_on=date(2026, 7, 1)), record
        )
    assert unknown.value.field == "hold_id"


def test_a_hold_and_a_lift_say_why():
    with pytest.raises(InvalidInput) as blank:
        place_legal_hold(
            PlaceLegalHold(subject=SUBJECT, hold_id="H1", reason="  ", placed_on=date(2026, 1, 5)), NO_RECORD
        )
    assert blank.value.field == "reason"


def test_no_hold_is_placed_once_the_child_is_erased():
    erased = PersonalDataErased(
        subject=SUBJECT, erased_on=date(2026, 11, 2), rule="erasure_request", reason="Art 17"
    )
    with pytest.raises(Conflict) as refused:
        place_legal_hold(
            PlaceLegalHold(subject=SUBJECT, hold_id="H1", reason="Claim", placed_on=date(2026, 11, 3)),
            record_after(erased),
        )
    assert refused.value.problem_type == "personal-data-erased"


# -- erasure -----------------------------------------------------------------------------------


def test_an_erasure_under_a_rule_fallen_due_is_recorded_with_its_rule_and_reason():
    [event] = erase_personal_data(erase(), NO_RECORD, child=looked_after(), schedules=NO_SCHEDULES)
    assert event == PersonalDataErased(
        subject=SUBJECT,
        erased_on=date(2026, 11, 2),
        rule="looked_after_child",
        reason="Retention period ended",
    )
    assert record_after(event).erasure.rule == "looked_after_child"


def test_an_erasure_is_refused_while_a_legal_hold_is_in_force_and_allowed_once_it_is_lifted():
    with pytest.raises(LegalHoldInForce) as held:
        erase_personal_data(erase(), record_after(hold("H1")), child=looked_after(), schedules=NO_SCHEDULES)
    assert "H1" in held.value.detail and held.value.status == 409
    assert erase_personal_data(
        erase(), record_after(hold("H1"), lifted("H1")), child=looked_after(), schedules=NO_SCHEDULES
    )


def test_a_hold_stops_even_an_erasure_the_child_asked_for():
    with pytest.raises(LegalHoldInForce):
        erase_personal_data(
            erase(ErasureRule.ERASURE_REQUEST),
            record_after(hold()),
            child=looked_after(),
            schedules=NO_SCHEDULES,
        )


def test_an_erasure_under_a_rule_not_yet_due_is_refused_naming_the_day_it_falls_due():
    young = looked_after(date(2013, 2, 17))
    with pytest.raises(RetentionNotDue) as early:
        erase_personal_data(erase(), NO_RECORD, child=young, schedules=NO_SCHEDULES)
    assert "2088-02-17" in early.value.detail and early.value.field == "rule"
    # The child's right to erasure is not a retention period: it does not wait for one.
    assert erase_personal_data(
        erase(ErasureRule.ERASURE_REQUEST), NO_RECORD, child=young, schedules=NO_SCHEDULES
    )


def test_an_erasure_names_the_rule_the_childs_records_are_kept_under():
    with pytest.raises(RetentionNotDue) as other_rule:
        erase_personal_data(
            erase(ErasureRule.PREVIOUSLY_LOOKED_AFTER_CHILD),
            NO_RECORD,
            child=looked_after(),
            schedules=NO_SCHEDULES,
        )
    assert "kept under looked_after_child" in other_rule.value.detail
    with pytest.raises(RetentionNotDue):
        erase_personal_data(erase(), NO_RECORD, child=ChildRecord("C1"), schedules=NO_SCHEDULES)
    with pytest.raises(RetentionNotDue) as unknown_birth:
        erase_personal_data(erase(), NO_RECORD, child=looked_after(born=None), schedules=NO_SCHEDULES)
    assert "date of birth" in unknown_birth.value.detail


def test_the_schedule_in_force_on_the_day_of_erasure_decides_whether_it_is_due():
    child = looked_after(date(1951, 5, 17))  # 75 in May 2026, 80 in 2031
    schedules = schedules_after(
        RetentionScheduleSet(
            effective_from=date(2026, 9, 1),
            rules=council_schedule(date(2026, 9, 1)).rules,
            set_on=date(2026, 8, 1),
        )
    )
    assert erase_personal_data(erase(on=date(2026, 8, 31)), NO_RECORD, child=child, schedules=schedules)
    with pytest.raises(RetentionNotDue) as longer_now:
        erase_personal_data(erase(on=date(2026, 11, 2)), NO_RECORD, child=child, schedules=schedules)
    assert "2031-05-17" in longer_now.value.detail


def test_an_erased_child_is_not_erased_again():
    erased = PersonalDataErased(
        subject=SUBJECT, erased_on=date(2026, 11, 2), rule="erasure_request", reason="Art 17"
    )
    with pytest.raises(Conflict) as again:
        erase_personal_data(erase(), record_after(erased), child=looked_after(), schedules=NO_SCHEDULES)
    assert again.value.problem_type == "personal-data-erased"


def test_an_erasure_says_why():
    with pytest.raises(InvalidInput) as blank:
        erase_personal_data(erase(reason=" "), NO_RECORD, child=looked_after(), schedules=NO_SCHEDULES)
    assert blank.value.field == "reason"


def test_every_kind_of_record_is_a_rule_an_erasure_may_name():
    assert {kind.value for kind in RecordKind} | {"erasure_request"} == {rule.value for rule in ErasureRule}


# -- who is due ----------------------------------------------------------------------------------


def test_the_due_list_holds_children_due_by_that_day_with_their_holds_and_never_the_erased():
    due_lac = looked_after(date(1950, 1, 10), child_id="C1")
    due_plac = previously_looked_after(date(2001, 3, 4), child_id="C2")
    young = looked_after(date(2013, 2, 17), child_id="C3")
    erased = looked_after(date(1949, 1, 1), child_id="C4")
    never_in_care = ChildRecord("C5")
    records = {
        "child:C1": record_after(hold("H1")),
        "child:C4": record_after(
            PersonalDataErased(
                subject="child:C4", erased_on=date(2026, 1, 1), rule="looked_after_child", reason="due"
            )
        ),
    }
    due = due_for_erasure(
        [young, due_plac, erased, due_lac, never_in_care], records, NO_SCHEDULES, date(2026, 11, 2)
    )
    assert [(d.child_id, d.rule.record, d.due_on, d.holds_in_force) for d in due] == [
        ("C1", LAC, date(2025, 1, 10), ("H1",)),
        ("C2", PLAC, date(2026, 3, 4), ()),
    ]
    assert due[0].held and not due[1].held
    assert due_for_erasure([due_plac], {}, NO_SCHEDULES, date(2026, 3, 3)) == []
