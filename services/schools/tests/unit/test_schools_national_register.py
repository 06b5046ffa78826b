"""The national register's full extract and links file, read a row at a time and decided a batch
at a time (issue 17): every row of every LA read lazily in bounded memory, whatever the file's
encoding; the council's own rows onto its register, every other row a known school; a known
school changed only when the register changes it; a link recorded once on both its schools."""

from __future__ import annotations

import csv
import io
import tracemalloc
from datetime import date

from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.gias import (
    RegisterReader,
    RegisterRow,
    RejectedRow,
    decoded_lines,
    known_details,
    plan_national_batch,
)
from schools.domain.known_schools import (
    NO_KNOWN_SCHOOL,
    KnownSchoolChanged,
    KnownSchoolRecorded,
)
from schools.domain.known_schools import (
    evolve as known_evolve,
)
from schools.domain.links import LinksReader, plan_links, relation_of, seen_from_the_other_side
from schools.domain.register import (
    NO_SCHOOL,
    LinkRelation,
    SchoolDetailsChanged,
    SchoolLinked,
    SchoolRegistered,
)
from schools.domain.register import evolve as register_evolve

from benchmarks.national_register_file import COLUMNS, school_row, write_national_extract

TODAY = date(2026, 11, 2)
AS_OF = date(2026, 10, 30)


def extract(*rows: dict[str, str]) -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return text.getvalue().encode("cp1252")


def read(data: bytes) -> list[RegisterRow | RejectedRow]:
    return list(RegisterReader(decoded_lines(io.BytesIO(data))))


def test_rows_are_read_one_at_a_time_as_the_file_is_read() -> None:
    file = io.BytesIO(extract(*(school_row(i) for i in range(3000))))

    rows = iter(RegisterReader(decoded_lines(file)))
    first = next(rows)

    assert isinstance(first, RegisterRow) and first.urn == "100000"
    # One row read: the file has been read no further than a buffer's worth of its lines.
    assert file.tell() < len(file.getvalue()) // 10


