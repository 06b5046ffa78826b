"""Approvals never exceed the budget (domain.md section 3): each is decided against the balance left.

An approval is a decision against the year's budget stream, appended with the stream version it
was decided against; when approvals race, a clash is decided again against the new balance. The
race itself is proved on the real event log, through the API (``tests/api/test_pp_api_no_overspend.py``).
"""

import random

import pytest

from pp_builders import FY, PANEL, POLICIES, TODAY, approved, given, grant, requested
from pupil_premium.domain.budget_state import fold
from pupil_premium.domain.panel import ApproveRequest, approve_request
from shared.errors import RuleViolation

REQUESTS = [requested(f"R{n}", child_id=f"C{n}", amount=60_000) for n in range(40)]


def approval_of(request_id: str):
    command = ApproveRequest(financial_year=FY, request_id=request_id, panel_members=PANEL)
    return lambda budget: approve_request(command, budget, policies=POLICIES, today=TODAY)


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
