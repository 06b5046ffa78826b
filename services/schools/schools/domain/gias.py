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

The whole country's extract (about 50,000 rows, 60 MB) is never held whole: ``RegisterReader``
reads it a row at a time from ``decoded_lines`` of the file, and ``plan_national_batch`` decides
a batch of rows at a time, the council's own rows by the register's rules (as ``plan_import``)
and every other row as a known school (``known_schools.py``; which is which:
``belongs_on_register``).

GIAS publishes dates as ``dd-mm-yyyy`` and the file in Windows-1252; ``decode_register`` turns
the downloaded bytes into text. A cell longer than the register's API accepts for the same
detail (``shared.text``: 200 characters for a name, 100 for a religious character) rejects its
row, so the import cannot put into the log what a request could not.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from schools.domain.establishments import (
    EstablishmentType,
    Phase,
    SchoolStatus,
    valid_la_code,
)
from schools.domain.known_schools import (
    KnownSchool,
    KnownSchoolDetails,
    known_school_stream,
    record_known_school,
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
#: The multi-academy trust an academy belongs to; read when the file has it (the full extract does).
TRUST = "Trusts (name)"

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
TEXT_LIMITS = {
    NAME: NAME_MAX,
    LA_NAME: NAME_MAX,
    RELIGIOUS_CHARACTER: LABEL_MAX,
    DIOCESE: NAME_MAX,
    TRUST: NAME_MAX,
}

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
    trust_name: str | None = None

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
    """A row that cannot be imported: its line, its URN if it has one, and why. ``la_code`` is the
    row's LA when its fields could be told apart (None when the row itself cannot be read)."""

    line: int
    urn: str | None
    reasons: tuple[str, ...]
    la_code: str | None = None


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


#: What a line that is neither UTF-8 nor Windows-1252 holds where its unreadable bytes were.
UNREADABLE = "\ufffd"


def decoded_lines(raw: Iterable[bytes]) -> Iterator[str]:
    """The lines of a downloaded file (a binary file object), decoded one at a time, so a file
    of any size is never held whole. Each line is read as UTF-8 if it is UTF-8 and as
    Windows-1252 (what GIAS publishes) otherwise: a Windows-1252 accented letter is never valid
    UTF-8, so the two cannot be mistaken. A line that is neither keeps a replacement character
    where its unreadable bytes were, and its row is rejected (``RegisterReader``)."""
    first = True
    for line in raw:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = line.decode("cp1252", errors="replace")
        if first:
            text = text.lstrip("\ufeff")
            first = False
        yield text


class RegisterReader:
    """An edubasealldata CSV read a row at a time, every local authority's rows.

    Built from the file's lines (a text file object, or ``decoded_lines`` of a binary one), it
    reads the header at once: a file without the register's columns is refused whole
    (``InvalidInput`` on ``file``). Iterating gives each row as a ``RegisterRow`` or, when it
    cannot be read, a ``RejectedRow`` with its line number (the header is line 1) and every reason
    found. Only the URNs seen so far are kept, to find a URN given twice; never the rows.
    """

    def __init__(self, lines: Iterable[str]) -> None:
        self._reader = csv.reader(lines)
        header = read_header(self._reader, REQUIRED_COLUMNS)
        self._width = len(header)
        self._index = {name: header.index(name) for name in header}
        self._carries_head = all(name in self._index for name in HEAD_COLUMNS)

    def __iter__(self) -> Iterator[RegisterRow | RejectedRow]:
        index = self._index
        first_line_of: dict[str, int] = {}
        for start, cells in csv_records(self._reader, self._width, index.get(URN)):
            if isinstance(cells, RejectedRow):
                yield cells
                continue
            la_code = cell_text(cells, index, LA_CODE)
            row, reasons = _read_row(start, cells, index, self._carries_head)
            if any(UNREADABLE in cell for cell in cells):
                reasons.insert(0, UNREADABLE_ROW)
            if row is not None and row.urn in first_line_of:
                reasons.append(f"URN {row.urn} appears again (first on line {first_line_of[row.urn]})")
            if reasons or row is None:
                yield RejectedRow(start, cell_text(cells, index, URN) or None, tuple(reasons), la_code=la_code)
                continue
            first_line_of[row.urn] = start
            yield row


UNREADABLE_ROW = "the row holds bytes that are neither UTF-8 nor Windows-1252 text"


def read_header(reader: Iterator[list[str]], required: Iterable[str]) -> list[str]:
    """The header of a GIAS CSV, checked for the columns an import reads; a file without them
    (or empty) is refused whole, naming ``file``."""
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInput("the file is empty", field="file") from None
    except csv.Error as error:
        raise InvalidInput(f"the header cannot be read: {error}", field="file") from None
    header = [name.strip().lstrip("\ufeff") for name in header]
    missing = [name for name in required if name not in header]
    if missing:
        raise InvalidInput(
            "the file is not in the register's format; missing columns: " + ", ".join(missing),
            field="file",
        )
    return header


def csv_records(
    reader, width: int, urn_at: int | None
) -> Iterator[tuple[int, list[str] | RejectedRow]]:
    """Each record after the header with the line it starts on (a quoted cell may span lines),
    blank lines skipped; a record that cannot be read, or has other than ``width`` fields, comes
    as a ``RejectedRow`` saying so."""
    line_ended = reader.line_num
    while True:
        start = line_ended + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            line_ended = reader.line_num
            yield start, RejectedRow(start, None, (f"the row cannot be read: {error}",))
            continue
        line_ended = reader.line_num
        if not cells or all(not cell.strip() for cell in cells):
            continue
        if len(cells) != width:
            urn = " ".join(cells[urn_at].split()) if urn_at is not None and urn_at < len(cells) else ""
            yield start, RejectedRow(
                start, urn or None, (f"the row has {len(cells)} fields but the header has {width}",)
            )
            continue
        yield start, cells


def parse_register(text: str, la_code: str) -> RegisterFile:
    """Read an edubasealldata CSV and keep the rows whose ``LA (code)`` is ``la_code``.

    Line numbers are those of the file (the header is line 1). A file without the register's
    columns is refused whole (``InvalidInput`` on ``file``).
    """
    la_code = valid_la_code(la_code)
    rows: list[RegisterRow] = []
    rejected: list[RejectedRow] = []
    other_la = 0
    for read in RegisterReader(io.StringIO(text.lstrip("\ufeff"), newline="")):
        if read.la_code is not None and read.la_code != la_code:
            other_la += 1
        elif isinstance(read, RejectedRow):
            rejected.append(read)
        else:
            rows.append(read)
    return RegisterFile(rows=rows, rejected=rejected, other_la_rows=other_la)


def cell_text(cells: list[str], index: dict[str, int], column: str) -> str:
    position = index.get(column)
    if position is None or position >= len(cells):
        return ""
    return " ".join(cells[position].split())


def _read_row(
    line: int, cells: list[str], index: dict[str, int], carries_head: bool
) -> tuple[RegisterRow | None, list[str]]:
    reasons: list[str] = []

    def cell(column: str) -> str:
        return cell_text(cells, index, column)

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
    opened_on = read_date(cell(OPEN_DATE), OPEN_DATE, reasons)
    closed_on = read_date(cell(CLOSE_DATE), CLOSE_DATE, reasons)
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
            trust_name=_something(cell(TRUST)),
        ),
        reasons,
    )


