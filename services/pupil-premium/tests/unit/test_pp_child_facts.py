"""The facts about a child, folded from the pep service's events (domain.md sections 2 and 3)."""

from datetime import date

from pp_builders import OTHER_URN, TERMS, URN, child, described, pep_events
from pupil_premium.domain.child_facts import facts_from, looked_after_children_on, register_from
from pupil_premium.domain.pep_events import (
    PEP_EVENTS_READ,
    ChildAwaitingSchoolPlace,
    ChildLeftCare,
    ChildMovedSchool,
    PepCompleted,
    PepReviewOverdue,
    PepReviewRecorded,
    PepTargetsSet,
    SmartTarget,
    TargetProgress,
)

TODAY = date(2024, 10, 7)


def moved(on: date, *, last_day: date | None = None):
    return ChildMovedSchool(
        child_id="C1", from_urn=URN, to_urn=OTHER_URN, left_previous_school_on=last_day or on, start_date=on
    )


def termly_review(
    pep_id: str, meeting: date, completed: date, progress: dict[str, str], new_targets=None
) -> list:
    new_targets = new_targets or {}
    return [
        PepTargetsSet(
            child_id="C1",
            pep_id=pep_id,
            set_on=meeting,
            targets=tuple(
                SmartTarget(target_id=t, subject_or_area="Maths", target=d) for t, d in new_targets.items()
            ),
        ),
        PepReviewRecorded(
            child_id="C1",
            pep_id=pep_id,
            meeting_date=meeting,
            target_progress=tuple(TargetProgress(target_id=t, status=s) for t, s in progress.items()),
        ),
        PepCompleted(
            child_id="C1",
            pep_id=pep_id,
            completed_on=completed,
            rating="green",
            target_ids=tuple(new_targets),
        ),
    ]


def test_a_child_is_on_roll_at_the_school_they_were_placed_at_from_their_first_day():
    facts = child(placed=date(2023, 1, 16))
    assert facts.on_roll_at(URN, date(2023, 1, 16))
    assert not facts.on_roll_at(URN, date(2023, 1, 15))


def test_after_a_move_the_child_is_on_roll_at_the_new_school_only():
    facts = facts_from("C1", [*pep_events(), moved(date(2024, 9, 30), last_day=date(2024, 9, 27))])
    assert facts.on_roll_at(URN, date(2024, 9, 27))
    assert facts.school_on(date(2024, 9, 28)) is None
    assert not facts.on_roll_at(URN, date(2024, 9, 30))
    assert facts.on_roll_at(OTHER_URN, date(2024, 9, 30))


def test_a_child_awaiting_a_school_place_is_on_no_roll_after_their_last_day():
    facts = facts_from(
        "C1",
        [
            *pep_events(),
            ChildAwaitingSchoolPlace(
                child_id="C1",
                place_needed_from=date(2024, 10, 2),
                left_urn=URN,
                left_school_on=date(2024, 10, 1),
            ),
        ],
    )
    assert facts.on_roll_at(URN, date(2024, 10, 1))
    assert facts.school_on(date(2024, 10, 2)) is None


def test_a_child_who_has_left_care_is_no_longer_looked_after():
    facts = facts_from("C1", [*pep_events(), ChildLeftCare(child_id="C1", left_care_on=date(2024, 10, 1))])
    assert facts.looked_after_on(date(2024, 9, 30))
    assert not facts.looked_after_on(date(2024, 10, 1))
    assert facts.on_roll_at(URN, date(2024, 10, 1))
    assert facts.current_pep(date(2024, 10, 1), TERMS) is None


def test_a_pep_completed_this_term_is_current():
    facts = child(completed=date(2024, 9, 20))
    pep = facts.current_pep(TODAY, TERMS)
    assert pep.pep_id == "PEP-C1-1"
    assert pep.rating == "green"


def test_a_pep_completed_last_term_is_still_current():
    assert child(completed=date(2024, 5, 10)).current_pep(TODAY, TERMS) is not None


def test_a_pep_not_reviewed_since_before_the_previous_term_is_out_of_date():
    """domain.md section 2: PEPs are reviewed every term."""
    assert child(completed=date(2024, 3, 15)).current_pep(TODAY, TERMS) is None


