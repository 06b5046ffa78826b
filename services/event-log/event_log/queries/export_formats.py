"""Writing exported events as NDJSON (one JSON event per line) or CSV, a page at a time.

NDJSON carries each event exactly as ``/feed`` does, so an export can be hash-checked line by
line. CSV is for spreadsheets: the same columns, with data, metadata and subjects as JSON text,
written by the one CSV writer (``shared.csv_cells``), so a text cell that a spreadsheet would run
as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum

import asyncpg

from shared.csv_cells import CSV_MEDIA_TYPE, csv_rows

CSV_COLUMNS = (
    "position",
    "stream_id",
    "stream_version",
    "type",
    "schema_version",
    "effective_date",
    "recorded_at",
    "subjects",
    "data",
    "metadata",
    "hash",
    "prev_hash",
    "withheld",
    "erased",
)


class ExportFormat(StrEnum):
    NDJSON = "ndjson"
    CSV = "csv"

    @property
    def media_type(self) -> str:
        return "application/x-ndjson" if self is ExportFormat.NDJSON else CSV_MEDIA_TYPE


def ndjson_page(rows: Sequence[asyncpg.Record]) -> bytes:
    dumps = json.dumps
    return "".join(
        f'{{"position":{r["position"]},"stream_id":{dumps(r["stream_id"])},'
        f'"stream_version":{r["stream_version"]},"type":{dumps(r["event_type"])},'
        f'"schema_version":{r["schema_version"]},"data":{r["data"]},"metadata":{r["metadata"]},'
        f'"effective_date":"{r["effective_date"].isoformat()}","recorded_at":"{r["recorded_at"].isoformat()}",'
        f'"subjects":{dumps(list(r["subjects"]))},"hash":"{bytes(r["hash"]).hex()}",'
        f'"prev_hash":"{bytes(r["prev_hash"]).hex()}"{_marks(r)}}}\n'
        for r in rows
    ).encode("utf-8")


def csv_header() -> bytes:
    return csv_rows([CSV_COLUMNS]).encode("utf-8")


def csv_page(rows: Sequence[asyncpg.Record]) -> bytes:
    return csv_rows(
        (
            r["position"],
            r["stream_id"],
            r["stream_version"],
            r["event_type"],
            r["schema_version"],
            r["effective_date"].isoformat(),
            r["recorded_at"].isoformat(),
            json.dumps(list(r["subjects"])),
            r["data"],
            r["metadata"],
            bytes(r["hash"]).hex(),
            bytes(r["prev_hash"]).hex(),
            *(json.dumps(r[mark]) if r.get(mark) else "" for mark in MARKS),
        )
        for r in rows
    ).encode("utf-8")


# Named beside an event whose personal fields were withheld from the reader, or erased.
MARKS = ("withheld", "erased")


def _marks(row: asyncpg.Record) -> str:
    return "".join(f',"{mark}":{json.dumps(row[mark])}' for mark in MARKS if row.get(mark))
