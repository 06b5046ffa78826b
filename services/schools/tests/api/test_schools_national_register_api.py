"""Importing the whole national register (GIAS "edubasealldata", every establishment in England)
and its links file through the API, from the files the operator puts where the settings say:
the council's own schools become its register, every other school a known school; a second
import appends nothing; bad rows are reported by line while good rows import; the links file
joins a school's predecessors and successors on both sides (issue 17)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from schools.main import create_app

from benchmarks.national_register_file import (
    COLUMNS,
    FIRST_URN,
    school_row,
    write_links,
    write_national_extract,
)
from shared.testing.fixtures import settle

ROWS = 50_000
KENT = "886"


@pytest.fixture(scope="module")
def national_extract(tmp_path_factory) -> Path:
    """The 50,000-row extract, written once for the module."""
    return write_national_extract(tmp_path_factory.mktemp("gias") / "edubasealldata.csv", ROWS)


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    return {"register": tmp_path / "edubasealldata.csv", "links": tmp_path / "links_edubasealldata.csv"}


@pytest.fixture
def national_client(service_client, monkeypatch, files):
    """The schools service configured as Kent's, reading the files where ``files`` says."""

    def running(register: Path | None = None, *, council: str | None = KENT):
        if council is not None:
            monkeypatch.setenv("COUNCIL_LA_CODE", council)
        monkeypatch.setenv("NATIONAL_REGISTER_FILE", str(register or files["register"]))
        monkeypatch.setenv("NATIONAL_REGISTER_LINKS_FILE", str(files["links"]))
        return service_client(create_app)

    return running


def small_extract(path: Path, rows: list[dict[str, str]], *, encoding: str = "cp1252") -> Path:
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


async def import_national(client, headers, **params):
    return await client.post("/schools/imports/national-register", params=params, headers=headers)


@pytest.mark.slow
async def test_the_whole_national_extract_imports_and_a_second_import_appends_nothing(
    national_client, national_extract, principal_adviser, auth
) -> None:
    kent_rows = [i for i in range(ROWS) if school_row(i)["LA (code)"] == KENT]
    async with national_client(national_extract) as client:
        first = await import_national(client, principal_adviser, as_of="2026-10-30")
        assert first.status_code == 200, first.text
        report = first.json()
        assert report["council_la_code"] == KENT
        assert report["rows_read"] == ROWS
        assert report["rejected_count"] == 0 and report["rejected"] == []
        assert report["registered"] == len(kent_rows)
        assert report["known_recorded"] == ROWS - len(kent_rows)
        assert report["events_appended"] == ROWS
        head = await client.app.state.store.head_position()

        second = await import_national(client, principal_adviser, as_of="2026-10-30")
        assert second.status_code == 200, second.text
        again = second.json()
        assert again["events_appended"] == 0
        assert again["unchanged"] == ROWS
        assert await client.app.state.store.head_position() == head

        # The council's register holds its own schools only: the list and dashboard read it.
        await settle(client.app)
        on_register = await client.app.state.pool.fetchval("SELECT count(*) FROM schools.school_profiles")
        assert on_register == len(kent_rows)
        kent_urn, other_urn = str(FIRST_URN + kent_rows[1]), str(FIRST_URN + 3)
        assert (await client.get(f"/schools/{kent_urn}", headers=principal_adviser)).status_code == 200
        assert (await client.get(f"/schools/{other_urn}", headers=principal_adviser)).status_code == 404

        # Any other school is known: its name read from Windows-1252 as written.
        known = await client.get(f"/known-schools/{other_urn}", headers=auth("virtual_school_head"))
        assert known.status_code == 200, known.text
        assert known.json() | {"version": 1} == {
            "urn": other_urn,
            "name": "O’Connell School 3",
            "la_code": school_row(3)["LA (code)"],
            "la_name": school_row(3)["LA (name)"],
            "establishment_type": "academy_sponsor_led",
            "phase": "secondary",
            "status": "open",
            "opened_on": "1953-09-01",
            "closed_on": None,
            "trust_name": "Étoile Academies Trust",
            "religious_character": None,
            "diocese": None,
            "headteacher": "Dr Aoife Head3",
            "version": 1,
        }
        assert (await client.get(f"/known-schools/{kent_urn}", headers=principal_adviser)).status_code == 404


