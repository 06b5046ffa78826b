"""A national register extract for tests and measurements: Get Information About Schools'
"edubasealldata" CSV in its real column layout (every column the download has, in its order) and
encoding (Windows-1252), and its links file.

    .venv/bin/python benchmarks/national_register_file.py edubasealldata.csv --rows 50000

Each row is made from its index alone, so the same arguments always write the same file. Names
carry the characters the real file has outside ASCII (é, ’, –), encoded as Windows-1252 does.
About 1.2 KB a row, as the real file (50,000 rows, about 60 MB).
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

#: The download's columns, in its order. The import reads a dozen of them; the rest are there so
#: the file is as wide, and as large, as the real one.
COLUMNS = (
    "URN", "LA (code)", "LA (name)", "EstablishmentNumber", "EstablishmentName",
    "TypeOfEstablishment (code)", "TypeOfEstablishment (name)", "EstablishmentTypeGroup (code)",
    "EstablishmentTypeGroup (name)", "EstablishmentStatus (code)", "EstablishmentStatus (name)",
    "ReasonEstablishmentOpened (code)", "ReasonEstablishmentOpened (name)", "OpenDate",
    "ReasonEstablishmentClosed (code)", "ReasonEstablishmentClosed (name)", "CloseDate",
    "PhaseOfEducation (code)", "PhaseOfEducation (name)", "StatutoryLowAge", "StatutoryHighAge",
    "Boarders (code)", "Boarders (name)", "NurseryProvision (name)", "OfficialSixthForm (code)",
    "OfficialSixthForm (name)", "Gender (code)", "Gender (name)", "ReligiousCharacter (code)",
    "ReligiousCharacter (name)", "ReligiousEthos (name)", "Diocese (code)", "Diocese (name)",
    "AdmissionsPolicy (code)", "AdmissionsPolicy (name)", "SchoolCapacity", "SpecialClasses (code)",
    "SpecialClasses (name)", "CensusDate", "NumberOfPupils", "NumberOfBoys", "NumberOfGirls",
    "PercentageFSM", "TrustSchoolFlag (code)", "TrustSchoolFlag (name)", "Trusts (code)", "Trusts (name)",
    "SchoolSponsorFlag (name)", "SchoolSponsors (name)", "FederationFlag (name)", "Federations (code)",
    "Federations (name)", "UKPRN", "FEHEIdentifier", "FurtherEducationType (name)", "OfstedLastInsp",
    "OfstedSpecialMeasures (code)", "OfstedSpecialMeasures (name)", "LastChangedDate", "Street",
    "Locality", "Address3", "Town", "County (name)", "Postcode", "SchoolWebsite", "TelephoneNum",
    "HeadTitle (name)", "HeadFirstName", "HeadLastName", "HeadPreferredJobTitle",
    "BSOInspectorateName (name)", "InspectorateReport", "DateOfLastInspectionVisit",
    "NextInspectionVisit", "TeenMoth (name)", "TeenMothPlaces", "CCF (name)", "SENPRU (name)",
    "EBD (name)", "PlacesPRU", "FTProv (name)", "EdByOther (name)", "Section41Approved (name)",
    *(f"SEN{n} (name)" for n in range(1, 14)),
    "TypeOfResourcedProvision (name)", "ResourcedProvisionOnRoll", "ResourcedProvisionCapacity",
    "SenUnitOnRoll", "SenUnitCapacity", "GOR (code)", "GOR (name)", "DistrictAdministrative (code)",
    "DistrictAdministrative (name)", "AdministrativeWard (code)", "AdministrativeWard (name)",
    "ParliamentaryConstituency (code)", "ParliamentaryConstituency (name)", "UrbanRural (code)",
    "UrbanRural (name)", "GSSLACode (name)", "Easting", "Northing", "MSOA (name)", "LSOA (name)",
    "InspectorateName (name)", "SENStat", "SENNoStat", "BoardingEstablishment (name)", "PropsName",
    "PreviousLA (code)", "PreviousLA (name)", "PreviousEstablishmentNumber", "OfstedRating (name)",
    "RSCRegion (name)", "Country (name)", "UPRN", "SiteName", "QABName (code)", "QABName (name)",
    "EstablishmentAccredited (code)", "EstablishmentAccredited (name)", "QABReport", "CHNumber",
    "MSOA (code)", "LSOA (code)", "FSM", "AccreditationExpiryDate",
)

#: (type, type group, phase, religious character, diocese, trust): the mix of the real register.
KINDS = (
    ("Academy converter", "Academies", "Primary", "Does not apply", "Not applicable", "Oak Learning Trust"),
    ("Community school", "Local authority maintained schools", "Primary", "Does not apply",
     "Not applicable", ""),
    ("Voluntary aided school", "Local authority maintained schools", "Primary", "Roman Catholic",
     "Diocese of Westminster", ""),
    ("Academy sponsor led", "Academies", "Secondary", "Does not apply", "Not applicable",
     "Étoile Academies Trust"),
    ("Voluntary controlled school", "Local authority maintained schools", "Primary", "Church of England",
     "Diocese of Canterbury", ""),
    ("Free schools", "Free Schools", "Secondary", "Does not apply", "Not applicable", "St Thérèse’s Trust"),
    ("Other independent school", "Independent schools", "Not applicable", "None", "Not applicable", ""),
    ("Community special school", "Special schools", "Not applicable", "Does not apply", "Not applicable", ""),
    ("Foundation school", "Local authority maintained schools", "Secondary", "Does not apply",
     "Not applicable", ""),
    ("Pupil referral unit", "Local authority maintained schools", "Not applicable", "Does not apply",
     "Not applicable", ""),
)
#: Local authorities the rows are spread over: (code, name). The council of the tests is Kent.
AUTHORITIES = tuple(
    [("886", "Kent"), ("887", "Medway"), ("202", "Camden"), ("330", "Birmingham"), ("926", "Norfolk")]
    + [(str(300 + n), f"Authority {n}") for n in range(95)]
)
NAMES = ("St Thérèse’s", "Chêne", "Oakfield", "O’Connell", "Brontë", "Holy Cross – ", "Beechwood", "Ash Grove")
FIRST_URN = 100000
COUNCIL_EVERY = 100  # one row in a hundred is the council's (Kent), as a county is about 1%


def school_row(index: int) -> dict[str, str]:
    """Row ``index`` of the extract: every column filled as the download fills it."""
    # Shifted every hundred rows, so the council's rows (every hundredth) are of every kind too.
    kind, group, phase, religion, diocese, trust = KINDS[(index + index // COUNCIL_EVERY) % len(KINDS)]
    la_code, la_name = AUTHORITIES[0] if index % COUNCIL_EVERY == 0 else AUTHORITIES[1 + index % (len(AUTHORITIES) - 1)]
    closed = index % 9 == 4
    row = {column: "" for column in COLUMNS}
    row.update(
        {
            "URN": str(FIRST_URN + index),
            "LA (code)": la_code,
            "LA (name)": la_name,
            "EstablishmentNumber": str(2000 + index % 8000),
            "EstablishmentName": f"{NAMES[index % len(NAMES)]} School {index}",
            "TypeOfEstablishment (code)": str((index + index // COUNCIL_EVERY) % len(KINDS) + 1),
            "TypeOfEstablishment (name)": kind,
            "EstablishmentTypeGroup (code)": str(index % 5 + 1),
            "EstablishmentTypeGroup (name)": group,
            "EstablishmentStatus (code)": "2" if closed else "1",
            "EstablishmentStatus (name)": "Closed" if closed else "Open",
            "ReasonEstablishmentOpened (name)": "Not applicable",
            "OpenDate": f"01-09-{1950 + index % 60}",
            "ReasonEstablishmentClosed (name)": "Academy Converter" if closed else "Not applicable",
            "CloseDate": f"31-08-{2011 + index % 12}" if closed else "",
            "PhaseOfEducation (code)": "2",
            "PhaseOfEducation (name)": phase,
            "StatutoryLowAge": "4",
            "StatutoryHighAge": "11",
            "Boarders (name)": "No boarders",
            "NurseryProvision (name)": "No Nursery Classes",
            "OfficialSixthForm (name)": "Does not have a sixth form",
            "Gender (name)": "Mixed",
            "ReligiousCharacter (name)": religion,
            "ReligiousEthos (name)": "Does not apply",
            "Diocese (code)": "CE23" if diocese != "Not applicable" else "0000",
            "Diocese (name)": diocese,
            "AdmissionsPolicy (name)": "Not applicable",
            "SchoolCapacity": str(210 + index % 600),
            "SpecialClasses (name)": "No Special Classes",
            "CensusDate": "18-01-2024",
            "NumberOfPupils": str(180 + index % 500),
            "NumberOfBoys": str(90 + index % 250),
            "NumberOfGirls": str(90 + index % 250),
            "PercentageFSM": f"{index % 60}.{index % 10}",
            "TrustSchoolFlag (name)": "Supported by a multi-academy trust" if trust else "Not applicable",
            "Trusts (code)": str(4000 + index % 900) if trust else "",
            "Trusts (name)": trust,
            "SchoolSponsorFlag (name)": "Not applicable",
            "FederationFlag (name)": "Not under a federation",
            "UKPRN": str(10000000 + index),
            "OfstedLastInsp": f"{1 + index % 28:02d}-{1 + index % 12:02d}-2023",
            "OfstedSpecialMeasures (name)": "Not applicable",
            "LastChangedDate": "02-04-2024",
            "Street": f"{index % 200} Church Lane",
            "Locality": "Little Chart",
            "Town": "Ashford",
            "County (name)": "Kent",
            "Postcode": f"TN{index % 40} {index % 9}AB",
            "SchoolWebsite": f"https://www.school{index}.example.sch.uk",
            "TelephoneNum": f"01233{index % 1000000:06d}",
            "HeadTitle (name)": ("Mrs", "Mr", "Ms", "Dr")[index % 4],
            "HeadFirstName": ("Siân", "Zoë", "James", "Aoife")[index % 4],
            "HeadLastName": f"Head{index}",
            "HeadPreferredJobTitle": "Headteacher",
            "InspectorateName (name)": "Not applicable",
            "InspectorateReport": f"https://reports.ofsted.gov.uk/provider/21/{FIRST_URN + index}",
            "SiteName": f"{NAMES[index % len(NAMES)]} School {index}, main site",
            "Address3": "Near the village green",
            "GOR (name)": "South East",
            "DistrictAdministrative (name)": "Ashford",
            "AdministrativeWard (name)": "Weald Central",
            "ParliamentaryConstituency (name)": "Ashford",
            "UrbanRural (name)": "(England/Wales) Rural village",
            "GSSLACode (name)": "E10000016",
            "Easting": str(500000 + index % 9999),
            "Northing": str(140000 + index % 9999),
            "MSOA (name)": "Ashford 013",
            "LSOA (name)": "Ashford 013A",
            "OfstedRating (name)": ("Good", "Outstanding", "Requires improvement")[index % 3],
            "RSCRegion (name)": "South-East England and South London",
            "Country (name)": "United Kingdom",
            "UPRN": str(100060000000 + index),
            "MSOA (code)": "E02005009",
            "LSOA (code)": "E01024006",
            "FSM": str(index % 90),
        }
    )
    return row


def write_national_extract(path: Path, rows: int) -> Path:
    """Write an extract of ``rows`` schools to ``path`` in Windows-1252, as GIAS publishes it."""
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, quoting=csv.QUOTE_MINIMAL)
        writer.writeheader()
        for index in range(rows):
            writer.writerow(school_row(index))
    return path


LINK_COLUMNS = ("URN", "LinkURN", "LinkName", "LinkType", "LinkEstablishedDate")


def write_links(path: Path, links: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="cp1252", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=LINK_COLUMNS)
        writer.writeheader()
        writer.writerows(links)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    write_national_extract(args.path, args.rows)
    print(f"{args.path}: {args.rows} rows, {args.path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
