"""Money in integer pence, and reading commands from untrusted input.

Money is never a float (domain.md section 3: "rounding money with floats" must never happen).
``Pence`` accepts only a whole number of pence that is zero or more; ``PositivePence`` only more
than zero. A fractional amount (``12.5``), a float that happens to be whole (``12.0``), a string or
a boolean is refused, as is a negative amount.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, Strict, StringConstraints, ValidationError

from shared.errors import InvalidInput

Pence = Annotated[int, Strict(), Field(ge=0)]
PositivePence = Annotated[int, Strict(), Field(gt=0)]
Count = Annotated[int, Strict(), Field(ge=0)]

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Identifier = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]

M = TypeVar("M", bound=BaseModel)


def field_path(location: tuple[int | str, ...]) -> str:
    """``("milestones", 2, "due_on")`` -> ``"milestones[2].due_on"``."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def parse_command(command_type: type[M], data: Mapping[str, Any]) -> M:
    """Build a command from input, refusing bad values with ``InvalidInput`` naming the field.

    Only the first problem is reported, with its dotted path (``lines[0].amount_pence``), so the
    caller knows exactly which value to correct.
    """
    try:
        return command_type.model_validate(dict(data))
    except ValidationError as error:
        first = error.errors()[0]
        field = field_path(tuple(first["loc"]))
        raise InvalidInput(f"{field}: {_plain_message(first)}", field=field or None) from None


def _plain_message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "int_type":
        return "must be a whole number (money is in whole pence)"
    if kind == "greater_than_equal":
        return f"must not be less than {error['ctx']['ge']}"
    if kind == "greater_than":
        return f"must be more than {error['ctx']['gt']}"
    if kind == "missing":
        return "is required"
    return str(error["msg"])


def pounds(pence: int) -> str:
    """``123456`` -> ``"1234.56"``, by integer arithmetic only."""
    sign = "-" if pence < 0 else ""
    whole, part = divmod(abs(pence), 100)
    return f"{sign}{whole}.{part:02d}"
