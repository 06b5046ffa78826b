"""Approvals never exceed the budget, even when many are made at the same moment (domain.md section 3).

An approval is a decision against the year's budget stream, appended with the stream version it
was decided against. When approvals race, every one but the first finds the stream has moved on,
is decided again against the new balance, and is refused once the balance no longer covers it.
"""

import random
import threading

import pytest

from pp_builders import FY, PANEL, POLICIES, TODAY, approved, given, grant, requested, top_sliced
from pp_stream import InMemoryStream, StreamMovedOn, handle
from pupil_premium.domain.budget_state import fold
from pupil_premium.domain.panel import ApproveRequest, approve_request
from shared.errors import RuleViolation

REQUESTS = [requested(f"R{n}", child_id=f"C{n}", amount=60_000) for n in range(40)]


def approval_of(request_id: str):
    command = ApproveRequest(financial_year=FY, request_id=request_id, panel_members=PANEL)
    return lambda budget: approve_request(command, budget, policies=POLICIES, today=TODAY)


def test_two_approvals_decided_against_the_same_balance_cannot_both_be_written():
    stream = InMemoryStream([grant(100_000), REQUESTS[0], REQUESTS[1]])
    events, version = stream.read()
    first = approval_of("R0")(fold(events))
    second = approval_of("R1")(fold(events))  # each fits the balance alone
    stream.append(first, version)
    with pytest.raises(StreamMovedOn):
        stream.append(second, version)
    events, version = stream.read()
    with pytest.raises(RuleViolation):
        approval_of("R1")(fold(events))  # decided again, it no longer fits


def test_many_concurrent_approvals_whose_total_exceeds_the_balance_never_overspend():
    """40 approvals of 600 pounds (24,000 pounds) race for 10,000 pounds: exactly 16 succeed."""
    stream = InMemoryStream([grant(1_200_000), top_sliced("TS1", 200_000), *REQUESTS])
    start = threading.Barrier(len(REQUESTS))
    outcomes: dict[str, str] = {}

    def panel_member(request_id: str) -> None:
        try:
            handle(stream, approval_of(request_id), before_first_decision=start.wait)
            outcomes[request_id] = "approved"
        except RuleViolation:
            outcomes[request_id] = "refused"

    threads = [threading.Thread(target=panel_member, args=(r.request_id,)) for r in REQUESTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    budget = fold(stream.events)
    assert list(outcomes.values()).count("approved") == 16
    assert list(outcomes.values()).count("refused") == 24
    assert budget.approved_pence == 960_000
    assert budget.remaining_pence == 40_000
    assert budget.approved_pence + budget.top_sliced_pence <= budget.grant_pence


def test_whatever_order_approvals_arrive_in_the_remaining_balance_never_goes_below_zero():
    randomness = random.Random(20240401)
    for _ in range(50):
        amounts = [randomness.randrange(1, 65_001) for _ in range(30)]
        requests = [requested(f"R{n}", child_id=f"C{n}", amount=a) for n, a in enumerate(amounts)]
        budget = given(grant(randomness.randrange(0, 1_000_000)), *requests)
        order = list(range(30))
        randomness.shuffle(order)
        for n in order:
            try:
                budget = fold(approval_of(f"R{n}")(budget), budget)
            except RuleViolation:
                assert budget.requests[f"R{n}"].amount_requested_pence > budget.remaining_pence
            assert budget.remaining_pence >= 0
        assert budget.remaining_pence < min(
            [r.amount_requested_pence for r in budget.requests.values() if r.is_open],
            default=budget.remaining_pence + 1,
        )


def test_an_approval_refused_for_lack_of_budget_leaves_the_request_open_for_a_smaller_award():
    history = [grant(100_000), REQUESTS[0], approved(REQUESTS[0]), REQUESTS[1]]
    with pytest.raises(RuleViolation):
        approval_of("R1")(given(*history))
    assert given(*history).requests["R1"].is_open