async def test_only_the_rows_that_changed_append_and_each_where_it_belongs(
    national_client, files, principal_adviser, clock
) -> None:
    kent, camden = school_row(0), school_row(3)
    small_extract(files["register"], [kent, camden])
    async with national_client() as client:
        assert (await import_national(client, principal_adviser)).json()["events_appended"] == 2

        small_extract(
            files["register"],
            [{**kent, "HeadLastName": "Okafor"}, {**camden, "Trusts (name)": "Chêne Trust"}],
        )
        report = (await import_national(client, principal_adviser)).json()

        assert (report["details_changed"], report["known_changed"], report["events_appended"]) == (1, 1, 2)
        changed = await client.app.state.store.read_stream(f"knownschool-{camden['URN']}")
        assert [r.event_type for r in changed] == ["KnownSchoolRecorded", "KnownSchoolChanged"]
        assert changed[-1].data["changed_fields"] == ["trust_name"]
        assert changed[-1].data["trust_name"] == "Chêne Trust"
        register = await client.app.state.store.read_stream(f"school-{kent['URN']}")
        assert [r.event_type for r in register] == ["SchoolRegistered", "SchoolDetailsChanged"]


async def test_a_bad_row_is_reported_with_its_line_and_reasons_while_good_rows_import(
    national_client, files, principal_adviser
) -> None:
    good, bad_type, bad_date = school_row(1), school_row(2), school_row(5)
    bad_type["TypeOfEstablishment (name)"] = "Village hall"
    bad_date["OpenDate"] = "31-02-2010"
    path = small_extract(files["register"], [good, bad_type, bad_date])
    # A line of bytes neither UTF-8 nor Windows-1252 (0x8D is undefined there) is that row's fault.
    unreadable = io.StringIO()
    csv.DictWriter(unreadable, fieldnames=COLUMNS).writerow({**school_row(6), "EstablishmentName": "X"})
    path.write_bytes(path.read_bytes() + unreadable.getvalue().encode("cp1252").replace(b",X,", b",X\x8d,"))
    async with national_client() as client:
        response = await import_national(client, principal_adviser)

        assert response.status_code == 200, response.text
        report = response.json()
        assert report["known_recorded"] == 1
        assert report["rejected_count"] == 3
        assert report["rejected"] == [
            {"line": 3, "urn": bad_type["URN"],
             "reasons": ["TypeOfEstablishment 'Village hall' is not a known establishment type"]},
            {"line": 4, "urn": bad_date["URN"], "reasons": ["OpenDate '31-02-2010' is not a date (dd-mm-yyyy)"]},
            {"line": 5, "urn": school_row(6)["URN"],
             "reasons": ["the row holds bytes that are neither UTF-8 nor Windows-1252 text"]},
        ]
        assert (await client.get(f"/known-schools/{good['URN']}", headers=principal_adviser)).status_code == 200


