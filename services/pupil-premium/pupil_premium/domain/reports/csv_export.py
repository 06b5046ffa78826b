"""CSV downloads of report rows, for the finance officer's and the virtual school's spreadsheets.

Columns follow the row's fields in order. Money fields (``..._pence``) are written in pounds with
two decimals, computed from integer pence, and their column is named ``..._pounds``; dates are
ISO 8601; an empty value is an empty cell. The file is written by the one CSV writer
(``shared.csv_cells``): text that a spreadsheet would run as a formula - a child's id, say - is
prefixed with an apostrophe, while counts and money in pounds stay numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import Any

from shared.csv_cells import Cell, Figure, csv_table

from ..money import pounds


def to_csv(rows: Sequence[Any], row_type: type | None = None) -> str:
    kind = row_type or (type(rows[0]) if rows else None)
    if kind is None or not dataclasses.is_dataclass(kind):
        raise ValueError("to_csv needs rows of a dataclass, or the row type when there are no rows")
    fields = [f.name for f in dataclasses.fields(kind)]
    return csv_table(
        [_header(name) for name in fields],
        ([_cell(name, getattr(row, name)) for name in fields] for row in rows),
    )


def _header(name: str) -> str:
    return name[: -len("_pence")] + "_pounds" if name.endswith("_pence") else name


def _cell(name: str, value: Any) -> Cell:
    if name.endswith("_pence") and value is not None:
        return Figure(pounds(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return _text(value)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(_text(item) for item in value)
    return str(value)