def test_reading_the_whole_extract_holds_a_row_at_a_time_not_the_file(tmp_path) -> None:
    path = write_national_extract(tmp_path / "edubasealldata.csv", 10_000)
    size = path.stat().st_size

    tracemalloc.start()
    try:
        with path.open("rb") as file:
            count = sum(1 for _ in RegisterReader(decoded_lines(file)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == 10_000
    # The file is about 10 MB; what grows with it is only the URNs seen (to find a repeated one).
    assert peak < size / 8, f"peak {peak} bytes reading a {size}-byte file"


def test_names_in_windows_1252_and_in_utf8_read_the_same() -> None:
    row = {**school_row(3), "EstablishmentName": "St Thérèse’s – Chêne School"}
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(row)

    (windows,) = read(text.getvalue().encode("cp1252"))
    (utf8,) = read(b"\xef\xbb\xbf" + text.getvalue().encode("utf-8"))

    assert windows.name == utf8.name == "St Thérèse’s – Chêne School"


def test_a_line_neither_utf8_nor_windows_1252_rejects_its_row_only() -> None:
    data = extract(school_row(1), {**school_row(2), "EstablishmentName": "X"}, school_row(3))
    data = data.replace(b",X,", b",X\x8d,")

    rows = read(data)

    assert [type(r).__name__ for r in rows] == ["RegisterRow", "RejectedRow", "RegisterRow"]
    assert rows[1].reasons == ("the row holds bytes that are neither UTF-8 nor Windows-1252 text",)
    assert rows[1].line == 3


def test_the_trust_is_read_for_a_known_school() -> None:
    (row,) = read(extract(school_row(3)))

    assert row.trust_name == "Étoile Academies Trust"
    assert known_details(row).trust_name == "Étoile Academies Trust"


def plan(rows, on_register=None, known=None):
    return plan_national_batch(
        rows,
        council_la_code="886",
        on_register=lambda urn: (on_register or {}).get(urn, NO_SCHOOL),
        known=lambda urn: (known or {}).get(urn, NO_KNOWN_SCHOOL),
        today=TODAY,
        as_of=AS_OF,
    )


def test_the_councils_rows_are_registered_and_every_other_row_is_a_known_school() -> None:
    kent, camden = read(extract(school_row(0), school_row(3)))

    decided = plan([kent, camden])

    assert [(a.stream_id, type(a.events[0])) for a in decided.appends] == [
        (f"school-{kent.urn}", SchoolRegistered),
        (f"knownschool-{camden.urn}", KnownSchoolRecorded),
    ]
    recorded = decided.appends[1].events[0]
    assert (recorded.name, recorded.la_code, recorded.establishment_type, recorded.phase, recorded.status) == (
        "O’Connell School 3", school_row(3)["LA (code)"], EstablishmentType.ACADEMY_SPONSOR_LED,
        Phase.SECONDARY, SchoolStatus.OPEN,
    )


def test_a_school_on_the_register_stays_there_when_the_register_gives_it_another_la() -> None:
    (kent,) = read(extract(school_row(0)))
    school = register_evolve(NO_SCHOOL, plan([kent]).appends[0].events[0])
    (moved,) = read(extract({**school_row(0), "LA (code)": "887", "LA (name)": "Medway"}))

    decided = plan([moved], on_register={kent.urn: school})

    (append,) = decided.appends
    assert append.stream_id == f"school-{kent.urn}"
    assert isinstance(append.events[0], SchoolDetailsChanged)
    assert append.events[0].changed_fields == ["la_code", "la_name"]


def test_a_known_school_changes_only_when_the_register_changes_it() -> None:
    (row,) = read(extract(school_row(3)))
    known = known_evolve(NO_KNOWN_SCHOOL, plan([row]).appends[0].events[0])

    assert plan([row], known={row.urn: known}).appends == []
    assert plan([row], known={row.urn: known}).unchanged == 1

    (closed,) = read(extract({**school_row(3), "EstablishmentStatus (name)": "Closed", "CloseDate": "31-08-2026"}))
    (append,) = plan([closed], known={row.urn: known}).appends
    (changed,) = append.events
    assert isinstance(changed, KnownSchoolChanged)
    assert changed.changed_fields == ["status", "closed_on"]
    assert (changed.status, changed.closed_on, changed.changed_on) == (SchoolStatus.CLOSED, date(2026, 8, 31), AS_OF)


def test_a_rejected_row_is_reported_and_the_rest_of_the_batch_decided() -> None:
    rows = read(extract(school_row(3), {**school_row(4), "URN": "12"}))

    decided = plan(rows)

    assert len(decided.appends) == 1
    assert [r.line for r in decided.rejected] == [3]


def test_every_kind_of_predecessor_and_successor_is_told_apart_from_other_links() -> None:
    assert relation_of("Predecessor - amalgamated") == LinkRelation.PREDECESSOR
    assert relation_of("Successor - Split School") == LinkRelation.SUCCESSOR
    assert relation_of("Sixth Form Centre Link") == LinkRelation.OTHER
    assert seen_from_the_other_side(LinkRelation.SUCCESSOR, "Successor - merged") == (
        LinkRelation.PREDECESSOR, "Predecessor - merged"
    )
    assert seen_from_the_other_side(LinkRelation.OTHER, "Other") == (LinkRelation.OTHER, "Other")


def links_file(*rows: tuple[str, str, str, str]) -> list:
    text = "URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\r\n" + "".join(
        f"{urn},{linked},{name},{kind},01-09-2015\r\n" for urn, linked, name, kind in rows
    )
    return list(LinksReader(decoded_lines(io.BytesIO(text.encode("cp1252")))))


def known_school(index: int):
    (row,) = read(extract(school_row(index)))
    return known_evolve(NO_KNOWN_SCHOOL, plan([row]).appends[0].events[0])


def test_a_link_listed_both_ways_is_recorded_once_on_each_school() -> None:
    old, new = known_school(3), known_school(13)
    schools = {old.urn: (f"knownschool-{old.urn}", old), new.urn: (f"knownschool-{new.urn}", new)}
    rows = links_file((old.urn, new.urn, "Chêne", "Successor"), (new.urn, old.urn, "O’Connell", "Predecessor"))

    decided = plan_links(rows, schools, today=TODAY)

    assert decided.unchanged == 1
    on_old, on_new = (decided.appends[f"knownschool-{u}"].events for u in (old.urn, new.urn))
    assert [(e.linked_urn, e.relation) for e in on_old] == [(new.urn, LinkRelation.SUCCESSOR)]
    assert [(e.linked_urn, e.relation, e.linked_name) for e in on_new] == [
        (old.urn, LinkRelation.PREDECESSOR, old.details.name)
    ]

    linked = {u: (sid, known_evolve(s, decided.appends[sid].events[0])) for u, (sid, s) in schools.items()}
    assert plan_links(rows, linked, today=TODAY).appends == {}


def test_a_link_to_a_school_never_seen_is_kept_on_the_side_that_is_known() -> None:
    old = known_school(3)

    decided = plan_links(links_file((old.urn, "999999", "Gone", "Successor")), {old.urn: ("k", old)}, today=TODAY)

    assert [type(e) for e in decided.appends["k"].events] == [SchoolLinked]
    assert decided.rejected == []


def test_a_bad_links_row_is_rejected_with_its_reasons() -> None:
    (rejected,) = links_file(("100003", "100003", "Self", "Successor"), )[:1]

    assert isinstance(rejected, RejectedRow)
    assert rejected.reasons == ("a school cannot be linked to itself",)
