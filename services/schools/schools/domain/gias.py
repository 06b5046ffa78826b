"""Import of the national register's CSV ("edubasealldata" from Get Information About Schools).

Two pure steps:

1. ``parse_register(text, la_code)`` reads the file, keeps the rows of one local authority, and
   turns each into a ``RegisterRow`` or, when it cannot be read, a ``RejectedRow`` with its line
   number and every reason found.
2. ``plan_import(parsed, current, today=..., as_of=...)`` compares each row with the school as the
   register holds it now and decides only the change: a new URN is registered, changed details
   give one ``SchoolDetailsChanged``, a changed status one status event, and an unchanged row
   nothing at all, so importing the same file twice appends nothing. A row the rules refuse is
   rejected whole; the other rows still import.

GIAS publishes dates as ``dd-mm-yyyy`` and the file in Windows-1252; ``decode_register`` turns
the downloaded bytes into text. A cell longer than the register's API accepts for the same
detail (``shared.text``: 200 characters for a name, 100 for a religious character) rejects its
row, so the import cannot put into the log what a request could not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from schools.domain.establishments import (
    EstablishmentType,
    Phase,
    SchoolStatus,
    valid_la_code,
)
from schools.domain.register import (
    EDITABLE_DETAILS,
    ChangeSchoolStatus,
    RegisterSchool,
    School,
    UpdateSchoolDetails,
    decide,
    evolve,
    school_stream,
)
from shared.errors import DomainError, InvalidInput
from shared.events import Command, Event
from shared.text import LABEL_MAX, NAME_MAX
from shared.urn import is_urn

URN = "URN"
LA_CODE = "LA (code)"
LA_NAME = "LA (name)"
NAME = "EstablishmentName"
TYPE = "TypeOfEstablishment (name)"
PHASE = "PhaseOfEducation (name)"
RELIGIOUS_CHARACTER = "ReligiousCharacter (name)"
DIOCESE = "Diocese (name)"
STATUS = "EstablishmentStatus (name)"
OPEN_DATE = "OpenDate"
CLOSE_DATE = "CloseDate"
HEAD_TITLE = "HeadTitle (name)"
HEAD_FIRST_NAME = "HeadFirstName"
HEAD_LAST_NAME = "HeadLastName"

REQUIRED_COLUMNS = (
    URN,
    LA_CODE,
    LA_NAME,
    NAME,
    TYPE,
    PHASE,
    RELIGIOUS_CHARACTER,
    DIOCESE,
    STATUS,
    OPEN_DATE,
    CLOSE_DATE,
)
HEAD_COLUMNS = (HEAD_TITLE, HEAD_FIRST_NAME, HEAD_LAST_NAME)

#: The longest each text column may be: the limits of the same details in a request.
TEXT_LIMITS = {NAME: NAME_MAX, LA_NAME: NAME_MAX, RELIGIOUS_CHARACTER: LABEL_MAX, DIOCESE: NAME_MAX}

_T = EstablishmentType
ESTABLISHMENT_TYPES: dict[str, EstablishmentType] = {
    "community school": _T.COMMUNITY,
    "foundation school": _T.FOUNDATION,
    "voluntary aided school": _T.VOLUNTARY_AIDED,
    "voluntary controlled school": _T.VOLUNTARY_CONTROLLED,
    "community special school": _T.COMMUNITY_SPECIAL,
    "foundation special school": _T.FOUNDATION_SPECIAL,
    "local authority nursery school": _T.LA_NURSERY,
    "pupil referral unit": _T.PUPIL_REFERRAL_UNIT,
    "academy converter": _T.ACADEMY_CONVERTER,
    "academy sponsor led": _T.ACADEMY_SPONSOR_LED,
    "academy special converter": _T.ACADEMY_SPECIAL_CONVERTER,
    "academy special sponsor led": _T.ACADEMY_SPECIAL_SPONSOR_LED,
    "academy alternative provision converter": _T.ACADEMY_ALTERNATIVE_PROVISION_CONVERTER,
    "academy alternative provision sponsor led": _T.ACADEMY_ALTERNATIVE_PROVISION_SPONSOR_LED,
    "academy 16-19 converter": _T.ACADEMY_16_19_CONVERTER,
    "academy 16 to 19 converter": _T.ACADEMY_16_19_CONVERTER,
    "academy 16-19 sponsor led": _T.ACADEMY_16_19_SPONSOR_LED,
    "academy 16 to 19 sponsor led": _T.ACADEMY_16_19_SPONSOR_LED,
    "free schools": _T.FREE_SCHOOL,
    "free schools special": _T.FREE_SCHOOL_SPECIAL,
    "free schools alternative provision": _T.FREE_SCHOOL_ALTERNATIVE_PROVISION,
    "free schools 16 to 19": _T.FREE_SCHOOL_16_19,
    "studio schools": _T.STUDIO_SCHOOL,
    "university technical college": _T.UNIVERSITY_TECHNICAL_COLLEGE,
    "city technology college": _T.CITY_TECHNOLOGY_COLLEGE,
    "non-maintained special school": _T.NON_MAINTAINED_SPECIAL,
    "other independent school": _T.INDEPENDENT,
    "other independent special school": _T.INDEPENDENT_SPECIAL,
    "further education": _T.FURTHER_EDUCATION,
    "sixth form centres": _T.FURTHER_EDUCATION,
    "special post 16 institution": _T.OTHER,
    "secure units": _T.OTHER,
    "service children's education": _T.OTHER,
    "welsh establishment": _T.OTHER,
    "miscellaneous": _T.OTHER,
    "offshore schools": _T.OTHER,
    "higher education institutions": _T.OTHER,
    "british schools overseas": _T.OTHER,
    "online provider": _T.OTHER,
    "institution funded by other government department": _T.OTHER,
}

PHASES: dict[str, Phase] = {
    "nursery": Phase.NURSERY,
    "primary": Phase.PRIMARY,
    "middle deemed primary": Phase.MIDDLE_DEEMED_PRIMARY,
    "secondary": Phase.SECONDARY,
    "middle deemed secondary": Phase.MIDDLE_DEEMED_SECONDARY,
    "16 plus": Phase.SIXTEEN_PLUS,
    "all-through": Phase.ALL_THROUGH,
    "all through": Phase.ALL_THROUGH,
    "not applicable": Phase.NOT_APPLICABLE,
}

STATUSES: dict[str, SchoolStatus] = {
    "open": SchoolStatus.OPEN,
    "closed": SchoolStatus.CLOSED,
    "open, but proposed to close": SchoolStatus.PROPOSED_TO_CLOSE,
    "proposed to open": SchoolStatus.PROPOSED_TO_OPEN,
}

_SPECIAL_TYPES = frozenset(
    {
        _T.COMMUNITY_SPECIAL,
        _T.FOUNDATION_SPECIAL,
        _T.ACADEMY_SPECIAL_CONVERTER,
        _T.ACADEMY_SPECIAL_SPONSOR_LED,
        _T.FREE_SCHOOL_SPECIAL,
        _T.NON_MAINTAINED_SPECIAL,
        _T.INDEPENDENT_SPECIAL,
    }
)
_ALTERNATIVE_PROVISION_TYPES = frozenset(
    {
        _T.PUPIL_REFERRAL_UNIT,
        _T.ACADEMY_ALTERNATIVE_PROVISION_CONVERTER,
        _T.ACADEMY_ALTERNATIVE_PROVISION_SPONSOR_LED,
        _T.FREE_SCHOOL_ALTERNATIVE_PROVISION,
    }
)

#: Values GIAS uses for "nothing here" in the religious character and diocese columns.
_NOTHING = frozenset({"", "does not apply", "none", "not applicable", "not applicable (0000)"})
_NO_HEAD_TITLE = frozenset({"", "not applicable", "not recorded"})


@dataclass(frozen=True)
class RegisterRow:
    """One readable school row of the file, in the register's own terms."""

    line: int
    urn: str
    name: str
    la_code: str
    la_name: str | None
    establishment_type: EstablishmentType
    phase: Phase
    religious_character: str | None
    diocese: str | None
    status: SchoolStatus
    opened_on: date | None
    closed_on: date | None
    headteacher: str | None = None
    carries_headteacher: bool = False

    def details(self) -> dict[str, object]:
        """The register details this row states (the headteacher only if the file has it)."""
        values: dict[str, object] = {
            "name": self.name,
            "la_code": self.la_code,
            "la_name": self.la_name,
            "establishment_type": self.establishment_type,
            "phase": self.phase,
            "religious_character": self.religious_character,
            "diocese": self.diocese,
            "opened_on": self.opened_on,
        }
        if self.carries_headteacher:
            values["headteacher"] = self.headteacher
        return values