async def test_the_links_file_joins_predecessor_and_successor_on_both_schools(
    national_client, files, principal_adviser, auth
) -> None:
    # A Kent community school replaced by an academy in Kent, and a Camden school merged into
    # another: both directions listed for the first, one for the second (the file often omits one).
    closed = {**school_row(100), "EstablishmentStatus (name)": "Closed", "CloseDate": "31-08-2015"}
    academy = {**school_row(200), "TypeOfEstablishment (name)": "Academy converter", "OpenDate": "01-09-2015"}
    merged_away, merged_into = school_row(13), school_row(23)
    small_extract(files["register"], [closed, academy, merged_away, merged_into])
    links = [
        {"URN": closed["URN"], "LinkURN": academy["URN"], "LinkName": academy["EstablishmentName"],
         "LinkType": "Successor", "LinkEstablishedDate": "01-09-2015"},
        {"URN": academy["URN"], "LinkURN": closed["URN"], "LinkName": closed["EstablishmentName"],
         "LinkType": "Predecessor", "LinkEstablishedDate": "01-09-2015"},
        {"URN": merged_into["URN"], "LinkURN": merged_away["URN"], "LinkName": merged_away["EstablishmentName"],
         "LinkType": "Predecessor - merged", "LinkEstablishedDate": "01-01-2019"},
        {"URN": "999999", "LinkURN": "999998", "LinkName": "Nowhere", "LinkType": "Successor",
         "LinkEstablishedDate": ""},
    ]
    write_links(files["links"], links)
    async with national_client() as client:
        assert (await import_national(client, principal_adviser)).json()["rejected_count"] == 0

        response = await client.post("/schools/imports/register-links", headers=principal_adviser)

        assert response.status_code == 200, response.text
        report = response.json()
        assert report["links_recorded"] == 4
        assert report["rejected"] == [
            {"line": 5, "urn": "999999",
             "reasons": ["neither URN 999999 nor 999998 is a known school: import the national register first"]}
        ]
        reader = auth("virtual_school_head")
        academy_links = (await client.get(f"/school-history/{academy['URN']}", headers=reader)).json()
        assert academy_links["on_register"] is True
        assert [(p["urn"], p["link_type"]) for p in academy_links["predecessors"]] == [(closed["URN"], "Predecessor")]
        closed_links = (await client.get(f"/school-history/{closed['URN']}", headers=reader)).json()
        assert [s["urn"] for s in closed_links["successors"]] == [academy["URN"]]
        # The side the file left out is recorded the other way round, named from the register.
        away = (await client.get(f"/school-history/{merged_away['URN']}", headers=reader)).json()
        assert away["on_register"] is False
        assert away["successors"] == [
            {"urn": merged_into["URN"], "name": merged_into["EstablishmentName"],
             "link_type": "Successor - merged", "linked_on": "2019-01-01"}
        ]

        again = (await client.post("/schools/imports/register-links", headers=principal_adviser)).json()
        assert (again["links_recorded"], again["events_appended"]) == (0, 0)


async def test_a_conversion_recorded_here_is_not_recorded_again_from_the_links_file(
    national_client, files, principal_adviser
) -> None:
    school = school_row(100)  # a Kent school
    small_extract(files["register"], [school])
    async with national_client() as client:
        await import_national(client, principal_adviser, as_of="2026-10-01")
        converted = await client.post(
            f"/schools/{school['URN']}/conversion",
            json={"academy_urn": "149999", "academy_name": "Chêne Academy", "academy_type": "academy_converter",
                  "converted_on": "2026-10-01"},
            headers=principal_adviser,
        )
        assert converted.status_code == 201, converted.text
        write_links(files["links"], [
            {"URN": school["URN"], "LinkURN": "149999", "LinkName": "Chêne Academy", "LinkType": "Successor",
             "LinkEstablishedDate": "01-10-2026"},
        ])

        report = (await client.post("/schools/imports/register-links", headers=principal_adviser)).json()

        assert (report["links_recorded"], report["unchanged"]) == (0, 1)


async def test_the_import_says_when_the_file_or_the_councils_la_code_is_missing(
    national_client, files, principal_adviser, head
) -> None:
    async with national_client(council=None) as client:
        missing = await import_national(client, principal_adviser, la_code=KENT)
        assert missing.status_code == 409, missing.text
        assert missing.json()["type"].endswith("/register-file-missing")
        assert str(files["register"]) not in missing.text  # the server's paths are not shown

        small_extract(files["register"], [school_row(1)])
        no_council = await import_national(client, principal_adviser)
        assert no_council.status_code == 422
        assert no_council.json()["field"] == "la_code"
        assert await client.app.state.store.head_position() == 0


async def test_only_those_who_keep_the_register_import_it(national_client, files, auth) -> None:
    small_extract(files["register"], [school_row(1)])
    async with national_client() as client:
        for role in ("school_improvement_adviser", "virtual_school_head", "auditor"):
            refused = await import_national(client, auth(role))
            assert refused.status_code == 403, role
        assert await client.app.state.store.head_position() == 0
