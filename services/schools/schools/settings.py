"""The schools service's settings: the shared ones plus what the national register import needs.

``COUNCIL_LA_CODE`` is the council's own local authority code (three digits, Kent 886): the
national register's rows with it are the council's register, every other row a known school.
``NATIONAL_REGISTER_FILE`` and ``NATIONAL_REGISTER_LINKS_FILE`` are where the operator puts each
month's download from Get Information About Schools ("edubasealldata", about 60 MB, and its
links file); the import routes read them from there a row at a time, so the request size limit
stays what it is for every other route (docs/operations.md, "The national register").
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, field_validator

from schools.domain.establishments import valid_la_code
from shared.settings import ServiceSettings


class SchoolsSettings(ServiceSettings):
    council_la_code: str | None = Field(
        default=None, description="the council's local authority code, e.g. 886 (Kent)"
    )
    national_register_file: Path | None = Field(
        default=None, description="where the month's edubasealldata CSV is put for the import"
    )
    national_register_links_file: Path | None = Field(
        default=None, description="where the month's links CSV is put for the import"
    )

    @field_validator("council_la_code")
    @classmethod
    def _three_digits(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return valid_la_code(value.strip(), field="COUNCIL_LA_CODE")
