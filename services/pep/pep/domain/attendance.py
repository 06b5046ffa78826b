"""A child's daily attendance, session by session, and the alerts it raises (``attendance-<id>``).

domain.md section 6. Schools mark every pupil's attendance twice a day (morning and afternoon)
in the national codes (``attendance_codes``), and since August 2024 share those marks daily with
their council. The virtual school takes them in, from a school's file or from a council system's
daily feed, and works out from them each child's attendance and absence, per term, per academic
year and over their last school weeks, and alerts the virtual school and the child's social
worker when a pattern needs acting on (``attendance_policy``).

**One event per child, school and intake.** An intake (a file or a feed's request) appends, for
each child it names, one ``AttendanceRecorded`` carrying every new or changed mark of that child
at that school, rather than an event per mark. A term for 1,000 children (about 144,000 marks)
sent as the schools' files is then about 1,000 events; sent as a daily feed, one event per child
per school day. An event per mark would be 144,000 appends, each its own stream write, sealed
field and hash-chain link, for facts that always arrive together; and a mark alone means little
without the child's other marks, which every measure reads. Measured through the HTTP API on real
PostgreSQL, on a shared 2-core machine busy with other test runs: the autumn term of 2026 for
1,000 children (144 sessions each) sent as 20 school files of 7,200 lines, 46 s, read models
caught up at the same moment (``services/pep/tests/api/test_pep_api_attendance_term.py``, run with ``-s``);
a council's daily feed for the same 1,000 children, 26 s on its first day and 42 s on its tenth.
That growth is the cost of this design's one weakness: a stream holding sealed codes is never
kept folded in memory (``ServiceLog``), so each intake reads the child's whole stream again, and a
daily feed's cost grows with the days already recorded. Keeping the folded state of attendance
streams between intakes (forgotten on erasure, as the read models' folds are) is the next step
for a council that sends a daily feed all year.

**Idempotent per child, school, date and session.** A mark that repeats the one recorded for that
session at that school records nothing; a different code for the same session supersedes the
earlier one (schools replace ``N``, "reason not yet provided", once they know), and both stay in
the log. ``AttendanceMarkCorrected`` is the virtual school's or the school's correction of one
session, with the reason. Sessions are kept per school: a dual-registered pupil is marked by both
schools (``D`` at one, a present mark at the other), and neither mark overwrites the other.

**Personal data.** The codes are sealed (``personal_fields``): a code can reveal a child's illness
or medical appointment (``I``, ``M``), religious observance (``R``), exclusion (``E``) or
travelling community (``T``), special category data under UK GDPR Article 9. Each mark's *kind*
(present, approved educational activity, authorised or unauthorised absence, not counted) stays
in the clear with its date, session and school, as docs/privacy.md leaves attendance figures in
the clear: once a child's personal data is erased the codes read as unknown, while every measure,
report and alert, which need only the kind, keep working.

**Alerts**, each raised once, on the child's attendance stream, so the virtual school and the
social worker see them: a threshold crossed (persistent or severe absence, for the term and for
the rolling weeks; the rolling one again only after the child has gone back below it), a run of
unexplained absences, and a child on roll with no marks for some school days (raised by the
scheduler, ``missing_education_alert``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shared.errors import InvalidInput, NotFound
from shared.events import Command, Event, child_subject, school_subject

from .attendance_codes import AttendanceKind, code_on
from .attendance_policy import AttendancePolicies, AttendancePolicy
from .terms import SchoolCalendar


class Session(StrEnum):
    MORNING = "am"
    AFTERNOON = "pm"


class AttendanceSource(StrEnum):
    SCHOOL_FILE = "school_file"  # a school's export from its management information system
    COUNCIL_FEED = "council_feed"  # the council's own system's daily feed
    CORRECTION = "correction"


class MarkedSession(BaseModel):
    """A session's mark as the log keeps it in the clear: when, which session, and its kind."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    on: date
    session: Session
    kind: AttendanceKind


