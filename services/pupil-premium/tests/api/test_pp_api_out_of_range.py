"""Numbers and dates at the edges of what the API admits are answered, never with a server
error: a cursor carrying a position past the largest bigint is refused naming ``after``, and a
weekly sheet for a week the calendar cannot hold is refused naming ``week_starting``."""

from __future__ import annotations

import pytest
from pp_api import FY

from shared.web.paging import Keyset

from pupil_premium.main import create_app

PAST_ANY_POSITION = 2**70  # well past 2**63 - 1, the largest bigint


async def test_a_register_cursor_past_the_largest_bigint_is_refused_naming_after(service_client, auth):
    # A cursor no page could have given: made by hand, with a position no log can reach.
    cursor = Keyset(int).encode([PAST_ANY_POSITION])
    async with service_client(create_app) as client:
        response = await client.get(
            f"/budgets/{FY}/requests", params={"after": cursor}, headers=auth("finance_officer")
        )
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "after"


@pytest.mark.parametrize("week_starting", ["0001-01-01", "9999-12-27"])
async def test_a_week_the_calendar_cannot_hold_is_refused_naming_the_field(
    service_client, auth, week_starting
):
    async with service_client(create_app) as client:
        response = await client.get(
            f"/budgets/{FY}/reports/weekly-tracking",
            params={"week_starting": week_starting},
            headers=auth("finance_officer"),
        )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "week_starting"


async def test_the_last_week_the_calendar_holds_is_answered(service_client, auth):
    async with service_client(create_app) as client:
        response = await client.get(
            f"/budgets/{FY}/reports/weekly-tracking",
            params={"week_starting": "9999-12-25"},
            headers=auth("finance_officer"),
        )
    assert response.status_code == 200, response.text
    assert response.json()["received"] == 0
