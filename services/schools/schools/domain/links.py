"""The national register's links file ("links_edubasealldata" from Get Information About Schools):
which URNs follow on from which, so a URN change keeps a school's history together.

When a school converts to an academy, amalgamates with another or splits, the register closes
the old URN and opens a new one, and its links file joins them: one row per link, ``URN``,
``LinkURN``, ``LinkName``, ``LinkType`` ("Predecessor", "Successor", "Predecessor - amalgamated",
"Successor - merged", "Sixth Form Centre Link", ...) and ``LinkEstablishedDate``. ``LinkType``
says what ``LinkURN`` is to ``URN``.

Each link becomes a ``SchoolLinked`` event on *both* schools' streams - the council's register
(``school-<urn>``) or a known school (``knownschool-<urn>``) - the other school seeing the link
the other way round (a successor's predecessor). The file usually lists both directions; a link
already recorded either way, or by a conversion recorded in this service
(``conversion.decide_conversion``: the academy's ``predecessor_urn``, the closed school's
``successor_urn``), appends nothing (``School.linked_to``), so the same file imported twice
appends nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from schools.domain.gias import (
    UNREADABLE,
    UNREADABLE_ROW,
    RejectedRow,
    StreamEvents,
    cell_text,
    csv_records,
    read_date,
    read_header,
)
from schools.domain.known_schools import KnownSchool
from schools.domain.known_schools import evolve as known_evolve
from schools.domain.register import LinkRelation, School, SchoolLinked
from schools.domain.register import evolve as register_evolve
from shared.events import Event
from shared.text import LABEL_MAX, NAME_MAX
from shared.urn import is_urn

URN = "URN"
LINK_URN = "LinkURN"
LINK_NAME = "LinkName"
LINK_TYPE = "LinkType"
LINK_DATE = "LinkEstablishedDate"
REQUIRED_COLUMNS = (URN, LINK_URN, LINK_TYPE)

_OPPOSITE_WORDS = {"predecessor": "Successor", "successor": "Predecessor"}


def relation_of(link_type: str) -> LinkRelation:
    """What the linked school is, from the register's words: every kind of predecessor
    ("Predecessor - amalgamated", "- merged", "- Split School") is a predecessor, likewise for
    successors; any other link (a sixth-form centre's, "Other") is kept as it is worded."""
    first = link_type.strip().split(" ", 1)[0].lower()
    if first == "predecessor":
        return LinkRelation.PREDECESSOR
    if first == "successor":
        return LinkRelation.SUCCESSOR
    return LinkRelation.OTHER


def seen_from_the_other_side(relation: LinkRelation, link_type: str) -> tuple[LinkRelation, str]:
    """The same link as the linked school's stream records it: a successor's predecessor, in
    the register's words ("Successor - merged" is, the other way, "Predecessor - merged")."""
    if relation == LinkRelation.OTHER:
        return relation, link_type
    first, _, rest = link_type.strip().partition(" ")
    words = _OPPOSITE_WORDS[first.lower()] + (f" {rest}" if rest else "")
    opposite = LinkRelation.SUCCESSOR if relation == LinkRelation.PREDECESSOR else LinkRelation.PREDECESSOR
    return opposite, words


@dataclass(frozen=True)
class LinkRow:
    line: int
    urn: str
    linked_urn: str
    linked_name: str | None
    link_type: str
    relation: LinkRelation
    linked_on: date | None


class LinksReader:
    """The links file read a row at a time (``gias.RegisterReader``'s way: the header at once, a
    file without the columns refused whole, each row a ``LinkRow`` or a ``RejectedRow``)."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._reader = csv.reader(lines)
        header = read_header(self._reader, REQUIRED_COLUMNS)
        self._width = len(header)
        self._index = {name: header.index(name) for name in header}

    def __iter__(self) -> Iterator[LinkRow | RejectedRow]:
        index = self._index
        for start, cells in csv_records(self._reader, self._width, index.get(URN)):
            if isinstance(cells, RejectedRow):
                yield cells
                continue
            reasons: list[str] = [UNREADABLE_ROW] if any(UNREADABLE in cell for cell in cells) else []
            urn, linked_urn = cell_text(cells, index, URN), cell_text(cells, index, LINK_URN)
            link_type, name = cell_text(cells, index, LINK_TYPE), cell_text(cells, index, LINK_NAME)
            for column, value in ((URN, urn), (LINK_URN, linked_urn)):
                if not is_urn(value):
                    reasons.append(f"{column} {value!r} is not six digits")
            if urn and urn == linked_urn:
                reasons.append("a school cannot be linked to itself")
            if not link_type:
                reasons.append("LinkType is empty")
            elif len(link_type) > LABEL_MAX:
                reasons.append(f"LinkType is longer than {LABEL_MAX} characters")
            if len(name) > NAME_MAX:
                reasons.append(f"LinkName is longer than {NAME_MAX} characters")
            linked_on = read_date(cell_text(cells, index, LINK_DATE), LINK_DATE, reasons)
            if reasons:
                yield RejectedRow(start, urn or None, tuple(reasons))
                continue
            yield LinkRow(start, urn, linked_urn, name or None, link_type, relation_of(link_type), linked_on)


Linkable = School | KnownSchool


@dataclass
class LinksPlan:
    """What a batch of links appends: each stream's events (one append per stream), and the rows
    that could not be linked."""

    appends: dict[str, StreamEvents] = field(default_factory=dict)
    rejected: list[RejectedRow] = field(default_factory=list)
    unchanged: int = 0

    @property
    def events(self) -> list[Event]:
        return [event for append in self.appends.values() for event in append.events]


def plan_links(
    rows: Iterable[LinkRow | RejectedRow],
    schools: dict[str, tuple[str, Linkable]],
    *,
    today: date,
) -> LinksPlan:
    """Decide a batch of links against the schools they join: ``schools`` holds, for each URN
    of the batch that is known at all, its stream and state (the council's register first). A
    link is recorded on each of its schools that is known; a row neither of whose schools is
    known is rejected (import the national register first)."""
    plan = LinksPlan()
    states = dict(schools)
    for row in rows:
        if isinstance(row, RejectedRow):
            plan.rejected.append(row)
            continue
        if row.urn not in states and row.linked_urn not in states:
            plan.rejected.append(
                RejectedRow(
                    row.line,
                    row.urn,
                    (
                        (
                            f"neither URN {row.urn} nor {row.linked_urn} is a known school: "
                            "import the national register first"
                        ),
                    ),
                )
            )
            continue
        other_relation, other_words = seen_from_the_other_side(row.relation, row.link_type)
        own_name = _name(states[row.urn][1]) if row.urn in states else None
        sides = (
            (row.urn, row.linked_urn, row.relation, row.link_type, row.linked_name),
            (row.linked_urn, row.urn, other_relation, other_words, own_name),
        )
        recorded = False
        for urn, linked_urn, relation, words, name in sides:
            if urn not in states:
                continue
            stream_id, school = states[urn]
            if school.linked_to(linked_urn, relation):
                continue
            event = SchoolLinked(
                urn=urn,
                linked_urn=linked_urn,
                relation=relation,
                link_type=words,
                linked_name=name,
                linked_on=row.linked_on,
                recorded_on=today,
            )
            states[urn] = (stream_id, _evolve(school, event))
            plan.appends.setdefault(stream_id, StreamEvents(stream_id, row.line, [])).events.append(event)
            recorded = True
        if not recorded:
            plan.unchanged += 1
    return plan


def _name(school: Linkable) -> str | None:
    return school.details.name if school.details is not None else None


def _evolve(school: Linkable, event: Event) -> Linkable:
    return register_evolve(school, event) if isinstance(school, School) else known_evolve(school, event)