class GivenMark(BaseModel):
    """A mark as a school or feed gives it: a date, a session and a national code."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    on: date
    session: Session
    code: str


# --- events -----------------------------------------------------------------------------------


class _AttendanceEvent(Event):
    child_id: str
    urn: str

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id), school_subject(self.urn)]


class AttendanceRecorded(_AttendanceEvent):
    """A school's marks for the child (or a council feed's), new or changed since the last intake:
    ``marks`` in the clear, ``codes`` the national code of each, in the same order, sealed."""

    event_type: ClassVar[str] = "AttendanceRecorded"
    personal_fields: ClassVar[tuple[str, ...]] = ("codes",)

    source: AttendanceSource
    received_on: date
    marks: tuple[MarkedSession, ...]
    codes: tuple[str, ...] | None

    @property
    def last_marked_on(self) -> date:
        return max(mark.on for mark in self.marks)

    def effective_on(self) -> date:
        return self.last_marked_on


class AttendanceMarkCorrected(_AttendanceEvent):
    """One session's mark was wrong and is replaced; the reason, in the corrector's words, and the
    code are sealed."""

    event_type: ClassVar[str] = "AttendanceMarkCorrected"
    personal_fields: ClassVar[tuple[str, ...]] = ("code", "reason")

    mark: MarkedSession
    code: str | None
    reason: str | None
    corrected_on: date

    @property
    def marked_on(self) -> date:
        return self.mark.on

    def effective_on(self) -> date:
        return self.marked_on


class AbsenceThreshold(StrEnum):
    PERSISTENT = "persistent"
    SEVERE = "severe"


class MeasurePeriod(StrEnum):
    TERM = "term"
    ROLLING = "rolling"


class AttendanceThresholdCrossed(_AttendanceEvent):
    """The child has missed ``threshold_percent`` or more of the possible sessions of a period:
    the term (``term`` names it) or their last ``rolling_school_weeks`` school weeks."""

    event_type: ClassVar[str] = "AttendanceThresholdCrossed"

    threshold: AbsenceThreshold
    period: MeasurePeriod
    term: str | None = None
    rolling_school_weeks: int | None = None
    period_start: date
    period_end: date
    threshold_percent: int
    possible_sessions: int
    missed_sessions: int
    raised_on: date

    def effective_on(self) -> date:
        return self.period_end


class UnexplainedAbsencesInARow(_AttendanceEvent):
    """``sessions`` possible sessions in a row were marked as unauthorised absence, from
    ``first_on`` to ``last_on``."""

    event_type: ClassVar[str] = "UnexplainedAbsencesInARow"

    sessions: int
    first_on: date
    first_session: Session
    last_on: date
    last_session: Session
    raised_on: date

    def effective_on(self) -> date:
        return self.last_on


class ChildPossiblyMissingEducation(_AttendanceEvent):
    """The child is on roll at ``urn`` and no school has marked them since ``last_marked_on``:
    ``school_days_without_marks`` school days up to ``raised_on``."""

    event_type: ClassVar[str] = "ChildPossiblyMissingEducation"

    last_marked_on: date | None
    school_days_without_marks: int
    raised_on: date

    def effective_on(self) -> date:
        return self.raised_on


class UniquePupilNumberRecorded(Event):
    """The child's unique pupil number (UPN), which schools' registers and the DfE know them by, so
    their marks can be matched to them; sealed, as an identifier of the child."""

    event_type: ClassVar[str] = "UniquePupilNumberRecorded"
    personal_fields: ClassVar[tuple[str, ...]] = ("upn",)

    child_id: str
    upn: str | None
    recorded_on: date

    def subjects(self) -> list[str]:
        return [child_subject(self.child_id)]

    def effective_on(self) -> date:
        return self.recorded_on


ATTENDANCE_ALERTS: tuple[type[Event], ...] = (
    AttendanceThresholdCrossed,
    UnexplainedAbsencesInARow,
    ChildPossiblyMissingEducation,
)
ATTENDANCE_EVENTS: tuple[type[Event], ...] = (
    UniquePupilNumberRecorded,
    AttendanceRecorded,
    AttendanceMarkCorrected,
    *ATTENDANCE_ALERTS,
)


# --- commands ---------------------------------------------------------------------------------


class RecordAttendance(Command):
    child_id: str
    urn: str
    source: AttendanceSource
    received_on: date
    marks: tuple[GivenMark, ...]


class CorrectAttendanceMark(Command):
    child_id: str
    urn: str
    mark: GivenMark
    reason: str
    corrected_on: date


class RecordUniquePupilNumber(Command):
    child_id: str
    upn: str
    recorded_on: date


class RaiseMissingEducationAlert(Command):
    child_id: str
    urn: str
    school_days_without_marks: int
    raised_on: date


# --- state ------------------------------------------------------------------------------------

SessionKey = tuple[date, Session, str]
"""A session at a school: its date, morning or afternoon, and the school's URN."""


