"""Searching the database for personal data, as a data protection officer would after an erasure:
every row of every table, read as text."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import asyncpg


async def where_held(pool: asyncpg.Pool, values: Iterable[str], *, schemas: Sequence[str] | None = None) -> list[str]:
    """Each place one of ``values`` is found, as ``"schema"."table": value``, sorted: in every
    table of ``schemas`` (each must have tables, so a misspelt schema cannot pass for a clean
    one), or of every schema of the database."""
    values = list(values)
    tables = await pool.fetch(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_schema NOT IN ('pg_catalog', 'information_schema') "
        "AND ($1::text[] IS NULL OR table_schema = ANY($1::text[])) ORDER BY 1, 2",
        list(schemas) if schemas is not None else None,
    )
    searched = {t["table_schema"] for t in tables}
    assert schemas is None or searched == set(schemas), f"no tables in {set(schemas) - searched}"
    found = set()
    for table in tables:
        name = f'"{table["table_schema"]}"."{table["table_name"]}"'
        for row in await pool.fetch(f"SELECT t::text AS text FROM {name} t"):
            found |= {f"{name}: {value}" for value in values if value in row["text"]}
    return sorted(found)
