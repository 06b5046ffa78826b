"""Reading an attendance file or feed, line by line: each line a mark for one child and session,
or the reason it cannot be read.

A school's file or a council system's daily feed gives one mark per line (CSV) or per item
(JSON): the child, by the council's id (``child_id``) or their unique pupil number (``upn``); the
school's URN; the date; the session (``am``/``pm``, or ``morning``/``afternoon``); and the
national code. A line that cannot be read is reported with its line number, the field and the
reason, and the others are still taken in. A file that cannot be read at all (no header, a
column missing) is refused as a whole, naming what is missing.

CSV columns are matched by name, in any order and any case; other columns are ignored, so a
school's management information system export can be sent as it is once its columns are named
as here. Dates are ISO (``2026-09-14``) or as English registers write them (``14/09/2026``).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from shared.errors import DomainError, InvalidInput
from shared.urn import require_urn

from .attendance import GivenMark, Session, check_upn

CHILD_ID = "child_id"
UPN = "upn"
URN = "urn"
DATE = "date"
SESSION = "session"
CODE = "code"
COLUMNS = (CHILD_ID, UPN, URN, DATE, SESSION, CODE)
REQUIRED_COLUMNS = (URN, DATE, SESSION, CODE)

CHILD_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
SESSION_NAMES = {
    "am": Session.MORNING,
    "morning": Session.MORNING,
    "pm": Session.AFTERNOON,
    "afternoon": Session.AFTERNOON,
}


@dataclass(frozen=True)
class IntakeLine:
    """A mark as read from one line: for a child named by ``child_id`` or, failing that, ``upn``."""

    line: int
    child_id: str | None
    upn: str | None
    urn: str
    mark: GivenMark


@dataclass(frozen=True)
class LineProblem:
    line: int
    field: str
    reason: str


def csv_lines(text_lines: Iterable[str]) -> Iterator[IntakeLine | LineProblem]:
    """Each data line of a CSV file read as a mark or a problem; ``text_lines`` are the file's
    lines as text (read lazily, so a big file is never held whole). The header is line 1."""
    reader = csv.reader(text_lines)
    header = next(reader, None)
    if header is None or not any(cell.strip() for cell in header):
        raise InvalidInput("the file is empty: the first line must name the columns", field="file")
    columns = {name.strip().lower().lstrip("\ufeff"): index for index, name in enumerate(header)}
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if CHILD_ID not in columns and UPN not in columns:
        missing.append(f"{CHILD_ID} or {UPN}")
    if missing:
        raise InvalidInput(
            f"the header line has no column {', '.join(missing)}: it must name {', '.join(REQUIRED_COLUMNS)} "
            f"and {CHILD_ID} or {UPN}",
            field="file",
        )
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        values = {name: cells[index].strip() if index < len(cells) else "" for name, index in columns.items()}
        yield read_line(line, values)


def json_items(items: Any) -> Iterator[IntakeLine | LineProblem]:
    """Each item of a JSON feed (``{"marks": [...]}``) read as a mark or a problem; items are
    numbered from 1."""
    marks = items.get("marks") if isinstance(items, dict) else None
    if not isinstance(marks, list):
        raise InvalidInput('send {"marks": [...]}, a list of marks', field="marks")
    for number, item in enumerate(marks, start=1):
        if not isinstance(item, dict):
            yield LineProblem(number, "marks", "each mark is an object")
            continue
        values = {name: item.get(name) for name in COLUMNS}
        unreadable = next((n for n, v in values.items() if v is not None and not isinstance(v, str)), None)
        if unreadable is not None:
            yield LineProblem(number, unreadable, "give it as text")
            continue
        yield read_line(number, {name: (value or "").strip() for name, value in values.items()})


def read_line(line: int, values: Mapping[str, str]) -> IntakeLine | LineProblem:
    try:
        child_id, upn = _child(values)
        urn = require_urn(values.get(URN, ""), URN)
        on = _date(values.get(DATE, ""))
        session = SESSION_NAMES.get(values.get(SESSION, "").lower())
        if session is None:
            raise InvalidInput("the session is am or pm (morning or afternoon)", field=SESSION)
        code = values.get(CODE, "")
        if not code:
            raise InvalidInput("give the national attendance or absence code", field=CODE)
        return IntakeLine(line, child_id, upn, urn, GivenMark(on=on, session=session, code=code.upper()))
    except DomainError as problem:
        return LineProblem(line, problem.field or "line", problem.detail)


def _child(values: Mapping[str, str]) -> tuple[str | None, str | None]:
    child_id = values.get(CHILD_ID) or None
    upn = values.get(UPN) or None
    if child_id is not None:
        if not CHILD_ID_PATTERN.fullmatch(child_id):
            raise InvalidInput("not a council child id: letters, digits, '.', '_' or '-'", field=CHILD_ID)
        return child_id, None
    if upn is None:
        raise InvalidInput(f"name the child by {CHILD_ID} or {UPN}", field=UPN)
    return None, check_upn(upn)


def _date(text: str) -> date:
    for layout in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise InvalidInput("a date is YYYY-MM-DD or DD/MM/YYYY", field=DATE)
