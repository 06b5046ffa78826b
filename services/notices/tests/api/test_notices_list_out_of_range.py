"""A list asked for from an offset past any list's length is an empty page, never a server error.
(The API admits any whole number from 0 for ``offset``; PostgreSQL's OFFSET is a bigint.)"""

from __future__ import annotations

import pytest

PAST_ANY_OFFSET = 2**70  # well past 2**63 - 1, the largest bigint


@pytest.mark.parametrize("path", ["/notices", "/directions"])
async def test_an_offset_past_the_largest_bigint_gives_an_empty_page(client, auth, path):
    response = await client.get(path, params={"offset": PAST_ANY_OFFSET}, headers=auth("auditor"))
    assert response.status_code == 200, response.text
    assert response.json() == []
