"""Warning notices and directions a page at a time, newest first: following ``next`` reads each
once, the school filter kept, and a notice given between two pages is neither skipped nor read
twice (the order is by the day drafted, which giving does not change)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from notices_api_support import low_standards_notice, settled  # noqa: E402

from shared.testing.paging import every_page, items_of, query_of  # noqa: E402

URN = "100001"
OTHER_URN = "100002"


async def draft(client, on, adviser, urn: str, day: date) -> str:
    on(day)
    body = low_standards_notice(urn, compliance_period={"working_days": 20})
    drafted = await client.post("/notices", json=body, headers=adviser)
    assert drafted.status_code == 201, drafted.text
    return drafted.json()["notice_id"]


async def test_notices_are_read_once_each_newest_first_with_the_school_filter_kept(
    client, schools, on, adviser, director
):
    await schools.register(URN)
    await schools.register(OTHER_URN, "Other Primary School")
    days = [date(2024, 1, 8), date(2024, 1, 9), date(2024, 1, 9), date(2024, 1, 10), date(2024, 1, 11)]
    ours = [(day, await draft(client, on, adviser, URN, day)) for day in days]
    await draft(client, on, adviser, OTHER_URN, date(2024, 1, 10))
    await settled(client.app)
    # Newest drafted first; two drafted the same day by id, the greater first.
    expected = [notice_id for _, notice_id in sorted(ours, key=lambda o: (o[0], o[1]), reverse=True)]

    first = (await client.get("/notices", params={"urn": URN, "limit": 2}, headers=adviser)).json()
    # The oldest notice, not read yet, is given before the next page is read: it keeps its place
    # at the end of the list rather than jumping ahead of the pages already read.
    on(date(2024, 1, 12))
    oldest = expected[-1]
    given = await client.post(f"/notices/{oldest}/give", json={"given_on": "2024-01-12"}, headers=director)
    assert given.status_code == 200, given.text
    await settled(client.app)
    rest = await every_page(client, first["next"], adviser)

    pages = [first, *rest]
    assert [n["notice_id"] for n in items_of(pages)] == expected
    assert {n["urn"] for n in items_of(pages)} == {URN}
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    for page in pages[:-1]:
        assert query_of(page["next"])["urn"] == [URN]
    assert pages[-1]["next"] is None


async def test_directions_are_read_once_each_newest_first(client, schools, on, adviser):
    await schools.register(URN)
    recorded = []
    for day in (date(2024, 3, 4), date(2024, 3, 5), date(2024, 3, 6)):
        on(day)
        direction = await client.post(
            "/directions",
            json={"urn": URN, "given_on": day.isoformat(), "specified_terms": "Low standards"},
            headers=adviser,
        )
        assert direction.status_code == 201, direction.text
        recorded.append(direction.json()["direction_id"])
    await settled(client.app)

    pages = await every_page(client, "/directions?limit=2", adviser)

    assert [d["direction_id"] for d in items_of(pages)] == recorded[::-1]
    assert [len(p["items"]) for p in pages] == [2, 1]
