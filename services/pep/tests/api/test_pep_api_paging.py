"""The virtual school roll a page at a time: following ``next`` reads each child once, in child id
order, with the roll's filters kept, and every page carries the summary of the whole roll as
filtered; a cursor that was tampered with is refused naming ``after``."""

from __future__ import annotations

from shared.testing.paging import every_page, items_of, query_of

YEAR_9 = ["C02", "C03", "C05", "C07", "C08"]
YEAR_7 = ["C01", "C04", "C06"]


async def test_following_next_reads_the_filtered_roll_once_in_child_id_order(pep_service):
    async with pep_service() as api:
        for child in sorted(YEAR_9 + YEAR_7):
            await api.enter_care(child, "2026-09-01", year_group="year_9" if child in YEAR_9 else "year_7")
        await api.settle()

        pages = await every_page(api.client, "/virtual-school/roll?year_group=year_9&limit=2", api.vsh)

        assert [c["child_id"] for c in items_of(pages)] == YEAR_9
        assert [len(p["items"]) for p in pages] == [2, 2, 1]
        assert {p["summary"]["children"] for p in pages} == {len(YEAR_9)}
        assert {p["summary"]["by_year_group"]["year_9"] for p in pages} == {len(YEAR_9)}
        for page in pages[:-1]:
            query = query_of(page["next"])
            assert (query["year_group"], query["limit"]) == (["year_9"], ["2"])
        assert pages[-1]["next"] is None and pages[-1]["next_cursor"] is None


async def test_a_tampered_roll_cursor_is_refused_naming_after(pep_service):
    async with pep_service() as api:
        for child in YEAR_7:
            await api.enter_care(child, "2026-09-01")
        await api.settle()
        cursor = (await api.ok("GET", "/virtual-school/roll?limit=1", api.vsh))["next_cursor"]

        for tampered in (cursor[:-2], "C01", cursor.upper()):
            answer = await api.client.get("/virtual-school/roll", params={"after": tampered}, headers=api.vsh)
            assert answer.status_code == 422, (tampered, answer.text)
            assert answer.json()["field"] == "after"