@dataclass(frozen=True)
class Mark:
    kind: AttendanceKind
    code: str | None  # None once the child's personal data is erased


@dataclass(frozen=True)
class ChildAttendance:
    child_id: str | None = None
    upn: str | None = None
    marks: Mapping[SessionKey, Mark] = field(default_factory=dict)
    alerts_raised: frozenset[str] = frozenset()
    above_rolling: Mapping[AbsenceThreshold, tuple[int, int]] = field(default_factory=dict)
    """The rolling thresholds the child is at or above now, each with the percentage and the
    number of school weeks it was alerted at, so each crossing is alerted once."""

    @property
    def last_marked_on(self) -> date | None:
        return max((key[0] for key in self.marks), default=None)


NO_ATTENDANCE = ChildAttendance()


# --- measures ---------------------------------------------------------------------------------

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class SessionCounts:
    """Sessions of each kind in a period; the measures are worked out from these alone."""

    present: int = 0
    approved_educational_activity: int = 0
    authorised_absence: int = 0
    unauthorised_absence: int = 0
    not_counted: int = 0

    @classmethod
    def of_kinds(cls, kinds: Iterable[AttendanceKind]) -> SessionCounts:
        counted = Counter(kinds)
        return cls(**{kind.value: counted.get(kind, 0) for kind in AttendanceKind})

    def __add__(self, other: SessionCounts) -> SessionCounts:
        return SessionCounts(**{kind.value: getattr(self, kind.value) + getattr(other, kind.value) for kind in AttendanceKind})

    @property
    def possible(self) -> int:
        return self.present + self.approved_educational_activity + self.authorised_absence + self.unauthorised_absence

    @property
    def attended(self) -> int:
        return self.present + self.approved_educational_activity

    @property
    def missed(self) -> int:
        return self.authorised_absence + self.unauthorised_absence

    def attendance_percent(self) -> Decimal | None:
        """Sessions attended (present or at an approved educational activity) as a percentage of
        possible sessions, to one decimal place; None when there were none."""
        return _percent(self.attended, self.possible)

    def absence_percent(self) -> Decimal | None:
        return _percent(self.missed, self.possible)

    def missed_at_least(self, percent: int) -> bool:
        """Whether ``percent`` or more of the possible sessions were missed: worked out in whole
        sessions, never from a rounded rate, so exactly 10% is persistent absence and anything
        less is not."""
        return self.possible > 0 and self.missed * 100 >= percent * self.possible

    def persistently_absent(self, policy: AttendancePolicy) -> bool:
        return self.missed_at_least(policy.persistent_absence_percent)

    def severely_absent(self, policy: AttendancePolicy) -> bool:
        return self.missed_at_least(policy.severe_absence_percent)