def test_a_pep_is_not_current_before_the_day_it_is_completed():
    facts = child(completed=date(2024, 10, 8))
    assert facts.current_pep(TODAY, TERMS) is None
    assert facts.current_pep(date(2024, 10, 8), TERMS) is not None


def test_a_pep_that_is_not_completed_is_not_current():
    assert child(completed=None).current_pep(TODAY, TERMS) is None


def test_a_change_of_school_needs_a_new_pep():
    """domain.md section 2: a PEP is needed again after a change of school."""
    facts = facts_from("C1", [*pep_events(), moved(date(2024, 9, 30))])
    assert facts.current_pep(TODAY, TERMS) is None


def test_an_overdue_review_raised_by_the_pep_service_puts_the_pep_out_of_date():
    facts = facts_from(
        "C1",
        [*pep_events(completed=date(2024, 5, 10)), PepReviewOverdue(child_id="C1", due_on=date(2024, 10, 4))],
    )
    assert facts.current_pep(date(2024, 10, 4), TERMS) is not None
    assert facts.current_pep(date(2024, 10, 5), TERMS) is None


def test_a_review_completed_after_the_overdue_date_makes_the_pep_current_again():
    facts = facts_from(
        "C1",
        [
            *pep_events(completed=date(2024, 5, 10)),
            PepReviewOverdue(child_id="C1", due_on=date(2024, 10, 4)),
            *termly_review(
                "PEP-C1-2", date(2024, 10, 8), date(2024, 10, 9), {"T1": "on_track", "T2": "on_track"}
            ),
        ],
    )
    assert facts.current_pep(date(2024, 10, 10), TERMS).pep_id == "PEP-C1-2"


def test_targets_are_in_force_from_the_day_their_pep_is_completed():
    facts = child(completed=date(2024, 9, 20))
    target = facts.target("T1")
    assert target.description == described("T1")
    assert not target.in_force_on(date(2024, 9, 19))
    assert target.in_force_on(date(2024, 9, 20))
    assert facts.target("T9") is None


def test_a_completed_review_closes_achieved_targets_and_carries_the_rest():
    facts = facts_from(
        "C1",
        [
            *pep_events(completed=date(2024, 9, 20)),
            *termly_review(
                "PEP-C1-2",
                date(2024, 12, 2),
                date(2024, 12, 5),
                {"T1": "achieved", "T2": "behind"},
                {"T3": "Times tables"},
            ),
        ],
    )
    day = date(2024, 12, 6)
    assert not facts.target("T1").in_force_on(day)
    assert facts.target("T2").in_force_on(day)
    assert facts.target("T3").in_force_on(day)
    assert facts.pep("PEP-C1-2").review.progress == (("T1", "achieved"), ("T2", "behind"))


def test_the_register_counts_looked_after_children_at_the_census_date():
    events = [
        *pep_events("C1"),
        *pep_events("C2", entered_care=date(2024, 4, 2)),
        *pep_events("C3"),
        ChildLeftCare(child_id="C3", left_care_on=date(2024, 3, 1)),
    ]
    register = register_from(events)
    assert sorted(register) == ["C1", "C2", "C3"]
    assert looked_after_children_on(register, date(2024, 3, 31)) == 1
    assert looked_after_children_on(register, date(2024, 4, 2)) == 2


def test_the_pep_services_events_are_read_tolerantly():
    """The pep service's events carry more than PP+ needs; what is not used is ignored."""
    event = PEP_EVENTS_READ.decode(
        "PepCompleted",
        1,
        {
            "child_id": "C1",
            "urn": URN,
            "pep_id": "P",
            "term": {"academic_year": 2024, "season": "autumn"},
            "occasion": "termly_review",
            "completed_on": "2024-09-20",
            "due_on": "2024-10-18",
            "completed_in_time": True,
            "rating": "amber",
            "target_ids": ["T1"],
        },
    )
    assert (event.rating, event.target_ids) == ("amber", ("T1",))
    assert event.subjects() == ["child:C1"]
    assert event.effective_on() == date(2024, 9, 20)
