"""A year's budget is folded in proportion to its events (domain/kept.py): an event makes a new
budget that shares every request it leaves alone, and never changes a budget already folded."""

from dataclasses import replace

from pp_builders import (
    FY,
    approved,
    given,
    grant,
    line,
    paid,
    part_approved,
    project_approved,
    project_proposed,
    refused,
    requested,
    scheduled,
)

from pupil_premium.domain.budget_state import NO_BUDGET, RequestStatus, evolve
from pupil_premium.domain.events import RequestWithdrawn
from pupil_premium.domain.kept import Entries, ItemsById


def test_an_event_leaves_the_budget_before_it_as_it_was_and_shares_what_it_did_not_change():
    r1, r2, r3 = (requested(f"R{n}", child_id=f"C{n}") for n in (1, 2, 3))
    before = given(grant(), r1, r2, r3)
    after = evolve(before, approved(r2))

    assert before.requests["R2"].status is RequestStatus.SUBMITTED
    assert before.approved_pence == 0 and len(before.ledger) == 1
    assert after.requests["R2"].status is RequestStatus.APPROVED
    assert after.requests["R1"] is before.requests["R1"]
    assert after.requests["R3"] is before.requests["R3"]
    assert after.requests["R2"] is not before.requests["R2"]
    assert list(after.requests) == ["R1", "R2", "R3"]  # in the order they were made
    assert after.ledger[len(before.ledger) :] == (after.ledger[-1],)
    assert after.ledger[-1].amount_pence == r2.amount_pence


def test_two_different_events_folded_on_one_budget_never_see_each_other():
    """Folding on from an earlier state twice (a command deciding again) gives two budgets, each
    with only its own event in it."""
    base = given(grant(), requested("R1", child_id="C1"))
    one = evolve(base, requested("R2", child_id="C2"))
    other = evolve(base, requested("R3", child_id="C3"))
    again = evolve(base, requested("R2", child_id="C2"))

    assert list(base.requests) == ["R1"]
    assert list(one.requests) == ["R1", "R2"] and "R3" not in one.requests
    assert list(other.requests) == ["R1", "R3"] and "R2" not in other.requests
    assert list(again.requests) == ["R1", "R2"]
    assert evolve(one, requested("R4", child_id="C4")).requests.keys() == {"R1", "R2", "R4"}
    assert "R4" not in other.requests and len(other.requests) == 2


def test_a_payment_run_moves_its_requests_and_shares_the_rest():
    r1, r2, r3 = (requested(f"R{n}", child_id=f"C{n}") for n in (1, 2, 3))
    d1, d2 = approved(r1), approved(r2)
    before = given(grant(), r1, r2, r3, d1, d2, scheduled("RUN1", line(d1)))
    after = evolve(before, paid("RUN1", line(d1)))

    assert after.requests["R1"].status is RequestStatus.PAID
    assert before.requests["R1"].status is RequestStatus.SCHEDULED
    assert after.requests["R2"] is before.requests["R2"]
    assert after.paid_pence == d1.amount_approved_pence


def test_the_kept_collections_read_as_a_mapping_and_a_sequence():
    items = ItemsById({"a": 1, "b": 2}).with_item("c", 3).with_item("a", 10)
    assert items == {"a": 10, "b": 2, "c": 3}
    assert list(items.items()) == [("a", 10), ("b", 2), ("c", 3)]
    assert list(items.values()) == [10, 2, 3] and len(items.values()) == 3
    assert "d" not in items and items.get("d") is None

    many = ItemsById()
    for n in range(2000):  # past one level of the tree and the next
        many = many.with_item(f"k{n}", n)
    assert len(many) == 2000 and many["k1999"] == 1999 and list(many)[1234] == "k1234"
    assert many.with_item("k5", -5)["k5"] == -5 and many["k5"] == 5

    entries = Entries(range(40)).plus([40, 41])
    assert entries[40:] == (40, 41) and entries[-1] == 41 and len(entries) == 42
    assert entries == tuple(range(42)) and list(entries)[:3] == [0, 1, 2]


def test_a_mapping_tells_what_changed_since_the_one_it_was_made_from_as_comparing_every_item_would():
    """Read models ask which requests an event changed (``changed_since``): the answer must be
    what comparing every item gives, across a tree that grows a level and one made afresh."""
    import random

    def compared(now, earlier):
        return [(item, earlier.get(key)) for key, item in now.items() if item is not earlier.get(key)]

    rng = random.Random(7)
    mapping = ItemsById()
    for step in range(1500):  # past 32 and 1,024 items: the tree grows two levels
        earlier = mapping
        for _ in range(rng.choice([1, 1, 2, 3])):
            key = f"R{rng.randrange(step + 2)}"
            mapping = mapping.with_item(key, object())
        if rng.random() < 0.1:  # the same item set again changes nothing
            some = next(iter(mapping))
            mapping = mapping.with_item(some, mapping[some])
        assert list(mapping.changed_since(earlier)) == compared(mapping, earlier), step

    afresh = ItemsById(dict(mapping.items()) | {"R1": object(), "new": object()})
    assert list(afresh.changed_since(mapping)) == compared(afresh, mapping)
    assert list(mapping.changed_since({"R1": mapping["R1"]})) == compared(mapping, {"R1": mapping["R1"]})


def test_the_years_totals_carried_from_event_to_event_are_the_totals_of_every_item():
    """Each budget's approved and paid totals are carried on from the budget before it and the
    items the event changed; they must be what summing every request and project gives, after
    approvals, part approvals, refusals, withdrawals, payment runs and projects."""
    from datetime import date

    events = [grant(pence=50_000_000)]
    decisions = []
    for n in range(120):
        request = requested(f"R{n}", child_id=f"C{n}")
        events.append(request)
        if n % 5 == 0:
            events.append(refused(request))
            continue
        decision = part_approved(request, 100_00 + n) if n % 3 == 0 else approved(request)
        events.append(decision)
        decisions.append(decision)
        if n % 7 == 0:
            decisions.pop()
            events.append(RequestWithdrawn(
                financial_year=FY, request_id=request.request_id, child_id=request.child_id,
                school_urn=request.school_urn, reason="Moved school", withdrawn_on=date(2024, 10, 2),
                withdrawn_by="Designated teacher", released_pence=decision.amount_approved_pence,
            ))
    first, rest = decisions[:30], decisions[30:60]
    events += [scheduled("RUN1", *map(line, first)), paid("RUN1", *map(line, first))]
    events += [scheduled("RUN2", *map(line, rest))]
    project = project_proposed("P1")
    events += [project, project_approved(project, pence=250_000)]

    budget = NO_BUDGET
    for event in events:
        budget = evolve(budget, event)
        afresh = replace(budget)  # the same items, no totals carried: summed from every item
        assert (budget.approved_pence, budget.paid_pence) == (afresh.approved_pence, afresh.paid_pence), event
    assert budget.paid_pence == sum(d.amount_approved_pence for d in first) > 0
    assert budget.approved_pence > budget.paid_pence
    assert budget.remaining_pence == 50_000_000 - budget.approved_pence
