"""Positions, ids and instants beyond what PostgreSQL can hold are answered, never a 500."""

from __future__ import annotations

import pytest

HUGE = 2**70


@pytest.mark.parametrize(
    ("path", "status", "field"),
    [
        (f"/verification?to_position={HUGE}", 422, "to_position"),
        (f"/verification?from_position={HUGE}", 422, "from_position"),
        (f"/record-reads?after={HUGE}", 200, None),
        ("/record-reads?read_from=0001-01-01T00:00:00%2B14:00", 422, "read_from"),
        ("/record-reads?read_before=9999-12-31T23:59:59-14:00", 422, "read_before"),
        (f"/checkpoints?after={HUGE}", 200, None),
    ],
)
async def test_a_value_past_what_the_database_holds_is_answered(client, auth, path, status, field):
    answer = await client.get(path, headers=auth("auditor"))
    assert answer.status_code == status, answer.text
    if field is not None:
        assert answer.json()["field"] == field
