"""A NUL character in what an auditor asks for is their own 422 naming the parameter, not a 500."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "path",
    ["/feed?subject=child:%00", "/feed?subject=child:C1%00x&after=0", "/exports/feed?subject=%00"],
)
async def test_a_nul_in_a_query_parameter_is_a_422_naming_it(client, auth, path):
    answer = await client.get(path, headers=auth("auditor"))
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["field"] == "subject"


async def test_a_nul_in_the_path_is_a_422(client, auth):
    answer = await client.get("/streams/child-C1%00/events", headers=auth("auditor"))
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == "path"
