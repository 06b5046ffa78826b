"""Importing the national register's "edubasealldata" CSV (domain.md section 1; issue: import
idempotently, report bad rows with line numbers and reasons, import the good rows)."""

from __future__ import annotations

import csv
import io
from datetime import date
from functools import reduce

import pytest
from schools.domain.establishments import EstablishmentType, Phase, SchoolStatus
from schools.domain.gias import (
    ImportPlan,
    RegisterFile,
    commands_for_row,
    decode_register,
    parse_register,
    plan_import,
)
from schools.domain.register import (
    NO_SCHOOL,
    School,
    SchoolClosed,
    SchoolDetailsChanged,
    SchoolRegistered,
    UpdateSchoolDetails,
    evolve,
)

from shared.errors import InvalidInput
from shared.events import Event

TODAY = date(2013, 11, 15)
FILE_DATE = date(2013, 11, 14)

HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (code)",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (code)",
    "EstablishmentStatus (name)",
    "OpenDate",
    "CloseDate",
    "PhaseOfEducation (code)",
    "PhaseOfEducation (name)",
    "ReligiousCharacter (name)",
    "Diocese (code)",
    "Diocese (name)",
    "HeadTitle (name)",
    "HeadFirstName",
    "HeadLastName",
]


def row(**values: str) -> list[str]:
    defaults = {
        "URN": "118234",
        "LA (code)": "886",
        "LA (name)": "Kent",
        "EstablishmentNumber": "3301",
        "EstablishmentName": "St Mary's Church of England Primary School",
        "TypeOfEstablishment (code)": "2",
        "TypeOfEstablishment (name)": "Voluntary aided school",
        "EstablishmentStatus (code)": "1",
        "EstablishmentStatus (name)": "Open",
        "OpenDate": "01-09-1975",
        "CloseDate": "",
        "PhaseOfEducation (code)": "2",
        "PhaseOfEducation (name)": "Primary",
        "ReligiousCharacter (name)": "Church of England",
        "Diocese (code)": "CE23",
        "Diocese (name)": "Diocese of Canterbury",
        "HeadTitle (name)": "Mrs",
        "HeadFirstName": "Ann",
        "HeadLastName": "Jones",
    }
    defaults.update(values)
    return [defaults[column] for column in HEADER]


def csv_text(*rows: list[str], header: list[str] = HEADER) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def fold(events: list[Event], school: School = NO_SCHOOL) -> School:
    return reduce(evolve, events, school)


class Register:
    """The register as the import sees it: schools by URN, folded from planned events."""

    def __init__(self) -> None:
        self.schools: dict[str, School] = {}

    def current(self, urn: str) -> School:
        return self.schools.get(urn, NO_SCHOOL)

    def apply(self, plan: ImportPlan) -> None:
        for append in plan.appends:
            urn = append.stream_id.removeprefix("school-")
            self.schools[urn] = fold(append.events, self.current(urn))


def imported(text: str, register: Register) -> ImportPlan:
    plan = plan_import(parse_register(text, "886"), register.current, today=TODAY, as_of=FILE_DATE)
    register.apply(plan)
    return plan


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------


def test_a_row_is_read_in_the_registers_own_terms() -> None:
    parsed = parse_register(csv_text(row()), "886")

    (school,) = parsed.rows
    assert parsed.rejected == []
    assert school.line == 2
    assert school.urn == "118234"
    assert school.establishment_type == EstablishmentType.VOLUNTARY_AIDED
    assert school.phase == Phase.PRIMARY
    assert school.status == SchoolStatus.OPEN
    assert school.opened_on == date(1975, 9, 1)
    assert school.religious_character == "Church of England"
    assert school.diocese == "Diocese of Canterbury"
    assert school.headteacher == "Mrs Ann Jones"


