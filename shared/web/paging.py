"""One envelope for every list, and the keyset paging behind it.

Every list a service answers is a ``Page``: ``items``, ``next_cursor`` and ``next``. A caller
either follows ``next`` (a link relative to the service, carrying the request's own filters and
``limit``) or passes ``next_cursor`` back as ``?after=``; both are null on the last page. A list
with figures of its own (the roll's cohort summary, the feed's head position) subclasses the page
and keeps them beside ``items``.

A page's cursor is the keyset of its last item - the values of the columns the list is ordered
by - never a count of rows, so an item added or changed between two pages does not shift the next
one: nothing is skipped or shown twice. Keyset cursors are base64url of a short JSON array and
opaque to callers; a cursor that is not one this list gave is refused with 422 naming ``after``.
It is not signed: a cursor made by hand can only start the list somewhere else, and every row it
reaches is still filtered by the caller's own scope.

The event log's lists page by log position (or stream version, or read id) instead: auditors
follow the feed by position, so there the cursor is that number as text, and ``after`` takes the
number itself.

Each list reads ``limit + 1`` rows: the extra one only says whether another page follows, so the
last page answers ``next: null`` without the caller making an empty round trip to find out.
"""

# No ``from __future__ import annotations``: the dependencies' parameters are annotated with each
# list's own limits, which FastAPI must see as values, not as names it cannot resolve.
import base64
import binascii
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel, Field
from starlette.datastructures import URL

from shared.database import BIGINT_MAX
from shared.errors import InvalidInput

T = TypeVar("T")
R = TypeVar("R")
A = TypeVar("A")

# A cursor holds a few short values; anything longer was not made by a list.
MAX_CURSOR_LENGTH = 600
# The longest text a keyset value may be (identifiers and URNs are far shorter).
MAX_KEY_TEXT = 200

NEXT_CURSOR = (
    "Pass back as `after` to read the next page; opaque: do not build or change it. "
    "Null on the last page."
)
NEXT_LINK = (
    "The next page, as a link relative to this service, with this request's filters and limit: "
    "follow it as it is. Null on the last page."
)
AFTER = "Where the page starts: the `next_cursor` of the page before (or follow its `next` link)."
LIMIT = "The most items on one page."


class Page(BaseModel, Generic[T]):
    """A page of a list: its items, and how to read the next page."""

    items: list[T] = Field(description="This page's items, in the list's order")
    next_cursor: str | None = Field(description=NEXT_CURSOR)
    next: str | None = Field(description=NEXT_LINK)


def single_page(items: Iterable[Any]) -> dict[str, Any]:
    """A list bounded by its nature (a year's payment runs, a report's rows), whole in one page."""
    return {"items": list(items), "next_cursor": None, "next": None}


# -- keyset cursors ---------------------------------------------------------------------------