def _something(value: str) -> str | None:
    return None if value.lower() in _NOTHING else value


_DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


def read_date(value: str, column: str, reasons: list[str]) -> date | None:
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
        planned = _plan_register_row(row, current(row.urn), today=today, as_of=as_of)
        if isinstance(planned, RejectedRow):
            rejected.append(planned)
        elif planned is None:
            unchanged += 1
        else:
            appends.append(planned)
    rejected.sort(key=lambda r: r.line)
    return ImportPlan(
        appends=appends, rejected=rejected, unchanged=unchanged, other_la_rows=parsed.other_la_rows
    )


def _plan_register_row(
    row: RegisterRow, school: School, *, today: date, as_of: date
) -> StreamEvents | RejectedRow | None:
    """The events one row appends to the council's register, None when it changes nothing, or
    the row rejected with the rule's reason (none of its commands kept)."""
    commands = commands_for_row(row, school, as_of=as_of)
    events: list[Event] = []
    try:
        for command in commands:
            decided = decide(command, school, today=today)
            for event in decided:
                school = evolve(school, event)
            events.extend(decided)
    except DomainError as error:
        where = f" ({error.field})" if error.field else ""
        return RejectedRow(row.line, row.urn, (f"{error.detail}{where}",), la_code=row.la_code)
    return StreamEvents(school_stream(row.urn), row.line, events) if events else None


# ---------------------------------------------------------------------------------------------
# The whole country: the council's register and every other school, a batch of rows at a time
# ---------------------------------------------------------------------------------------------


def belongs_on_register(row: RegisterRow, school: School, council_la_code: str) -> bool:
    """A row is the council's register's when its school is in the council's area, or when its
    URN is already on the register (a school whose LA code the register later changes keeps its
    history where it is). Every other row is a known school (``known_schools.py``)."""
    return school.exists or row.la_code == council_la_code


def known_details(row: RegisterRow) -> KnownSchoolDetails:
    """What a known school's row says, in the register's own terms."""
    return KnownSchoolDetails(
        name=row.name,
        la_code=row.la_code,
        la_name=row.la_name,
        establishment_type=row.establishment_type,
        phase=row.phase,
        status=row.status,
        opened_on=row.opened_on,
        closed_on=row.closed_on,
        trust_name=row.trust_name,
        religious_character=row.religious_character,
        diocese=row.diocese,
        headteacher=row.headteacher,
    )


def plan_national_batch(
    rows: Iterable[RegisterRow | RejectedRow],
    *,
    council_la_code: str,
    on_register: Callable[[str], School],
    known: Callable[[str], KnownSchool],
    today: date,
    as_of: date,
) -> ImportPlan:
    """Decide a batch of the full national extract's rows (``RegisterReader``): the council's
    own schools against its register, by the register's rules (``plan_import``'s), every other
    school against what is known of it. Only what changed is appended; a row already as the log
    has it appends nothing."""
    appends: list[StreamEvents] = []
    rejected: list[RejectedRow] = []
    unchanged = 0
    for row in rows:
        if isinstance(row, RejectedRow):
            rejected.append(row)
            continue
        school = on_register(row.urn)
        if belongs_on_register(row, school, council_la_code):
            planned = _plan_register_row(row, school, today=today, as_of=as_of)
        else:
            events = record_known_school(row.urn, known_details(row), known(row.urn), as_of=as_of, today=today)
            planned = StreamEvents(known_school_stream(row.urn), row.line, events) if events else None
        if isinstance(planned, RejectedRow):
            rejected.append(planned)
        elif planned is None:
            unchanged += 1
        else:
            appends.append(planned)
    return ImportPlan(appends=appends, rejected=rejected, unchanged=unchanged)