def test_only_the_chosen_local_authoritys_rows_are_kept() -> None:
    medway = row(URN="118500", **{"LA (code)": "887", "LA (name)": "Medway"})

    parsed = parse_register(csv_text(row(), medway), "886")

    assert [r.urn for r in parsed.rows] == ["118234"]
    assert parsed.other_la_rows == 1


def test_gias_words_for_nothing_become_no_value() -> None:
    community = row(
        **{
            "TypeOfEstablishment (name)": "Community school",
            "ReligiousCharacter (name)": "Does not apply",
            "Diocese (name)": "Not applicable",
            "HeadTitle (name)": "Not applicable",
        }
    )

    (school,) = parse_register(csv_text(community), "886").rows

    assert school.religious_character is None
    assert school.diocese is None
    assert school.headteacher == "Ann Jones"


def test_special_schools_and_referral_units_get_their_own_phase_where_gias_says_not_applicable() -> None:
    special = row(
        URN="118900",
        **{
            "TypeOfEstablishment (name)": "Community special school",
            "PhaseOfEducation (name)": "Not applicable",
        },
    )
    pru = row(
        URN="135000",
        **{
            "TypeOfEstablishment (name)": "Pupil referral unit",
            "PhaseOfEducation (name)": "Not applicable",
        },
    )

    rows = parse_register(csv_text(special, pru), "886").rows

    assert [r.phase for r in rows] == [Phase.SPECIAL, Phase.PUPIL_REFERRAL_UNIT]


def test_bad_rows_are_reported_with_their_line_numbers_and_every_reason() -> None:
    text = csv_text(
        row(),
        row(URN="11823X", **{"TypeOfEstablishment (name)": "Village hall"}),
        row(URN="118235", OpenDate="31-02-2010"),
        row(URN="118236", **{"EstablishmentStatus (name)": "Closed"}),
        row(URN="118234", EstablishmentName="Duplicate"),
        row(URN="118237", EstablishmentName=""),
        row(URN="118238", **{"PhaseOfEducation (name)": "Kindergarten"}),
    )

    parsed = parse_register(text, "886")

    assert [r.urn for r in parsed.rows] == ["118234"]
    reasons = {r.line: r.reasons for r in parsed.rejected}
    assert reasons == {
        3: (
            "URN '11823X' is not six digits",
            "TypeOfEstablishment 'Village hall' is not a known establishment type",
        ),
        4: ("OpenDate '31-02-2010' is not a date (dd-mm-yyyy)",),
        5: ("a closed school needs its CloseDate",),
        6: ("URN 118234 appears again (first on line 2)",),
        7: ("EstablishmentName is empty",),
        8: ("PhaseOfEducation 'Kindergarten' is not a known phase",),
    }


def test_a_row_with_the_wrong_number_of_fields_is_rejected() -> None:
    text = csv_text(row()) + "118239,886,Kent\r\n"

    parsed = parse_register(text, "886")

    (rejected,) = parsed.rejected
    assert rejected.line == 3
    assert rejected.urn == "118239"
    assert rejected.reasons == ("the row has 3 fields but the header has 19",)


def test_line_numbers_count_the_lines_of_a_quoted_name_that_spans_two() -> None:
    text = csv_text(
        row(EstablishmentName="St Mary's, Church of England\nPrimary School"),
        row(URN="bad"),
    )

    parsed = parse_register(text, "886")

    assert parsed.rows[0].name == "St Mary's, Church of England Primary School"
    assert [r.line for r in parsed.rejected] == [4]


def test_a_file_without_the_registers_columns_is_refused_whole() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_register("URN,Name\n118234,St Mary's\n", "886")

    assert refused.value.field == "file"
    assert "LA (code)" in refused.value.detail


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_register("", "886")

    assert refused.value.field == "file"


def test_the_downloaded_file_is_decoded_from_windows_1252_or_utf8() -> None:
    text = csv_text(row(EstablishmentName="St Thérèse's Catholic Primary School"))

    assert decode_register(text.encode("cp1252")) == text
    assert decode_register(b"\xef\xbb\xbf" + text.encode("utf-8")) == text


