"""A school's unique reference number (URN), the one rule for every service.

The URN is the number the DfE's register, Get Information About Schools (GIAS), gives each
establishment: six ASCII digits, e.g. ``118234`` (docs/domain.md section 1; a new academy gets a
new one). Leading zeros are not used, but the value is still text: it names streams
(``school-<urn>``) and is compared as given.

* ``Urn`` - a request-body (or domain model) field;
* ``UrnPath`` / ``UrnQuery`` - a path or query parameter (``UrnQuery`` may be left out);
* ``is_urn(text)`` / ``require_urn(text, field)`` - for domain code, which refuses with
  ``InvalidInput`` naming the field.

All of them document the same description, pattern and example in OpenAPI and refuse with the
same message, so a caller sees one rule whichever service they call.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path, Query
from pydantic import AfterValidator, Field

from shared.errors import InvalidInput

PATTERN = r"^[0-9]{6}$"
EXAMPLE = "118234"
DESCRIPTION = "The school's unique reference number (URN) in Get Information About Schools: six digits"
RULE = f"a URN is exactly six digits, e.g. {EXAMPLE}"

_URN = re.compile(r"[0-9]{6}")
# The pattern is documented in the schema; the check itself is the validator, so a refusal says
# what a URN is rather than quoting a regular expression.
_SCHEMA = {"pattern": PATTERN}


def is_urn(text: object) -> bool:
    """Whether ``text`` is a URN: a string of exactly six ASCII digits (no spaces, no signs)."""
    return isinstance(text, str) and _URN.fullmatch(text) is not None


def require_urn(text: object, field: str = "urn") -> str:
    """``text`` if it is a URN, else ``InvalidInput`` naming ``field``."""
    if isinstance(text, str) and is_urn(text):
        return text
    raise InvalidInput(f"{field}: {text!r} is not a URN: {RULE}", field=field)


def _checked(value: str | None) -> str | None:
    if value is not None and not is_urn(value):
        raise ValueError(RULE)
    return value


Urn = Annotated[
    str,
    Field(description=DESCRIPTION, examples=[EXAMPLE], json_schema_extra=_SCHEMA),
    AfterValidator(_checked),
]
UrnPath = Annotated[
    str,
    Path(description=DESCRIPTION, examples=[EXAMPLE], json_schema_extra=_SCHEMA),
    AfterValidator(_checked),
]
UrnQuery = Annotated[
    str | None,
    Query(description=DESCRIPTION, examples=[EXAMPLE], json_schema_extra=_SCHEMA),
    AfterValidator(_checked),
]
