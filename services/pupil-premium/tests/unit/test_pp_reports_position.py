"""The budget position - grant, top-slices, committed, paid, remaining - on any date, from events."""

from datetime import date

from pp_builders import FY, grant
from pp_scenario import autumn_2024
from pupil_premium.domain.budget_state import fold
from pupil_premium.domain.reports.position import TopSliceLine, budget_position, position_of


def test_todays_position_from_the_ledger_agrees_with_the_folded_budget():
    events = autumn_2024()
    from_ledger = budget_position(events, FY)
    assert from_ledger == position_of(fold(events))
    assert (
        from_ledger.grant_pence,
        from_ledger.top_sliced_pence,
        from_ledger.committed_pence,
        from_ledger.paid_pence,
        from_ledger.remaining_pence,
    ) == (1_000_000, 200_000, 0, 340_000, 460_000)


def test_the_position_at_the_end_of_september_shows_what_was_committed_then():
    position = budget_position(autumn_2024(), FY, as_of=date(2024, 9, 30))
    assert (position.committed_pence, position.paid_pence, position.remaining_pence) == (250_000, 0, 550_000)
    assert position.top_slices == (TopSliceLine("TS1", "Tutoring", 200_000),)


def test_a_withdrawn_approval_is_released_from_the_day_it_was_withdrawn():
    events = autumn_2024()
    before = budget_position(events, FY, as_of=date(2024, 10, 9))
    after = budget_position(events, FY, as_of=date(2024, 10, 10))
    assert after.remaining_pence - before.remaining_pence == 20_000


def test_a_revised_grant_counts_once():
    events = [grant(1_000_000, on=date(2024, 6, 14)), grant(1_100_000, on=date(2024, 9, 1))]
    assert budget_position(events, FY).grant_pence == 1_100_000
    assert budget_position(events, FY, as_of=date(2024, 8, 1)).grant_pence == 1_000_000


def test_other_years_are_not_counted():
    assert budget_position([grant(1_000_000, fy="2023-24")], FY).grant_pence == 0
