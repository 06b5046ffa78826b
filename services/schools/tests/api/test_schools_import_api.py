"""Importing the national register's CSV (GIAS edubasealldata) through the API: one LA's rows,
bad rows reported by line with their reasons while good rows import, and a re-import that
appends nothing but what changed."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import pytest

HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentTypeGroup (name)",
    "EstablishmentStatus (name)",
    "OpenDate",
    "CloseDate",
    "PhaseOfEducation (name)",
    "StatutoryLowAge",
    "StatutoryHighAge",
    "ReligiousCharacter (name)",
    "Diocese (name)",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
    "Postcode",
]
KENT, MEDWAY = ("886", "Kent"), ("887", "Medway")
TYPES = [
    ("Community school", "Local authority maintained schools", "Primary", "Does not apply", "Not applicable"),
    (
        "Voluntary aided school",
        "Local authority maintained schools",
        "Primary",
        "Church of England",
        "Diocese of Canterbury",
    ),
    ("Academy converter", "Academies", "Secondary", "Does not apply", "Not applicable"),
    (
        "Foundation school",
        "Local authority maintained schools",
        "Secondary",
        "Does not apply",
        "Not applicable",
    ),
    ("Community special school", "Special schools", "Not applicable", "Does not apply", "Not applicable"),
]


def school_row(urn: int, la: tuple[str, str], index: int, **changes: str) -> dict[str, str]:
    kind, group, phase, religion, diocese = TYPES[index % len(TYPES)]
    row = {
        "URN": str(urn),
        "LA (code)": la[0],
        "LA (name)": la[1],
        "EstablishmentNumber": str(2000 + index),
        "EstablishmentName": f"School Number {index}",
        "TypeOfEstablishment (name)": kind,
        "EstablishmentTypeGroup (name)": group,
        "EstablishmentStatus (name)": "Open",
        "OpenDate": f"01-09-{1960 + index % 50}",
        "CloseDate": "",
        "PhaseOfEducation (name)": phase,
        "StatutoryLowAge": "4",
        "StatutoryHighAge": "11",
        "ReligiousCharacter (name)": religion,
        "Diocese (name)": diocese,
        "HeadTitle (name)": "Mrs",
        "HeadFirstName": "Ann",
        "HeadLastName": f"Head{index}",
        "Postcode": "ME14 1XX",
    }
    return {**row, **changes}


@dataclass
class RegisterFile:
    rows: list[dict[str, str] | list[str]] = field(default_factory=list)
    bad_lines: dict[int, str] = field(default_factory=dict)  # line -> a word its reason must contain

    def add(self, row: dict[str, str] | list[str], *, bad: str | None = None) -> None:
        self.rows.append(row)
        if bad is not None:
            self.bad_lines[self.line_of(len(self.rows) - 1)] = bad

    def line_of(self, index: int) -> int:
        """The file line a row starts on (the header is line 1; quoted newlines take lines)."""
        before = self.rows[:index]
        return 2 + sum(1 + "".join(_cells(r)).count("\n") for r in before)

    def csv_bytes(self) -> bytes:
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(HEADER)
        for row in self.rows:
            writer.writerow(_cells(row))
        return out.getvalue().encode("cp1252")  # as GIAS publishes it


def _cells(row: dict[str, str] | list[str]) -> list[str]:
    return [row[name] for name in HEADER] if isinstance(row, dict) else row


def kent_file() -> RegisterFile:
    """200 good Kent schools, 20 Medway schools, and nine Kent rows that cannot be imported."""
    register = RegisterFile()
    for index in range(200):
        changes = {}
        if index == 7:
            changes["EstablishmentName"] = "St Mary\u2019s Catholic Primary School, Dover"  # ’ and a comma
        if index == 8:
            changes["EstablishmentName"] = "Oak Tree Primary School\n(Infant Site)"  # a quoted line break
        if index == 9:
            changes |= {"EstablishmentStatus (name)": "Closed", "CloseDate": "31-08-2019"}
        if index == 10:
            changes["EstablishmentStatus (name)"] = "Open, but proposed to close"
        register.add(school_row(118000 + index, KENT, index, **changes))
        if index % 10 == 0:
            register.add(school_row(140000 + index, MEDWAY, index))
        if index == 50:
            register.add(school_row(0, KENT, 900, URN="11A234"), bad="URN")
            register.add(
                school_row(119901, KENT, 901, **{"TypeOfEstablishment (name)": "Grammar school"}),
                bad="TypeOfEstablishment",
            )
            register.add(
                school_row(119902, KENT, 902, **{"PhaseOfEducation (name)": "Tertiary"}),
                bad="PhaseOfEducation",
            )
            register.add(school_row(119903, KENT, 903, OpenDate="31-02-2011"), bad="OpenDate")
        if index == 120:
            register.add(
                school_row(119904, KENT, 904, **{"EstablishmentStatus (name)": "Closed"}), bad="CloseDate"
            )
            register.add(school_row(118003, KENT, 905), bad="appears again")
            register.add(["119906", "886", "Kent", "Too Few Fields"], bad="fields")
            register.add(school_row(119907, KENT, 907, EstablishmentName=" "), bad="EstablishmentName")
            register.add(
                school_row(
                    119908,
                    KENT,
                    908,
                    **{
                        "EstablishmentStatus (name)": "Closed",
                        "OpenDate": "01-09-2015",
                        "CloseDate": "31-08-2010",
                    },
                ),
                bad="before OpenDate",
            )
    return register


@pytest.fixture
def service_writer(auth):
    return auth("service", sub="gias-sync", scopes=["schools:write"])


async def import_csv(client, headers, data: bytes, *, as_of: str = "2026-10-01", multipart: bool = False):
    params = {"la_code": "886", "as_of": as_of}
    if multipart:
        return await client.post(
            "/schools/imports",
            params=params,
            files={"file": ("edubasealldata20261001.csv", data, "text/csv")},
            headers=headers,
        )
    return await client.post(
        "/schools/imports", params=params, content=data, headers={**headers, "Content-Type": "text/csv"}
    )


async def all_urns(client, headers) -> list[str]:
    urns, link = [], "/schools?limit=80"
    while link is not None:
        page = (await client.get(link, headers=headers)).json()
        urns += [s["urn"] for s in page["items"]]
        link = page["next"]
    return urns


async def test_a_gias_file_imports_its_good_rows_and_reports_each_bad_one_by_line(
    client, principal_adviser, settled, head
):
    register = kent_file()

    response = await import_csv(client, principal_adviser, register.csv_bytes())
    await settled()

    assert response.status_code == 200, response.text
    report = response.json()
    assert report["registered"] == 200 and report["events_appended"] == 200
    assert report["other_la_rows"] == 20
    assert report["rows_read"] == 209
    assert {r["line"]: r for r in report["rejected"]}.keys() == register.bad_lines.keys()
    for rejected in report["rejected"]:
        assert any(register.bad_lines[rejected["line"]] in reason for reason in rejected["reasons"]), rejected
    assert await head() == 200
    urns = await all_urns(client, principal_adviser)
    assert len(urns) == 200 and urns == sorted(urns) and "140000" not in urns
    mary = (await client.get("/schools/118007", headers=principal_adviser)).json()
    assert mary["name"] == "St Mary\u2019s Catholic Primary School, Dover"
    assert mary["headteacher"] == "Mrs Ann Head7"
    closed = (await client.get("/schools/118009", headers=principal_adviser)).json()
    assert closed["status"] == "closed" and closed["closed_on"] == "2019-08-31"
    special = (await client.get("/schools/118004", headers=principal_adviser)).json()
    assert special["phase"] == "special"


async def test_importing_the_same_file_again_appends_nothing_and_a_changed_row_only_its_change(
    client, principal_adviser, service_writer, head, stream
):
    register = kent_file()
    await import_csv(client, principal_adviser, register.csv_bytes())
    before = await head()

    again = await import_csv(client, service_writer, register.csv_bytes(), multipart=True)

    assert again.status_code == 200, again.text
    assert again.json()["events_appended"] == 0
    assert again.json()["unchanged"] == 200
    assert len(again.json()["rejected"]) == 9
    assert await head() == before

    register.rows[0] = {**register.rows[0], "EstablishmentName": "School Number 0 (renamed)"}
    register.rows[2] = {**register.rows[2], "EstablishmentStatus (name)": "Closed", "CloseDate": "31-08-2026"}
    changed = await import_csv(client, principal_adviser, register.csv_bytes())

    assert changed.json()["details_changed"] == 1
    assert changed.json()["status_changed"] == 1
    assert changed.json()["events_appended"] == 2
    assert await head() == before + 2
    assert await stream("school-118000") == ["SchoolRegistered", "SchoolDetailsChanged"]
    renamed = await client.app.state.store.read_stream("school-118000")
    assert renamed[-1].data["changed_fields"] == ["name"]
    assert renamed[-1].effective_date.isoformat() == "2026-10-01"  # the date the file describes
    assert await stream(f"school-{register.rows[2]['URN']}") == ["SchoolRegistered", "SchoolClosed"]


async def test_only_a_principal_adviser_or_a_system_with_schools_write_imports(
    client, adviser, auth, principal_adviser
):
    data = kent_file().csv_bytes()

    by_adviser = await import_csv(client, adviser, data)
    by_reader = await import_csv(client, auth("service", sub="feed", scopes=["schools:read"]), data)
    by_auditor = await import_csv(client, auth("auditor"), data)

    assert by_adviser.status_code == by_reader.status_code == by_auditor.status_code == 403


async def test_a_file_that_is_not_the_register_is_refused_whole(client, principal_adviser, head):
    wrong_columns = await client.post(
        "/schools/imports",
        params={"la_code": "886"},
        content=b"urn,name\n118000,Oak\n",
        headers={**principal_adviser, "Content-Type": "text/csv"},
    )
    wrong_type = await client.post(
        "/schools/imports", params={"la_code": "886"}, json={"urn": "118000"}, headers=principal_adviser
    )
    wrong_la = await client.post(
        "/schools/imports",
        params={"la_code": "88"},
        content=kent_file().csv_bytes(),
        headers={**principal_adviser, "Content-Type": "text/csv"},
    )

    assert wrong_columns.status_code == 422 and wrong_columns.json()["field"] == "file"
    assert "EstablishmentName" in wrong_columns.json()["detail"]
    assert wrong_type.status_code == 415 and wrong_type.json()["field"] == "Content-Type"
    assert wrong_la.status_code == 422 and wrong_la.json()["field"] == "la_code"
    assert await head() == 0