# ---------------------------------------------------------------------------------------------
# From rows to events
# ---------------------------------------------------------------------------------------------


def test_a_new_urn_is_registered_with_its_status() -> None:
    register = Register()

    plan = imported(csv_text(row()), register)

    (append,) = plan.appends
    assert append.stream_id == "school-118234"
    assert append.line == 2
    (event,) = append.events
    assert isinstance(event, SchoolRegistered)
    assert event.status == SchoolStatus.OPEN
    assert event.headteacher == "Mrs Ann Jones"
    assert event.registered_on == TODAY


def test_a_closed_school_in_the_file_is_registered_as_closed() -> None:
    closed = row(**{"EstablishmentStatus (name)": "Closed", "CloseDate": "31-08-2011"})

    (append,) = imported(csv_text(closed), Register()).appends

    (event,) = append.events
    assert event.status == SchoolStatus.CLOSED
    assert event.closed_on == date(2011, 8, 31)


def test_importing_the_same_file_again_appends_nothing() -> None:
    register = Register()
    text = csv_text(row(), row(URN="118300", EstablishmentName="Oak Tree Primary School"))
    imported(text, register)

    again = imported(text, register)

    assert again.appends == []
    assert again.unchanged == 2


def test_a_changed_row_appends_only_the_change() -> None:
    register = Register()
    imported(csv_text(row(), row(URN="118300", EstablishmentName="Oak Tree")), register)

    plan = imported(
        csv_text(
            row(HeadFirstName="Ben", HeadLastName="Singh", **{"HeadTitle (name)": "Mr"}),
            row(URN="118300", EstablishmentName="Oak Tree"),
        ),
        register,
    )

    (append,) = plan.appends
    assert append.stream_id == "school-118234"
    (event,) = append.events
    assert isinstance(event, SchoolDetailsChanged)
    assert event.changed_fields == ["headteacher"]
    assert event.headteacher == "Mr Ben Singh"
    assert event.changed_on == FILE_DATE
    assert plan.unchanged == 1


def test_a_school_closed_in_the_file_is_closed_on_its_close_date() -> None:
    register = Register()
    imported(csv_text(row()), register)
    closing = row(**{"EstablishmentStatus (name)": "Closed", "CloseDate": "31-10-2013"})

    (append,) = imported(csv_text(closing), register).appends

    assert append.events == [
        SchoolClosed(urn="118234", previous_status=SchoolStatus.OPEN, closed_on=date(2013, 10, 31))
    ]


def test_a_file_without_head_columns_leaves_the_headteacher_alone() -> None:
    school = fold(
        [
            SchoolRegistered(
                urn="118234",
                name="St Mary's Church of England Primary School",
                la_code="886",
                la_name="Kent",
                establishment_type=EstablishmentType.VOLUNTARY_AIDED,
                phase=Phase.PRIMARY,
                religious_character="Church of England",
                diocese="Diocese of Canterbury",
                opened_on=date(1975, 9, 1),
                headteacher="Mrs Ann Jones",
                status=SchoolStatus.OPEN,
                registered_on=TODAY,
            )
        ]
    )
    header = [c for c in HEADER if not c.startswith("Head")]
    values = dict(zip(HEADER, row(), strict=True))
    parsed = parse_register(csv_text([values[c] for c in header], header=header), "886")

    assert commands_for_row(parsed.rows[0], school, as_of=FILE_DATE) == []


def test_a_change_of_status_and_details_in_one_row_gives_both_changes() -> None:
    register = Register()
    imported(csv_text(row()), register)
    changed = row(
        EstablishmentName="St Mary's CE Primary School",
        **{"EstablishmentStatus (name)": "Open, but proposed to close"},
    )

    (append,) = imported(csv_text(changed), register).appends

    assert [type(e).__name__ for e in append.events] == [
        "SchoolDetailsChanged",
        "SchoolStatusChanged",
    ]
    assert register.current("118234").status == SchoolStatus.PROPOSED_TO_CLOSE