def _percent(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def week_of(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def counts_between(state: ChildAttendance, first: date, last: date) -> SessionCounts:
    """The child's sessions from ``first`` to ``last`` (both included), at every school."""
    return SessionCounts.of_kinds(mark.kind for (on, _, _), mark in state.marks.items() if first <= on <= last)


def rolling_weeks(state: ChildAttendance, weeks: int) -> tuple[date, date] | None:
    """The first and last day of the child's last ``weeks`` school weeks: the weeks in which they
    were marked (holidays, with no marks, are passed over); None before any mark."""
    marked_weeks = sorted({week_of(on) for (on, _, _) in state.marks}, reverse=True)[:weeks]
    if not marked_weeks:
        return None
    return marked_weeks[-1], marked_weeks[0] + timedelta(days=6)


def unexplained_run(state: ChildAttendance) -> list[tuple[date, Session]]:
    """The sessions of the child's latest run of unauthorised absences, oldest first: possible
    sessions marked unauthorised up to the last possible session, passing over sessions not
    counted. A session counts as unauthorised when any school marked it so and none marked the
    child attending."""
    by_session: dict[tuple[date, Session], list[AttendanceKind]] = {}
    for (on, session, _), mark in state.marks.items():
        by_session.setdefault((on, session), []).append(mark.kind)
    run: list[tuple[date, Session]] = []
    for key in sorted(by_session, reverse=True):
        kinds = by_session[key]
        if not any(kind.possible for kind in kinds):
            continue
        if AttendanceKind.UNAUTHORISED_ABSENCE in kinds and not any(kind.attended for kind in kinds):
            run.append(key)
        else:
            break
    return list(reversed(run))


# --- decide / evolve --------------------------------------------------------------------------


def decide(
    command: RecordUniquePupilNumber | RecordAttendance | CorrectAttendanceMark | RaiseMissingEducationAlert,
    state: ChildAttendance,
    *,
    policies: AttendancePolicies,
    calendar: SchoolCalendar,
) -> list[Event]:
    if isinstance(command, RecordUniquePupilNumber):
        upn = check_upn(command.upn)
        if state.upn == upn:
            return []
        return [UniquePupilNumberRecorded(child_id=command.child_id, upn=upn, recorded_on=command.recorded_on)]
    if isinstance(command, RecordAttendance):
        recorded = _record(command, state)
    elif isinstance(command, CorrectAttendanceMark):
        recorded = _correct(command, state)
    elif isinstance(command, RaiseMissingEducationAlert):
        return _missing_education(command, state)
    else:
        raise TypeError(f"not an attendance command: {type(command).__name__}")
    if not recorded:
        return []
    after = state
    for event in recorded:
        after = evolve(after, event)
    return [*recorded, *alerts_after(after, command.urn, policies, calendar, raised_on=_raised_on(command))]


def _raised_on(command: RecordAttendance | CorrectAttendanceMark) -> date:
    return command.received_on if isinstance(command, RecordAttendance) else command.corrected_on


UPN_PATTERN = re.compile(r"[A-Z][0-9]{11}[0-9A-Z]")


def check_upn(upn: str) -> str:
    """A unique pupil number as DfE issues them: 13 characters, a check letter, 11 digits, then a
    digit (or a letter, in a temporary UPN). Compared in capitals. The check letter itself is not
    recomputed: a school's register is the authority on its pupils' UPNs, and a wrong one simply
    matches no child."""
    upn = upn.strip().upper()
    if not UPN_PATTERN.fullmatch(upn):
        raise InvalidInput(
            "a unique pupil number is 13 characters: a letter, 11 digits, then a digit or a letter", field="upn"
        )
    return upn


def check_mark(mark: GivenMark, received_on: date) -> AttendanceKind:
    """The kind of a mark a school gives, refused when its code is not a national code on its date
    or the session has not happened yet."""
    if mark.on > received_on:
        raise InvalidInput(f"a session on {mark.on} has not happened yet", field="date")
    return code_on(mark.code, mark.on).kind


def _record(command: RecordAttendance, state: ChildAttendance) -> list[Event]:
    new: dict[tuple[date, Session], tuple[MarkedSession, str]] = {}
    for given in command.marks:
        kind = check_mark(given, command.received_on)
        recorded = state.marks.get((given.on, given.session, command.urn))
        if recorded is not None and recorded.code == given.code:
            new.pop((given.on, given.session), None)  # a later line of the same intake may repeat it
            continue
        # Within one intake the last line for a session is the one that stands.
        new[(given.on, given.session)] = (MarkedSession(on=given.on, session=given.session, kind=kind), given.code)
    if not new:
        return []
    ordered = [new[key] for key in sorted(new)]
    return [
        AttendanceRecorded(
            child_id=command.child_id,
            urn=command.urn,
            source=command.source,
            received_on=command.received_on,
            marks=tuple(mark for mark, _ in ordered),
            codes=tuple(code for _, code in ordered),
        )
    ]


def _correct(command: CorrectAttendanceMark, state: ChildAttendance) -> list[Event]:
    given = command.mark
    if not command.reason.strip():
        raise InvalidInput("say why the mark is corrected", field="reason")
    recorded = state.marks.get((given.on, given.session, command.urn))
    if recorded is None:
        raise NotFound(
            f"no mark of {given.on} ({given.session.value}) at school {command.urn} to correct", field="date"
        )
    kind = check_mark(given, command.corrected_on)
    if recorded.code == given.code:
        return []
    return [
        AttendanceMarkCorrected(
            child_id=command.child_id,
            urn=command.urn,
            mark=MarkedSession(on=given.on, session=given.session, kind=kind),
            code=given.code,
            reason=command.reason,
            corrected_on=command.corrected_on,
        )
    ]


def term_alert_key(threshold: AbsenceThreshold, term_key: str) -> str:
    return f"{threshold.value}:term:{term_key}"


def alerts_after(
    state: ChildAttendance,
    urn: str,
    policies: AttendancePolicies,
    calendar: SchoolCalendar,
    *,
    raised_on: date,
) -> list[Event]:
    """The alerts the child's marks now call for and that were not raised before: each threshold
    of the term of the latest mark and of the rolling weeks, and the latest run of unexplained
    absences."""
    last = state.last_marked_on
    if last is None or state.child_id is None:
        return []
    policy = policies.in_force_on(last)
    alerts: list[Event] = []
    term = calendar.term_containing(last) if calendar.covers(last) else None
    if term is not None:
        dates = calendar.term_dates(term)
        counts = counts_between(state, dates.start, dates.end)
        for threshold, percent in _thresholds(policy):
            key = term_alert_key(threshold, term.key)
            if key in state.alerts_raised or counts.possible < policy.minimum_possible_sessions:
                continue
            if counts.missed_at_least(percent):
                alerts.append(
                    _threshold_event(state, urn, threshold, MeasurePeriod.TERM, dates.start, dates.end, percent,
                                     counts, raised_on, term=term.key)
                )
    window = rolling_weeks(state, policy.rolling_school_weeks)
    if window is not None:
        counts = counts_between(state, *window)
        for threshold, percent in _thresholds(policy):
            if threshold in state.above_rolling or counts.possible < policy.minimum_possible_sessions:
                continue
            if counts.missed_at_least(percent):
                alerts.append(
                    _threshold_event(state, urn, threshold, MeasurePeriod.ROLLING, *window, percent, counts,
                                     raised_on, rolling_school_weeks=policy.rolling_school_weeks)
                )
    run = unexplained_run(state)
    if len(run) >= policy.unexplained_absences_in_a_row:
        (first_on, first_session), (last_on, last_session) = run[0], run[-1]
        if unexplained_alert_key(first_on, first_session) not in state.alerts_raised:
            alerts.append(
                UnexplainedAbsencesInARow(
                    child_id=state.child_id,
                    urn=urn,
                    sessions=len(run),
                    first_on=first_on,
                    first_session=first_session,
                    last_on=last_on,
                    last_session=last_session,
                    raised_on=raised_on,
                )
            )
    return alerts


def _thresholds(policy: AttendancePolicy) -> list[tuple[AbsenceThreshold, int]]:
    return [
        (AbsenceThreshold.PERSISTENT, policy.persistent_absence_percent),
        (AbsenceThreshold.SEVERE, policy.severe_absence_percent),
    ]


def _threshold_event(
    state: ChildAttendance,
    urn: str,
    threshold: AbsenceThreshold,
    period: MeasurePeriod,
    start: date,
    end: date,
    percent: int,
    counts: SessionCounts,
    raised_on: date,
    *,
    term: str | None = None,
    rolling_school_weeks: int | None = None,
) -> AttendanceThresholdCrossed:
    assert state.child_id is not None
    return AttendanceThresholdCrossed(
        child_id=state.child_id,
        urn=urn,
        threshold=threshold,
        period=period,
        term=term,
        rolling_school_weeks=rolling_school_weeks,
        period_start=start,
        period_end=end,
        threshold_percent=percent,
        possible_sessions=counts.possible,
        missed_sessions=counts.missed,
        raised_on=raised_on,
    )


def unexplained_alert_key(first_on: date, first_session: Session) -> str:
    return f"unexplained:{first_on.isoformat()}:{first_session.value}"


def missing_education_alert_key(last_marked_on: date | None) -> str:
    return f"missing:{last_marked_on.isoformat() if last_marked_on else 'never'}"


def _missing_education(command: RaiseMissingEducationAlert, state: ChildAttendance) -> list[Event]:
    last = state.last_marked_on
    if missing_education_alert_key(last) in state.alerts_raised:
        return []
    return [
        ChildPossiblyMissingEducation(
            child_id=command.child_id,
            urn=command.urn,
            last_marked_on=last,
            school_days_without_marks=command.school_days_without_marks,
            raised_on=command.raised_on,
        )
    ]


def school_days_without_marks(
    state: ChildAttendance, on_roll_since: date, today: date, calendar: SchoolCalendar
) -> int:
    """The school days, up to and including ``today``, since the child's last mark (or, never marked,
    since joining the roll), by the council's term dates."""
    last = state.last_marked_on
    since = last if last is not None and last >= on_roll_since else on_roll_since - timedelta(days=1)
    if since >= today:
        return 0
    return calendar.school_days_from(since + timedelta(days=1), today + timedelta(days=1))


def evolve(state: ChildAttendance, event: Event) -> ChildAttendance:
    if isinstance(event, UniquePupilNumberRecorded):
        return replace(state, child_id=event.child_id, upn=event.upn)
    if isinstance(event, AttendanceRecorded):
        codes: Sequence[str | None] = event.codes if event.codes is not None else [None] * len(event.marks)
        marks = dict(state.marks)
        for mark, code in zip(event.marks, codes, strict=True):
            marks[(mark.on, mark.session, event.urn)] = Mark(kind=mark.kind, code=code)
        return _with_rolling_status(replace(state, child_id=event.child_id, marks=marks), event)
    if isinstance(event, AttendanceMarkCorrected):
        marks = dict(state.marks)
        marks[(event.mark.on, event.mark.session, event.urn)] = Mark(kind=event.mark.kind, code=event.code)
        return _with_rolling_status(replace(state, child_id=event.child_id, marks=marks), event)
    if isinstance(event, AttendanceThresholdCrossed):
        if event.period is MeasurePeriod.ROLLING:
            assert event.rolling_school_weeks is not None
            above = {**state.above_rolling, event.threshold: (event.threshold_percent, event.rolling_school_weeks)}
            return replace(state, above_rolling=above)
        assert event.term is not None
        return replace(state, alerts_raised=state.alerts_raised | {term_alert_key(event.threshold, event.term)})
    if isinstance(event, UnexplainedAbsencesInARow):
        return replace(
            state, alerts_raised=state.alerts_raised | {unexplained_alert_key(event.first_on, event.first_session)}
        )
    if isinstance(event, ChildPossiblyMissingEducation):
        return replace(
            state,
            child_id=event.child_id,
            alerts_raised=state.alerts_raised | {missing_education_alert_key(event.last_marked_on)},
        )
    raise TypeError(f"not an attendance event: {type(event).__name__}")


def _with_rolling_status(state: ChildAttendance, event: AttendanceRecorded | AttendanceMarkCorrected) -> ChildAttendance:
    """A rolling threshold the child has gone back below may be alerted again when next crossed.

    Worked out on the marks alone, at the percentage and number of weeks the alert was raised
    with (the event names both), so the fold needs no policy."""
    if not state.above_rolling:
        return state
    still_above = {}
    for threshold, (percent, weeks) in state.above_rolling.items():
        window = rolling_weeks(state, weeks)
        if window is not None and counts_between(state, *window).missed_at_least(percent):
            still_above[threshold] = (percent, weeks)
    return replace(state, above_rolling=still_above)


def fold(events: Iterable[Event], state: ChildAttendance = NO_ATTENDANCE) -> ChildAttendance:
    for event in events:
        state = evolve(state, event)
    return state
