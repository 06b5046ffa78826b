"""CSV downloads of report rows, for the finance officer's and the virtual school's spreadsheets.

Columns follow the row's fields in order. Money fields (``..._pence``) are written in pounds with
two decimals, computed from integer pence, and their column is named ``..._pounds``; dates are
ISO 8601; an empty value is an empty cell.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Sequence
from datetime import date
from enum import Enum
from typing import Any

from ..money import pounds


def to_csv(rows: Sequence[Any], row_type: type | None = None) -> str:
    kind = row_type or (type(rows[0]) if rows else None)
    if kind is None or not dataclasses.is_dataclass(kind):
        raise ValueError("to_csv needs rows of a dataclass, or the row type when there are no rows")
    fields = [f.name for f in dataclasses.fields(kind)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_header(name) for name in fields])
    for row in rows:
        writer.writerow([_cell(name, getattr(row, name)) for name in fields])
    return buffer.getvalue()


def _header(name: str) -> str:
    return name[: -len("_pence")] + "_pounds" if name.endswith("_pence") else name


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name.endswith("_pence"):
        return pounds(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(_cell("", item) for item in value)
    return str(value)
