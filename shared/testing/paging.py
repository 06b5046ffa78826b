"""Reading a whole list the way a client does: from its first page, following each page's ``next``
to the last page (``shared.web.paging``)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

# More pages than any test list has: a list whose next never runs out fails instead of hanging.
MOST_PAGES = 200


async def every_page(client: httpx.AsyncClient, link: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """Every page of the list at ``link``, in order. Each is a 200 envelope whose ``next`` and
    ``next_cursor`` are both given or both null, and only the last page's are null."""
    pages: list[dict[str, Any]] = []
    while link is not None:
        assert len(pages) < MOST_PAGES, f"{link}: next never ran out"
        answer = await client.get(link, headers=headers)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        assert {"items", "next_cursor", "next"} <= set(page), page
        assert (page["next"] is None) == (page["next_cursor"] is None), page
        pages.append(page)
        link = page["next"]
    return pages


def items_of(pages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [item for page in pages for item in page["items"]]


def query_of(link: str) -> dict[str, list[str]]:
    """A next link's query, each parameter with its values: to check it kept the request's own."""
    return parse_qs(urlsplit(link).query, keep_blank_values=True)
