"""The path parameters of the schools API, checked before any route runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

Identifier = Annotated[str, Path(pattern=r"^[A-Za-z0-9._:-]{1,64}$", description="an identifier")]
AcademicYear = Annotated[int, Path(ge=1990, le=2100, description="the year it starts: 2026 is 2026-27")]
Year = Annotated[int, Path(ge=1990, le=2100, description="the summer the tests were sat")]
