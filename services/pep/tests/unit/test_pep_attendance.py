"""The attendance rules (domain.md section 6), each test naming the rule it proves: the codes and
their kinds by date, the measures at the 10% and 50% boundaries (worked out by hand in whole
sessions), each alert raised once, and the intake's line checks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from pep.domain import attendance
from pep.domain.attendance import (
    AbsenceThreshold,
    AttendanceRecorded,
    AttendanceThresholdCrossed,
    ChildPossiblyMissingEducation,
    GivenMark,
    MeasurePeriod,
    RecordAttendance,
    SessionCounts,
    UnexplainedAbsencesInARow,
)
from pep.domain.attendance_codes import AttendanceKind, code_on
from pep.domain.attendance_intake import IntakeLine, LineProblem, csv_lines
from pep.domain.attendance_policy import DEFAULT_ATTENDANCE_POLICY, AttendancePolicies, AttendancePolicy
from shared.errors import InvalidInput

POLICY = DEFAULT_ATTENDANCE_POLICY.in_force_on(date(2024, 9, 1))
HOME = "118001"
AUTUMN_2024_START = date(2024, 9, 3)  # the 2nd is an INSET day (closure)


def school_days(first: date, count: int) -> list[date]:
    days, day = [], first
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def marks(codes_by_day: list[tuple[date, str, str]]) -> tuple[GivenMark, ...]:
    return tuple(
        GivenMark(on=day, session=attendance.Session(session), code=code) for day, session, code in codes_by_day
    )


def sessions(first: date, codes: list[str]) -> list[tuple[date, str, str]]:
    """Codes for consecutive sessions from the morning of ``first``, school days only."""
    days = school_days(first, (len(codes) + 1) // 2)
    return [(days[i // 2], "am" if i % 2 == 0 else "pm", code) for i, code in enumerate(codes)]


def record(state, given, term_dates, received_on=date(2024, 12, 20), policies=DEFAULT_ATTENDANCE_POLICY):
    command = RecordAttendance(
        child_id="C1", urn=HOME, source="school_file", received_on=received_on, marks=marks(given)
    )
    events = attendance.decide(command, state, policies=policies, calendar=term_dates)
    return attendance.fold(events, state), events


# --- the codes ----------------------------------------------------------------------------------


def test_the_2024_regulations_codes_apply_from_19_august_2024_and_the_withdrawn_h_only_before():
    assert code_on("H", date(2024, 8, 16)).kind is AttendanceKind.AUTHORISED_ABSENCE
    with pytest.raises(InvalidInput):
        code_on("H", date(2024, 8, 19))
    with pytest.raises(InvalidInput):
        code_on("J1", date(2024, 8, 16))
    assert code_on("J1", date(2024, 8, 19)).kind is AttendanceKind.AUTHORISED_ABSENCE
    # J (interview) counted as an approved educational activity before 2024; J1 is leave of absence.
    assert code_on("J", date(2023, 1, 9)).kind is AttendanceKind.APPROVED_EDUCATIONAL_ACTIVITY


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("/", AttendanceKind.PRESENT), ("\\", AttendanceKind.PRESENT), ("L", AttendanceKind.PRESENT),
        ("K", AttendanceKind.APPROVED_EDUCATIONAL_ACTIVITY), ("B", AttendanceKind.APPROVED_EDUCATIONAL_ACTIVITY),
        ("C2", AttendanceKind.AUTHORISED_ABSENCE), ("I", AttendanceKind.AUTHORISED_ABSENCE),
        ("E", AttendanceKind.AUTHORISED_ABSENCE), ("N", AttendanceKind.UNAUTHORISED_ABSENCE),
        ("U", AttendanceKind.UNAUTHORISED_ABSENCE), ("G", AttendanceKind.UNAUTHORISED_ABSENCE),
        ("Y4", AttendanceKind.NOT_COUNTED), ("X", AttendanceKind.NOT_COUNTED), ("#", AttendanceKind.NOT_COUNTED),
        ("D", AttendanceKind.NOT_COUNTED),
    ],
)
def test_each_2024_code_is_of_its_kind(code, kind):
    assert code_on(code, date(2024, 9, 9)).kind is kind


def test_no_codes_are_held_before_september_2013_so_an_older_mark_is_refused():
    with pytest.raises(InvalidInput) as refused:
        code_on("/", date(2013, 8, 30))
    assert refused.value.field == "date"


# --- the measures at the boundaries ------------------------------------------------------------


def test_persistent_absence_is_missing_exactly_10_percent_or_more_and_just_under_is_not():
    # 20 possible sessions, 2 missed: 10% exactly.
    exactly = SessionCounts(present=18, unauthorised_absence=1, authorised_absence=1)
    assert exactly.possible == 20 and exactly.persistently_absent(POLICY)
    # 31 possible, 3 missed: 9.68%.
    under = SessionCounts(present=28, authorised_absence=3)
    assert not under.persistently_absent(POLICY)
    assert under.absence_percent() == Decimal("9.7")
    # 9.7% rounds to the nearest tenth, but the rule is on whole sessions: 3 of 30 is 10%.
    assert SessionCounts(present=27, authorised_absence=3).persistently_absent(POLICY)


def test_severe_absence_is_missing_exactly_50_percent_or_more_and_just_under_is_not():
    assert SessionCounts(present=10, unauthorised_absence=10).severely_absent(POLICY)
    assert not SessionCounts(present=10, unauthorised_absence=9).severely_absent(POLICY)  # 47.4%
    assert not SessionCounts(present=51, unauthorised_absence=49).severely_absent(POLICY)  # 49%


def test_sessions_not_counted_are_not_possible_sessions_and_approved_activities_count_as_attended():
    counts = SessionCounts(present=6, approved_educational_activity=2, authorised_absence=1, not_counted=5)
    assert counts.possible == 9
    assert counts.attendance_percent() == Decimal("88.9")
    assert counts.missed == 1


# --- alerts ---------------------------------------------------------------------------------------


def test_a_term_crossing_the_persistent_threshold_is_alerted_once_and_exactly_10_percent_crosses_it(term_dates):
    # 18 present sessions and 2 unauthorised: 10% of 20.
    given = sessions(AUTUMN_2024_START, ["/"] * 18 + ["O", "O"])
    state, events = record(attendance.NO_ATTENDANCE, given, term_dates)
    crossed = [e for e in events if isinstance(e, AttendanceThresholdCrossed)]
    assert {(e.threshold, e.period) for e in crossed} == {
        (AbsenceThreshold.PERSISTENT, MeasurePeriod.TERM),
        (AbsenceThreshold.PERSISTENT, MeasurePeriod.ROLLING),
    }
    term_alert = next(e for e in crossed if e.period is MeasurePeriod.TERM)
    assert (term_alert.possible_sessions, term_alert.missed_sessions, term_alert.term) == (20, 2, "2024-autumn")
    # More absence in the same term does not alert the term's persistent absence again.
    more = sessions(school_days(AUTUMN_2024_START, 11)[-1], ["O", "/"])
    _, again = record(state, more, term_dates)
    assert not [e for e in again if isinstance(e, AttendanceThresholdCrossed)]


def test_just_under_10_percent_in_the_term_raises_no_threshold_alert(term_dates):
    given = sessions(AUTUMN_2024_START, ["/"] * 28 + ["I", "I", "I"][:2] + ["/"])  # 2 of 31 missed
    _, events = record(attendance.NO_ATTENDANCE, given, term_dates)
    assert not [e for e in events if isinstance(e, AttendanceThresholdCrossed)]


def test_a_threshold_alert_waits_for_the_policys_minimum_possible_sessions(term_dates):
    _, events = record(attendance.NO_ATTENDANCE, sessions(AUTUMN_2024_START, ["N", "/"]), term_dates)
    assert not [e for e in events if isinstance(e, AttendanceThresholdCrossed)]


def test_severe_absence_at_exactly_half_the_sessions_alerts_both_thresholds(term_dates):
    given = sessions(AUTUMN_2024_START, ["/", "I"] * 10)
    _, events = record(attendance.NO_ATTENDANCE, given, term_dates)
    term_alerts = {e.threshold for e in events if isinstance(e, AttendanceThresholdCrossed) and e.period is MeasurePeriod.TERM}
    assert term_alerts == {AbsenceThreshold.PERSISTENT, AbsenceThreshold.SEVERE}


def test_the_rolling_alert_is_raised_again_only_after_the_child_went_back_below_the_threshold(term_dates):
    policies = AttendancePolicies(versions=(AttendancePolicy(effective_from=date(2000, 1, 1), rolling_school_weeks=1),))
    week1 = sessions(date(2024, 9, 9), ["/"] * 8 + ["I", "I"])  # 20% in week 1
    state, events = record(attendance.NO_ATTENDANCE, week1, term_dates, policies=policies)
    rolling = [e for e in events if isinstance(e, AttendanceThresholdCrossed) and e.period is MeasurePeriod.ROLLING]
    assert [e.threshold for e in rolling] == [AbsenceThreshold.PERSISTENT]
    state, events = record(state, sessions(date(2024, 9, 16), ["/"] * 10), term_dates, policies=policies)
    assert not [e for e in events if isinstance(e, AttendanceThresholdCrossed) and e.period is MeasurePeriod.ROLLING]
    assert state.above_rolling == {}
    _, events = record(state, sessions(date(2024, 9, 23), ["/"] * 8 + ["N", "N"]), term_dates, policies=policies)
    assert [e.threshold for e in events if isinstance(e, AttendanceThresholdCrossed) and e.period is MeasurePeriod.ROLLING] == [
        AbsenceThreshold.PERSISTENT
    ]


def test_ten_unexplained_absences_in_a_row_alert_once_and_a_closure_between_them_does_not_break_the_run(term_dates):
    # Monday 9 to Monday 16 September morning: nine N, the school closed on Wednesday 11th.
    nine = sessions(date(2024, 9, 9), ["N"] * 4 + ["#", "#"] + ["N"] * 5)
    state, events = record(attendance.NO_ATTENDANCE, nine, term_dates)
    assert not [e for e in events if isinstance(e, UnexplainedAbsencesInARow)]
    state, events = record(state, [(date(2024, 9, 16), "pm", "N")], term_dates)  # the 10th
    [alert] = [e for e in events if isinstance(e, UnexplainedAbsencesInARow)]
    assert (alert.sessions, alert.first_on, alert.last_on) == (10, date(2024, 9, 9), date(2024, 9, 16))
    state, events = record(state, sessions(date(2024, 9, 17), ["N", "N"]), term_dates)
    assert not [e for e in events if isinstance(e, UnexplainedAbsencesInARow)]


def test_a_present_session_ends_a_run_of_unexplained_absences(term_dates):
    given = sessions(date(2024, 9, 9), ["N"] * 9 + ["/"] + ["N"] * 9)
    _, events = record(attendance.NO_ATTENDANCE, given, term_dates)
    assert not [e for e in events if isinstance(e, UnexplainedAbsencesInARow)]


# --- idempotency and corrections ----------------------------------------------------------------


def test_the_same_mark_again_records_nothing_and_a_different_code_supersedes(term_dates):
    state, events = record(attendance.NO_ATTENDANCE, [(date(2024, 9, 9), "am", "N")], term_dates)
    assert [type(e) for e in events] == [AttendanceRecorded]
    _, again = record(state, [(date(2024, 9, 9), "am", "N")], term_dates)
    assert again == []
    after, changed = record(state, [(date(2024, 9, 9), "am", "I")], term_dates)
    assert changed[0].codes == ("I",)
    assert after.marks[(date(2024, 9, 9), attendance.Session.MORNING, HOME)].kind is AttendanceKind.AUTHORISED_ABSENCE


def test_a_mark_for_a_session_not_yet_happened_is_refused(term_dates):
    with pytest.raises(InvalidInput) as refused:
        record(attendance.NO_ATTENDANCE, [(date(2024, 9, 10), "am", "/")], term_dates, received_on=date(2024, 9, 9))
    assert refused.value.field == "date"


def test_an_erased_childs_marks_keep_their_kinds_while_the_codes_read_as_unknown():
    event = AttendanceRecorded.model_construct(
        child_id="C1", urn=HOME, source="school_file", received_on=date(2024, 9, 9),
        marks=(attendance.MarkedSession(on=date(2024, 9, 9), session="am", kind=AttendanceKind.AUTHORISED_ABSENCE),),
        codes=None,
    )
    state = attendance.evolve(attendance.NO_ATTENDANCE, event)
    [mark] = state.marks.values()
    assert (mark.kind, mark.code) == (AttendanceKind.AUTHORISED_ABSENCE, None)


# --- missing education --------------------------------------------------------------------------


def test_school_days_without_marks_pass_over_half_term_and_a_child_is_alerted_once_per_gap(term_dates):
    state, _ = record(attendance.NO_ATTENDANCE, [(date(2024, 10, 25), "pm", "/")], term_dates)
    # Half-term 28 October to 1 November; then 4-8 and 11-15 November: ten school days.
    assert attendance.school_days_without_marks(state, date(2024, 9, 3), date(2024, 11, 15), term_dates) == 10
    command = attendance.RaiseMissingEducationAlert(
        child_id="C1", urn=HOME, school_days_without_marks=10, raised_on=date(2024, 11, 15)
    )
    events = attendance.decide(command, state, policies=DEFAULT_ATTENDANCE_POLICY, calendar=term_dates)
    assert [type(e) for e in events] == [ChildPossiblyMissingEducation]
    after = attendance.fold(events, state)
    assert attendance.decide(command, after, policies=DEFAULT_ATTENDANCE_POLICY, calendar=term_dates) == []


# --- reading a file -----------------------------------------------------------------------------


def test_a_files_columns_are_found_by_name_in_any_order_and_case():
    read = list(csv_lines(["Code,Session,Date,URN,Child_ID,extra", "/,AM,2024-09-09,118001,C1,x"]))
    assert read == [IntakeLine(2, "C1", None, HOME, GivenMark(on=date(2024, 9, 9), session="am", code="/"))]


def test_a_file_without_a_child_column_is_refused_whole():
    with pytest.raises(InvalidInput) as refused:
        list(csv_lines(["urn,date,session,code", "118001,2024-09-09,am,/"]))
    assert refused.value.field == "file"
    assert "child_id or upn" in refused.value.detail


def test_a_badly_formed_upn_is_a_problem_of_its_line():
    [problem] = list(csv_lines(["upn,urn,date,session,code", "A12,118001,2024-09-09,am,/"]))
    assert problem == LineProblem(2, "upn", problem.reason)
