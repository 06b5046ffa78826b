"""Overdue PEPs raised by the deadline scheduler, exactly once, and the termly compliance counts
(domain.md section 2; seed 002: termly increase in PEPs completed within time frame)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from pep.domain import children
from pep.domain.child_events import (
    ChildEnteredCare,
    ChildLeftCare,
    ChildMovedSchool,
    ChildPlacedAtSchool,
    LeftCareReason,
    LegalStatus,
    SenStatus,
    YearGroup,
)
from pep.domain.compliance import (
    ComplianceCounts,
    compliance_by_term,
    compliance_by_term_and_school,
    terms_where_in_time_rate_fell,
)
from pep.domain.deadlines import ObligationKind, ObligationStatus, overdue_events, pep_obligations
from pep.domain.pep_events import (
    DueAfter,
    PepInitiationOverdue,
    PepOccasion,
    PepOverdue,
    PepReviewOverdue,
    Rag,
)
from pep.domain.peps import (
    PepCommand,
    NO_PEPS,
    InitiatePep,
    PepState,
    QualityAssurePep,
    RecordPepReview,
    ReturnPepForRework,
    SetPepTargets,
    SubmitPep,
    decide,
    fold,
)
from pep.domain.reviews import Attendance, Attendee, AttendeeRole
from pep.domain.targets import SmartTarget, TargetProgress, TargetStatus
from pep.domain.terms import SchoolCalendar, TermRef, term
from pep.domain.timing import DEFAULT_PEP_TIMING, PepTimingPolicies, PepTimingPolicy, ReviewDeadline
from shared.events import Event

AUTUMN = term(2022, "autumn")
SPRING = term(2022, "spring")
ENTERED = date(2022, 9, 12)


def child(
    child_id: str = "C1", entered: date = ENTERED, urn: str = "118001", *more: Event
) -> children.ChildState:
    return children.fold(
        [
            ChildEnteredCare(
                child_id=child_id,
                name="Alex Smith",
                date_of_birth=date(2012, 5, 1),
                entered_care_on=entered,
                legal_status=LegalStatus.FULL_CARE_ORDER,
                placing_authority="Medway",
                social_worker="Sam Jones",
                carer="Pat Brown",
                independent_reviewing_officer="Jo Green",
                sen_status=SenStatus.NONE,
                year_group=YearGroup.YEAR_5,
            ),
            ChildPlacedAtSchool(
                child_id=child_id,
                urn=urn,
                start_date=date(2021, 9, 2),
                year_group=YearGroup.YEAR_5,
                looked_after=True,
            ),
            *more,
        ]
    )


def moved(on: date, child_id: str = "C1") -> ChildMovedSchool:
    return ChildMovedSchool(
        child_id=child_id,
        from_urn="118001",
        to_urn="118002",
        left_previous_school_on=date.fromordinal(on.toordinal() - 1),
        start_date=on,
        reason="new carers",
        year_group=YearGroup.YEAR_5,
        looked_after=True,
    )


def run(
    kid: children.ChildState, term_dates: SchoolCalendar, *commands: PepCommand, state: PepState = NO_PEPS
) -> PepState:
    for command in commands:
        state = fold(
            decide(command, state, child=kid, calendar=term_dates, policies=DEFAULT_PEP_TIMING), state
        )
    return state


def pep_commands(
    pep_id: str,
    ref: TermRef,
    occasion: PepOccasion,
    initiated: date,
    submitted: date,
    child_id: str = "C1",
    progress: tuple[TargetProgress, ...] = (),
) -> list[PepCommand]:
    """A PEP taken through to submission."""
    target = SmartTarget(
        target_id=f"{pep_id}-T1",
        subject_or_area="Reading",
        baseline="Reading age 8y",
        target="Reading age 9y",
        by_when=date(2023, 7, 1),
        who="Designated teacher",
    )
    return [
        InitiatePep(child_id=child_id, pep_id=pep_id, term=ref, occasion=occasion, initiated_on=initiated),
        SetPepTargets(child_id=child_id, pep_id=pep_id, set_on=submitted, targets=(target,)),
        RecordPepReview(
            child_id=child_id,
            pep_id=pep_id,
            meeting_date=submitted,
            attendance=Attendance(
                percentage=Decimal("95"), period_start=date(2022, 9, 5), period_end=submitted
            ),
            target_progress=progress,
            child_voice="Fine",
            attendees=(Attendee(name="Sam Jones", role=AttendeeRole.SOCIAL_WORKER),),
        ),
        SubmitPep(child_id=child_id, pep_id=pep_id, submitted_on=submitted),
    ]


def overdue(
    kid: children.ChildState,
    peps: PepState,
    term_dates: SchoolCalendar,
    today: date,
    policies: PepTimingPolicies = DEFAULT_PEP_TIMING,
) -> list[Event]:
    return overdue_events(kid, peps, policies, term_dates, today)


def test_nothing_is_overdue_on_the_due_date_itself(term_dates: SchoolCalendar) -> None:
    assert overdue(child(), NO_PEPS, term_dates, date(2022, 9, 27)) == []


def test_a_pep_not_initiated_within_ten_working_days_is_overdue_the_day_after(
    term_dates: SchoolCalendar,
) -> None:
    """Entered care Monday 12 September 2022; with the 19th a bank holiday, initiation was due on
    Tuesday 27 September."""
    assert overdue(child(), NO_PEPS, term_dates, date(2022, 9, 28)) == [
        PepInitiationOverdue(
            child_id="C1",
            urn="118001",
            entered_care_on=ENTERED,
            due_on=date(2022, 9, 27),
            noticed_on=date(2022, 9, 28),
        )
    ]


def test_each_overdue_event_is_raised_exactly_once(term_dates: SchoolCalendar) -> None:
    kid = child()
    first = overdue(kid, NO_PEPS, term_dates, date(2022, 9, 28))
    state = fold(first)
    assert overdue(kid, state, term_dates, date(2022, 9, 29)) == []
    second = overdue(kid, state, term_dates, date(2022, 10, 12))
    assert second == [
        PepOverdue(
            child_id="C1",
            urn="118001",
            due_after=DueAfter.ENTERING_CARE,
            clock_started_on=ENTERED,
            due_on=date(2022, 10, 11),
            noticed_on=date(2022, 10, 12),
        )
    ]
    assert overdue(kid, fold(second, state), term_dates, date(2022, 10, 13)) == []


def test_a_scheduler_catching_up_raises_every_missed_deadline_at_once(term_dates: SchoolCalendar) -> None:
    events = overdue(child(), NO_PEPS, term_dates, date(2022, 10, 12))
    assert [type(e) for e in events] == [PepInitiationOverdue, PepOverdue]


def test_a_pep_initiated_in_time_but_not_in_place_is_overdue_after_twenty_working_days(
    term_dates: SchoolCalendar,
) -> None:
    kid = child()
    state = run(
        kid,
        term_dates,
        InitiatePep(
            child_id="C1",
            pep_id="P1",
            term=AUTUMN,
            occasion=PepOccasion.INITIAL,
            initiated_on=date(2022, 9, 20),
        ),
    )
    assert [type(e) for e in overdue(kid, state, term_dates, date(2022, 10, 12))] == [PepOverdue]


def test_a_pep_submitted_by_the_due_date_is_in_place_while_it_awaits_quality_assurance(
    term_dates: SchoolCalendar,
) -> None:
    kid = child()
    state = run(
        kid,
        term_dates,
        *pep_commands("P1", AUTUMN, PepOccasion.INITIAL, date(2022, 9, 20), date(2022, 10, 10)),
    )
    assert overdue(kid, state, term_dates, date(2022, 10, 12)) == []


def test_a_pep_returned_for_rework_is_not_in_place(term_dates: SchoolCalendar) -> None:
    kid = child()
    state = run(
        kid,
        term_dates,
        *pep_commands("P1", AUTUMN, PepOccasion.INITIAL, date(2022, 9, 20), date(2022, 10, 10)),
        ReturnPepForRework(
            child_id="C1", pep_id="P1", returned_on=date(2022, 10, 11), reason="No targets for maths"
        ),
    )
    assert [type(e) for e in overdue(kid, state, term_dates, date(2022, 10, 12))] == [PepOverdue]


def test_a_pep_completed_late_is_not_raised_as_overdue_but_counted_late(term_dates: SchoolCalendar) -> None:
    kid = child()
    state = run(
        kid,
        term_dates,
        *pep_commands("P1", AUTUMN, PepOccasion.INITIAL, date(2022, 9, 20), date(2022, 10, 14)),
    )
    assert overdue(kid, state, term_dates, date(2022, 10, 17)) == []
    in_place = [
        o
        for o in pep_obligations(kid, state, DEFAULT_PEP_TIMING, term_dates)
        if o.kind is ObligationKind.IN_PLACE_AFTER_ENTERING_CARE
    ]
    assert in_place[0].status_on(date(2022, 10, 17)) is ObligationStatus.MET_LATE


def test_each_term_that_starts_in_care_needs_its_review_by_the_end_of_term(
    term_dates: SchoolCalendar,
) -> None:
    """domain.md 2: reviewed every term. The child entered care after autumn 2022/23 started, so
    the initial PEP stands for autumn; spring 2022/23 ends on Friday 31 March 2023."""
    kid = child()
    state = run(
        kid,
        term_dates,
        *pep_commands("P1", AUTUMN, PepOccasion.INITIAL, date(2022, 9, 20), date(2022, 10, 10)),
    )
    assert overdue(kid, state, term_dates, date(2023, 3, 31)) == []
    assert overdue(kid, state, term_dates, date(2023, 4, 3)) == [
        PepReviewOverdue(
            child_id="C1", urn="118001", term=SPRING, due_on=date(2023, 3, 31), noticed_on=date(2023, 4, 3)
        )
    ]


def test_a_council_requiring_reviews_before_half_term_raises_them_earlier(term_dates: SchoolCalendar) -> None:
    before_half_term = PepTimingPolicies(
        versions=(
            PepTimingPolicy(effective_from=date(2000, 1, 1), review_deadline=ReviewDeadline.BEFORE_HALF_TERM),
        )
    )
    kid = child()
    state = run(
        kid,
        term_dates,
        *pep_commands("P1", AUTUMN, PepOccasion.INITIAL, date(2022, 9, 20), date(2022, 10, 10)),
    )
    events = overdue(kid, state, term_dates, date(2023, 2, 13), before_half_term)
    assert events == [
        PepReviewOverdue(
            child_id="C1", urn="118001", term=SPRING, due_on=date(2023, 2, 10), noticed_on=date(2023, 2, 13)
        )
    ]


def test_the_terms_pep_in_place_meets_its_review(term_dates: SchoolCalendar) -> None:
    kid = child()
    state = run(
        kid,
        term_dates,
        *pep_commands("P1", AUTUMN, PepOccasion.INITIAL, date(2022, 9, 20), date(2022, 10, 10)),
        QualityAssurePep(child_id="C1", pep_id="P1", quality_assured_on=date(2022, 10, 11), rating=Rag.GREEN),
        *pep_commands(
            "P2",
            SPRING,
            PepOccasion.TERMLY_REVIEW,
            date(2023, 1, 9),
            date(2023, 2, 1),
            progress=(
                TargetProgress(target_id="P1-T1", status=TargetStatus.ON_TRACK, evidence="Reading age 8y 6m"),
            ),
        ),
    )
    assert overdue(kid, state, term_dates, date(2023, 4, 3)) == []


def test_a_change_of_school_restarts_the_clock_and_an_older_pep_does_not_meet_it(
    term_dates: SchoolCalendar,
) -> None:
    """domain.md 2: in place within 20 working days of a change of school (7 Nov 2022 -> 5 Dec)."""
    kid = child("C1", ENTERED, "118001", moved(date(2022, 11, 7)))
    state = run(
        kid,
        term_dates,
        *pep_commands("P1", AUTUMN, PepOccasion.INITIAL, date(2022, 9, 20), date(2022, 10, 10)),
    )
    assert overdue(kid, state, term_dates, date(2022, 12, 6)) == [
        PepOverdue(
            child_id="C1",
            urn="118002",
            due_after=DueAfter.CHANGE_OF_SCHOOL,
            clock_started_on=date(2022, 11, 7),
            due_on=date(2022, 12, 5),
            noticed_on=date(2022, 12, 6),
        )
    ]
    after = run(
        kid,
        term_dates,
        *pep_commands("P2", AUTUMN, PepOccasion.CHANGE_OF_SCHOOL, date(2022, 11, 8), date(2022, 12, 1)),
        state=state,
    )
    assert overdue(kid, after, term_dates, date(2022, 12, 6)) == []


def test_no_deadline_falls_on_a_child_who_left_care_before_it(term_dates: SchoolCalendar) -> None:
    kid = child(
        "C1",
        ENTERED,
        "118001",
        ChildLeftCare(
            child_id="C1",
            left_care_on=date(2022, 9, 23),
            reason=LeftCareReason.RETURNED_HOME,
            previously_looked_after=False,
            urn="118001",
        ),
    )
    assert overdue(kid, NO_PEPS, term_dates, date(2023, 5, 1)) == []


def test_a_previously_looked_after_child_has_no_pep_deadlines(term_dates: SchoolCalendar) -> None:
    assert pep_obligations(children.NO_CHILD, NO_PEPS, DEFAULT_PEP_TIMING, term_dates) == []


# --- the termly compliance report -------------------------------------------------------------


def test_compliance_counts_peps_due_in_time_late_and_overdue_by_term_and_school(
    term_dates: SchoolCalendar,
) -> None:
    in_time_kid = child("C1")
    late_kid = child("C2", ENTERED, "118002")
    overdue_kid = child("C3")
    in_time = run(
        in_time_kid,
        term_dates,
        *pep_commands("P1", AUTUMN, PepOccasion.INITIAL, date(2022, 9, 20), date(2022, 10, 10)),
    )
    late = run(
        late_kid,
        term_dates,
        *pep_commands("P1", AUTUMN, PepOccasion.INITIAL, date(2022, 9, 20), date(2022, 10, 14), "C2"),
    )
    obligations = [
        *pep_obligations(in_time_kid, in_time, DEFAULT_PEP_TIMING, term_dates),
        *pep_obligations(late_kid, late, DEFAULT_PEP_TIMING, term_dates),
        *pep_obligations(overdue_kid, NO_PEPS, DEFAULT_PEP_TIMING, term_dates),
    ]
    today = date(2022, 11, 1)
    by_school = compliance_by_term_and_school(obligations, today)
    assert by_school[(AUTUMN, "118001")] == ComplianceCounts(due=2, completed_in_time=1, overdue=1)
    assert by_school[(AUTUMN, "118002")] == ComplianceCounts(due=1, late=1)
    autumn = compliance_by_term(obligations, today)[AUTUMN]
    assert autumn == ComplianceCounts(due=3, completed_in_time=1, late=1, overdue=1)
    assert autumn.in_time_rate == Fraction(1, 3)
    assert compliance_by_term(obligations, today)[SPRING] == ComplianceCounts(due=3, not_yet_due=3)


def test_terms_where_the_in_time_rate_fell_are_named() -> None:
    """Seed 002: the plan wants PEPs completed within time frame to rise term on term."""
    by_term = {
        term(2022, "autumn"): ComplianceCounts(due=4, completed_in_time=2, late=2),
        term(2022, "spring"): ComplianceCounts(due=4, completed_in_time=3, overdue=1),
        term(2022, "summer"): ComplianceCounts(due=4, completed_in_time=1, late=3),
    }
    assert terms_where_in_time_rate_fell(by_term) == [term(2022, "summer")]
