"""The identifiers the API accepts in paths, queries and bodies."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path


IDENTIFIER = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"

ChildId = Annotated[
    str, Path(pattern=IDENTIFIER, description="The council's identifier of the child", examples=["C000001"])
]
PepId = Annotated[str, Path(pattern=IDENTIFIER, description="The PEP's identifier")]
AlertId = Annotated[
    str, Path(pattern=r"^\d{1,19}:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description="<source event>:<child>")
]
AcademicYear = Annotated[
    int, Path(ge=2000, le=2100, description="The year the academic year starts: 2026 is 2026/27")
]