class Keyset:
    """The columns a list is ordered by, by type (``str``, ``int`` or ``date``): what its cursor
    holds. ``Keyset(date, str)`` is a list ordered by a date, then an id."""

    def __init__(self, *kinds: type) -> None:
        unknown = [k for k in kinds if k not in (str, int, date)]
        if not kinds or unknown:
            raise ValueError(f"a keyset orders by text, whole numbers or dates, not {unknown or 'nothing'}")
        self.kinds = kinds

    def encode(self, values: Sequence[Any]) -> str:
        shown = [v.isoformat() if isinstance(v, date) else v for v in values]
        text = json.dumps(shown, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return base64.urlsafe_b64encode(text).rstrip(b"=").decode("ascii")

    def decode(self, cursor: str) -> tuple[Any, ...]:
        """The keyset a cursor holds; ``InvalidInput`` naming ``after`` if it is not one this
        list gave."""
        try:
            padded = cursor + "=" * (-len(cursor) % 4)
            raw = json.loads(base64.b64decode(padded, altchars=b"-_", validate=True).decode("utf-8"))
        except (binascii.Error, UnicodeError, ValueError):
            raise _not_a_cursor() from None
        if not isinstance(raw, list) or len(raw) != len(self.kinds):
            raise _not_a_cursor()
        return tuple(_value(kind, value) for kind, value in zip(self.kinds, raw, strict=True))


def _value(kind: type, value: Any) -> Any:
    if kind is int and type(value) is int and -BIGINT_MAX <= value <= BIGINT_MAX:
        return value
    # PostgreSQL text cannot hold NUL, so a cursor carrying one was never made from a row.
    if kind is str and isinstance(value, str) and len(value) <= MAX_KEY_TEXT and "\x00" not in value:
        return value
    if kind is date and isinstance(value, str) and len(value) == 10:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _not_a_cursor()


def _not_a_cursor() -> InvalidInput:
    return InvalidInput(
        "after is not a cursor this list gave: pass the next_cursor of the previous page exactly "
        "as it came (or follow its next link), or leave after out to start at the beginning",
        field="after",
    )


# -- a page request ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Paging(Generic[A]):
    """What a list route was asked for: where to start (``after``: the keyset of the previous
    page's last item, or None for the first page; for the event log, a position), how many
    items, and the request's URL (for the next link)."""

    after: A
    limit: int
    url: URL
    cursor_of: Callable[[Any], str]

    @property
    def fetch(self) -> int:
        """Rows to read: one more than a page, to know whether another page follows."""
        return self.limit + 1

    def on_page(self, rows: Sequence[R]) -> list[R]:
        """The rows read (with ``fetch``) that the page shows: all but the one read to look ahead."""
        return list(rows[: self.limit])

    def page(self, rows: Sequence[R], key: Callable[[R], Any]) -> dict[str, Any]:
        """The page of ``rows`` (read with ``fetch``, in the list's order): its items and, when
        more follow, the cursor of its last item and the link to the next page. ``key`` gives a
        row's keyset (for the event log, its position)."""
        items = self.on_page(rows)
        if len(rows) <= self.limit or not items:
            return {"items": items, "next_cursor": None, "next": None}
        cursor = self.cursor_of(key(items[-1]))
        return {"items": items, "next_cursor": cursor, "next": next_link(self.url, cursor, self.limit)}

    def page_of_all(self, rows: Iterable[R], key: Callable[[R], tuple[Any, ...]]) -> dict[str, Any]:
        """The page of a list already read whole (because figures over all of it are answered
        beside the page): ordered by ``key``, from after the cursor."""
        ordered = sorted(rows, key=key)
        after = self.after
        remaining = [r for r in ordered if after is None or key(r) > after]
        return self.page(remaining[: self.fetch], key)


def next_link(url: URL, cursor: str, limit: int) -> str:
    """The request's own link, relative to the service, with ``after`` moved on and ``limit``
    said: every other parameter (the filters) kept as the caller gave it."""
    following = url.include_query_params(after=cursor, limit=limit)
    return f"{following.path}?{following.query}"


def keyset_paging(keyset: Keyset, *, default_limit: int = 100, max_limit: int = 500) -> Any:
    """The ``after`` and ``limit`` query parameters of a list ordered by ``keyset``, as a
    dependency: ``paging: Annotated[Paging[tuple | None], keyset_paging(ORDER)]``."""

    def paging(
        request: Request,
        after: Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH, description=AFTER)] = None,
        limit: Annotated[int, Query(ge=1, le=max_limit, description=LIMIT)] = default_limit,
    ) -> Paging[tuple[Any, ...] | None]:
        return Paging(
            after=None if after is None else keyset.decode(after),
            limit=limit,
            url=request.url,
            cursor_of=keyset.encode,
        )

    return Depends(paging)


def position_paging(*, counts: str, default_limit: int = 100, max_limit: int = 1000) -> Any:
    """``after`` and ``limit`` for the event log's lists, which page by a number that only grows
    (a log position, a stream version, a read id): ``after`` is that number, and the cursor is
    the number as text. ``counts`` says which number, for the documentation."""

    def paging(
        request: Request,
        after: Annotated[
            int,
            Query(ge=0, description=f"Start after this {counts}: the `next_cursor` of the page before."),
        ] = 0,
        limit: Annotated[int, Query(ge=1, le=max_limit, description=LIMIT)] = default_limit,
    ) -> Paging[int]:
        return Paging(after=after, limit=limit, url=request.url, cursor_of=str)

    return Depends(paging)
