"""The one CSV writer every download uses: the event log's exports and the PP+ reports.

A spreadsheet opening a CSV file runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` as a
formula; OWASP ("CSV injection") adds a leading tab or carriage return, and some spreadsheets also
take the full-width ``＝``, ``＋``, ``－`` and ``＠`` that East Asian input methods type. Text a
client once wrote - a child's id, an event's stream id - could then run ``=HYPERLINK(...)`` or
worse on a council officer's machine when the download is opened. So such a text cell is written
with a single quote in front (``'=HYPERLINK(...)``): the spreadsheet shows it as text and runs
nothing. Use NDJSON or JSON when the exact stored value is needed.

Which cells are defused is decided per cell by where the value came from, not by what it looks
like:

* ``str`` is text, and may have come from a client, so it is defused whatever it holds - even
  ``"-12.50"`` or ``"-3"``;
* ``int`` (and ``float``) is a number the service holds, written as the number it is, so a
  negative whole number stays a number;
* ``Figure`` is text the service formatted itself from a number it holds (money in pounds from
  integer pence, ``"-12.50"``), written unchanged so the spreadsheet reads it as a number;
* ``None`` is an empty cell.

Deciding by looks instead ("leave anything that reads as a number alone") would mean agreeing
with every spreadsheet and locale on what a number is (``-1,5``, ``-1e3``, ``- 2``, ``-12.50 ``),
and one that disagreed would run the cell. Only the code that formatted a value knows it is a
number, so only that code marks it as a ``Figure``; everything else is treated as text. Any other
value (a date, an enum) is written by its text, as text.

Lines end with CRLF (RFC 4180), and the text is UTF-8 once encoded (``CSV_MEDIA_TYPE``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


@dataclass(frozen=True, slots=True)
class Figure:
    """Text the service formatted from a number it holds (``"-12.50"`` pounds): written as it is.

    Never wrap text that came from a client in it: that is what the writer defuses."""

    text: str


Cell = str | int | float | Figure | None


def defused(text: str) -> str:
    """``text`` as a spreadsheet will show it and never run it: with ``'`` in front when it would
    start a formula, unchanged otherwise."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_rows(rows: Iterable[Sequence[Cell]]) -> str:
    """The rows as CSV lines, each ended with CRLF, every text cell defused."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([_written(cell) for cell in row] for row in rows)
    return out.getvalue()


def csv_table(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A whole CSV file: the header row, then the rows (only the header when there are none)."""
    return csv_rows([header]) + csv_rows(rows)


def _written(cell: object) -> str | int | float:
    if isinstance(cell, str):
        return defused(cell)
    if cell is None:
        return ""
    if isinstance(cell, Figure):
        return cell.text
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return cell
    return defused(str(cell))
