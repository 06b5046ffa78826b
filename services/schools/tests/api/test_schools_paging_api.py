"""The register a page at a time: following ``next`` reads every school once, in URN order, with
the request's filters kept; a cursor that was tampered with is refused naming ``after``."""

from __future__ import annotations

from shared.testing.paging import every_page, items_of, query_of

PRIMARY = ["118231", "118233", "118234", "118236", "118237", "118239", "118240"]
SECONDARY = ["118232", "118235", "118238"]


async def register_council(register, settled) -> None:
    for urn in sorted(PRIMARY + SECONDARY):
        await register(urn, name=f"School {urn}", phase="secondary" if urn in SECONDARY else "primary")
    await settled()


async def test_following_next_reads_every_school_once_in_urn_order_keeping_the_filter(
    client, register, settled, auditor
):
    await register_council(register, settled)

    pages = await every_page(client, "/schools?phase=primary&limit=3", auditor)

    assert [s["urn"] for s in items_of(pages)] == PRIMARY
    assert [len(p["items"]) for p in pages] == [3, 3, 1]  # no empty page at the end
    assert pages[-1]["next"] is None and pages[-1]["next_cursor"] is None
    for page in pages[:-1]:
        query = query_of(page["next"])
        assert (query["phase"], query["limit"], query["after"]) == (["primary"], ["3"], [page["next_cursor"]])


async def test_a_list_that_fits_one_page_says_so_without_a_cursor(client, register, settled, auditor):
    await register_council(register, settled)

    whole = (await client.get("/schools", params={"limit": 10}, headers=auditor)).json()

    assert [s["urn"] for s in whole["items"]] == sorted(PRIMARY + SECONDARY)
    assert whole["next_cursor"] is None and whole["next"] is None


async def test_a_cursor_cut_short_or_altered_is_refused_naming_after(
    client, register, settled, auditor, head
):
    await register_council(register, settled)
    cursor = (await client.get("/schools", params={"limit": 2}, headers=auditor)).json()["next_cursor"]
    before = await head()

    for tampered in (cursor[:-3], cursor[::-1], cursor + "$", "118234"):
        answer = await client.get("/schools", params={"after": tampered}, headers=auditor)
        assert answer.status_code == 422, (tampered, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["field"] == "after"
        assert "next_cursor" in answer.json()["detail"]
    assert await head() == before