def test_a_row_the_rules_refuse_is_reported_and_the_other_rows_still_import() -> None:
    register = Register()
    imported(csv_text(row()), register)
    as_academy = row(**{"TypeOfEstablishment (name)": "Academy converter"})

    plan = imported(csv_text(as_academy, row(URN="118300", EstablishmentName="Oak Tree")), register)

    assert [a.stream_id for a in plan.appends] == ["school-118300"]
    (rejected,) = plan.rejected
    assert rejected.line == 2
    assert rejected.urn == "118234"
    assert "record an academy conversion" in rejected.reasons[0]
    assert rejected.reasons[0].endswith("(establishment_type)")


def test_commands_for_an_unchanged_row_are_none() -> None:
    register = Register()
    imported(csv_text(row()), register)
    (parsed_row,) = parse_register(csv_text(row()), "886").rows

    assert commands_for_row(parsed_row, register.current("118234"), as_of=FILE_DATE) == []


def test_commands_for_a_changed_row_name_only_the_changed_details() -> None:
    register = Register()
    imported(csv_text(row()), register)
    (parsed_row,) = parse_register(csv_text(row(**{"Diocese (name)": ""})), "886").rows

    (command,) = commands_for_row(parsed_row, register.current("118234"), as_of=FILE_DATE)

    assert isinstance(command, UpdateSchoolDetails)
    assert command.requested_changes() == {"diocese": None}


# ---------------------------------------------------------------------------------------------
# A whole file
# ---------------------------------------------------------------------------------------------

TYPES = [
    ("Community school", "Primary"),
    ("Voluntary controlled school", "Primary"),
    ("Foundation school", "Secondary"),
    ("Academy converter", "Secondary"),
    ("Academy sponsor led", "Primary"),
    ("Community special school", "Not applicable"),
    ("Free schools", "All-through"),
    ("Local authority nursery school", "Nursery"),
]


def large_file() -> tuple[str, set[int]]:
    """240 Kent rows, 30 Medway rows, and a known set of malformed Kent rows."""
    rows: list[list[str]] = []
    malformed_lines: set[int] = set()
    for n in range(240):
        kind, phase = TYPES[n % len(TYPES)]
        values = {
            "URN": str(118000 + n),
            "EstablishmentName": f"School number {n}",
            "TypeOfEstablishment (name)": kind,
            "PhaseOfEducation (name)": phase,
            "ReligiousCharacter (name)": "Does not apply",
            "Diocese (name)": "Not applicable",
        }
        if n % 20 == 7:
            values["URN"] = f"{118000 + n}9"  # seven digits
            malformed_lines.add(len(rows) + 2)
        elif n % 20 == 13:
            values["OpenDate"] = "2001-13-45"
            malformed_lines.add(len(rows) + 2)
        rows.append(row(**values))
        if n % 8 == 0:
            rows.append(row(URN=str(119000 + n), **{"LA (code)": "887", "LA (name)": "Medway"}))
    return csv_text(*rows), malformed_lines


def test_a_file_of_hundreds_of_rows_imports_its_good_rows_and_reports_the_bad() -> None:
    text, malformed = large_file()
    register = Register()

    parsed: RegisterFile = parse_register(text, "886")
    plan = imported(text, register)

    assert parsed.other_la_rows == 30
    assert {r.line for r in plan.rejected} == malformed
    assert len(malformed) == 24
    assert len(plan.appends) == 216
    assert len(register.schools) == 216
    assert all(isinstance(a.events[0], SchoolRegistered) for a in plan.appends)


def test_reimporting_a_file_of_hundreds_of_rows_appends_nothing() -> None:
    text, _ = large_file()
    register = Register()
    imported(text, register)

    again = imported(text, register)

    assert again.events == []
    assert again.unchanged == 216
    assert len(again.rejected) == 24