@dataclass(frozen=True)
class RejectedRow:
    line: int
    urn: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class RegisterFile:
    rows: list[RegisterRow]
    rejected: list[RejectedRow]
    other_la_rows: int


def decode_register(data: bytes) -> str:
    """GIAS files are Windows-1252; accept UTF-8 (with or without a byte-order mark) too."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")


def parse_register(text: str, la_code: str) -> RegisterFile:
    """Read an edubasealldata CSV and keep the rows whose ``LA (code)`` is ``la_code``.

    Line numbers are those of the file (the header is line 1). A file without the register's
    columns is refused whole (``InvalidInput`` on ``file``).
    """
    la_code = valid_la_code(la_code)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("the file is empty", field="file") from None
    except csv.Error as error:
        raise InvalidInput(f"the header cannot be read: {error}", field="file") from None
    header = [name.strip() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise InvalidInput(
            "the file is not in the register's format; missing columns: " + ", ".join(missing),
            field="file",
        )
    index = {name: header.index(name) for name in header}
    carries_head = all(name in index for name in HEAD_COLUMNS)

    rows: list[RegisterRow] = []
    rejected: list[RejectedRow] = []
    other_la = 0
    first_line_of: dict[str, int] = {}
    line_ended = reader.line_num
    while True:
        start = line_ended + 1
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            line_ended = reader.line_num
            rejected.append(RejectedRow(start, None, (f"the row cannot be read: {error}",)))
            continue
        line_ended = reader.line_num
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            rejected.append(
                RejectedRow(
                    start,
                    _cell(cells, index, URN) or None,
                    (f"the row has {len(cells)} fields but the header has {len(header)}",),
                )
            )
            continue
        if _cell(cells, index, LA_CODE) != la_code:
            other_la += 1
            continue
        row, reasons = _read_row(start, cells, index, carries_head)
        if row is not None and row.urn in first_line_of:
            reasons.append(f"URN {row.urn} appears again (first on line {first_line_of[row.urn]})")
        if reasons or row is None:
            rejected.append(RejectedRow(start, _cell(cells, index, URN) or None, tuple(reasons)))
            continue
        first_line_of[row.urn] = start
        rows.append(row)
    return RegisterFile(rows=rows, rejected=rejected, other_la_rows=other_la)


def _cell(cells: list[str], index: dict[str, int], column: str) -> str:
    position = index.get(column)
    if position is None or position >= len(cells):
        return ""
    return " ".join(cells[position].split())


def _read_row(
    line: int, cells: list[str], index: dict[str, int], carries_head: bool
) -> tuple[RegisterRow | None, list[str]]:
    reasons: list[str] = []

    def cell(column: str) -> str:
        return _cell(cells, index, column)

    urn = cell(URN)
    if not is_urn(urn):
        reasons.append(f"URN {urn!r} is not six digits")
    name = cell(NAME)
    if not name:
        reasons.append("EstablishmentName is empty")
    kind = ESTABLISHMENT_TYPES.get(cell(TYPE).lower())
    if kind is None:
        reasons.append(f"TypeOfEstablishment {cell(TYPE)!r} is not a known establishment type")
    phase = PHASES.get(cell(PHASE).lower())
    if phase is None:
        reasons.append(f"PhaseOfEducation {cell(PHASE)!r} is not a known phase")
    status = STATUSES.get(cell(STATUS).lower())
    if status is None:
        reasons.append(f"EstablishmentStatus {cell(STATUS)!r} is not a known status")
    opened_on = _date(cell(OPEN_DATE), OPEN_DATE, reasons)
    closed_on = _date(cell(CLOSE_DATE), CLOSE_DATE, reasons)
    if status == SchoolStatus.CLOSED and closed_on is None and not cell(CLOSE_DATE):
        reasons.append("a closed school needs its CloseDate")
    if opened_on and closed_on and closed_on < opened_on:
        reasons.append("CloseDate is before OpenDate")
    for column, limit in TEXT_LIMITS.items():
        if len(cell(column)) > limit:
            reasons.append(f"{column} is longer than {limit} characters")
    headteacher = None
    if carries_head:
        title = cell(HEAD_TITLE)
        parts = [
            title if title.lower() not in _NO_HEAD_TITLE else "",
            cell(HEAD_FIRST_NAME),
            cell(HEAD_LAST_NAME),
        ]
        headteacher = " ".join(part for part in parts if part) or None
        if headteacher is not None and len(headteacher) > NAME_MAX:
            reasons.append(f"the headteacher's name is longer than {NAME_MAX} characters")
    if reasons:
        return None, reasons
    assert kind is not None and phase is not None and status is not None
    if phase == Phase.NOT_APPLICABLE and kind in _SPECIAL_TYPES:
        phase = Phase.SPECIAL
    elif phase == Phase.NOT_APPLICABLE and kind in _ALTERNATIVE_PROVISION_TYPES:
        phase = Phase.PUPIL_REFERRAL_UNIT
    return (
        RegisterRow(
            line=line,
            urn=urn,
            name=name,
            la_code=cell(LA_CODE),
            la_name=cell(LA_NAME) or None,
            establishment_type=kind,
            phase=phase,
            religious_character=_something(cell(RELIGIOUS_CHARACTER)),
            diocese=_something(cell(DIOCESE)),
            status=status,
            opened_on=opened_on,
            closed_on=closed_on if status == SchoolStatus.CLOSED else None,
            headteacher=headteacher,
            carries_headteacher=carries_head,
        ),
        reasons,
    )


def _something(value: str) -> str | None:
    return None if value.lower() in _NOTHING else value


_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def _date(value: str, column: str, reasons: list[str]) -> date | None:
    if not value:
        return None
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    reasons.append(f"{column} {value!r} is not a date (dd-mm-yyyy)")
    return None


# ---------------------------------------------------------------------------------------------
# From rows to commands and events
# ---------------------------------------------------------------------------------------------


def commands_for_row(row: RegisterRow, school: School, *, as_of: date) -> list[Command]:
    """The commands that bring the register in line with ``row``; none when nothing differs.

    ``as_of`` is the date the file describes: the date a change of details or status is
    recorded as taking effect, unless the row gives its own closing date.
    """
    if not school.exists:
        return [
            RegisterSchool(
                urn=row.urn,
                **row.details(),
                status=row.status,
                closed_on=row.closed_on,
            )
        ]
    commands: list[Command] = []
    stated = row.details()
    changes = {
        name: value
        for name, value in stated.items()
        if name in EDITABLE_DETAILS and getattr(school.details, name) != value
    }
    if changes:
        commands.append(UpdateSchoolDetails(urn=row.urn, changed_on=as_of, **changes))
    if row.status != school.status:
        changed_on = row.closed_on if row.status == SchoolStatus.CLOSED and row.closed_on else as_of
        commands.append(ChangeSchoolStatus(urn=row.urn, status=row.status, changed_on=changed_on))
    return commands


@dataclass(frozen=True)
class StreamEvents:
    """Events to append to one stream, and the file line they came from."""

    stream_id: str
    line: int
    events: list[Event]


@dataclass(frozen=True)
class ImportPlan:
    appends: list[StreamEvents] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    unchanged: int = 0
    other_la_rows: int = 0

    @property
    def events(self) -> list[Event]:
        return [event for append in self.appends for event in append.events]


def plan_import(
    parsed: RegisterFile,
    current: Callable[[str], School],
    *,
    today: date,
    as_of: date,
) -> ImportPlan:
    """Decide every row of ``parsed`` against the register as it stands (``current(urn)``).

    A row whose commands the rules refuse is rejected with its line number and the reason; its
    other commands are dropped too, so no row is half imported.
    """
    appends: list[StreamEvents] = []
    rejected = list(parsed.rejected)
    unchanged = 0
    for row in parsed.rows:
        school = current(row.urn)
        commands = commands_for_row(row, school, as_of=as_of)
        if not commands:
            unchanged += 1
            continue
        events: list[Event] = []
        try:
            for command in commands:
                decided = decide(command, school, today=today)
                for event in decided:
                    school = evolve(school, event)
                events.extend(decided)
        except DomainError as error:
            where = f" ({error.field})" if error.field else ""
            rejected.append(RejectedRow(row.line, row.urn, (f"{error.detail}{where}",)))
            continue
        if events:
            appends.append(StreamEvents(school_stream(row.urn), row.line, events))
        else:
            unchanged += 1
    rejected.sort(key=lambda r: r.line)
    return ImportPlan(
        appends=appends, rejected=rejected, unchanged=unchanged, other_la_rows=parsed.other_la_rows
    )
