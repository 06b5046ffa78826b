"""A known school (outside the council's area, from the national register import) is known to the
virtual school but never taken by the notices service for a school of the council's: a warning
notice can be drafted for the council's own maintained school and not for another area's, though
both are maintained schools in the same national extract (issue 17)."""

from __future__ import annotations

import csv
from pathlib import Path

from notices.api.schemas.notices import WarningNoticeCreate
from notices.main import create_app as create_notices
from schools.main import create_app as create_schools

from benchmarks.national_register_file import COLUMNS, school_row
from shared.testing.fixtures import settle

KENT = "886"


def extract(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


async def test_a_warning_notice_is_drafted_for_the_councils_school_and_refused_for_a_known_one(
    service_client, monkeypatch, tmp_path, auth
) -> None:
    # Both community schools (maintained): row 100 is Kent's, row 11 another authority's.
    ours, theirs = school_row(100), school_row(11)
    assert (ours["LA (code)"], ours["TypeOfEstablishment (name)"]) == (KENT, "Community school")
    assert theirs["LA (code)"] != KENT and theirs["TypeOfEstablishment (name)"] == "Community school"
    monkeypatch.setenv("COUNCIL_LA_CODE", KENT)
    monkeypatch.setenv("NATIONAL_REGISTER_FILE", str(extract(tmp_path / "edubasealldata.csv", [ours, theirs])))
    adviser = auth("principal_adviser", sub="pa.okafor")

    async with service_client(create_schools) as schools, service_client(create_notices) as notices:
        imported = await schools.post("/schools/imports/national-register", headers=adviser)
        assert imported.status_code == 200, imported.text
        assert (imported.json()["registered"], imported.json()["known_recorded"]) == (1, 1)
        await settle(notices.app)

        example = WarningNoticeCreate.model_config["json_schema_extra"]["examples"][0]
        for_ours = await notices.post("/notices", json={**example, "urn": ours["URN"]}, headers=adviser)
        for_theirs = await notices.post("/notices", json={**example, "urn": theirs["URN"]}, headers=adviser)

        assert for_ours.status_code == 201, for_ours.text
        assert for_theirs.status_code == 404, for_theirs.text
        assert for_theirs.json()["field"] == "urn"
        # The virtual school still finds the other area's school by its URN.
        known = await schools.get(f"/known-schools/{theirs['URN']}", headers=auth("virtual_school_head"))
        assert known.json()["name"] == theirs["EstablishmentName"]
