"""The request register a page at a time, in the order requests were made: following ``next``
reads each request once with the school filter kept, a request made between two pages is read
once, at the end, and a cursor that was tampered with is refused naming ``after``."""

from pp_api import FY, OTHER_URN, URN, create_app, given_child, make_request, settle

from shared.testing.paging import every_page, items_of, query_of

REGISTER = f"/budgets/{FY}/requests"


async def test_a_request_made_between_two_pages_is_read_once_at_the_end(service_client, auth):
    ours, theirs = auth("designated_teacher", urn=URN), auth("designated_teacher", urn=OTHER_URN)
    officer = auth("virtual_school_officer")
    async with service_client(create_app) as client:
        for child in ("C1", "C2", "C3", "C4", "C5", "C6"):
            await given_child(client, child)
        await given_child(client, "X1", urn=OTHER_URN)
        made = [await make_request(client, ours, child) for child in ("C1", "C2", "C3")]
        await make_request(client, theirs, "X1")
        made += [await make_request(client, ours, "C4")]
        await settle(client.app)

        first = (await client.get(REGISTER, params={"school_urn": URN, "limit": 2}, headers=officer)).json()
        made += [await make_request(client, ours, child) for child in ("C5", "C6")]
        await settle(client.app)
        rest = await every_page(client, first["next"], officer)

        pages = [first, *rest]
        assert [r["request_id"] for r in items_of(pages)] == made
        assert {r["school_urn"] for r in items_of(pages)} == {URN}
        assert [len(p["items"]) for p in pages] == [2, 2, 2]
        for page in pages[:-1]:
            assert query_of(page["next"])["school_urn"] == [URN]
        assert pages[-1]["next"] is None and pages[-1]["next_cursor"] is None


async def test_a_tampered_register_cursor_is_refused_naming_after_and_changes_nothing(
    service_client, auth
):
    ours = auth("designated_teacher", urn=URN)
    async with service_client(create_app) as client:
        for child in ("C1", "C2"):
            await given_child(client, child)
            await make_request(client, ours, child)
        await settle(client.app)
        cursor = (await client.get(REGISTER, params={"limit": 1}, headers=ours)).json()["next_cursor"]
        head = await client.app.state.store.head_position()

        for tampered in (cursor[:-1], cursor + "=x", "1", "WyJhIl0"):  # the last holds text, not a position
            answer = await client.get(REGISTER, params={"after": tampered}, headers=ours)
            assert answer.status_code == 422, (tampered, answer.text)
            assert answer.json()["field"] == "after"
        assert await client.app.state.store.head_position() == head
