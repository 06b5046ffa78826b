"""What every resource of the API shares: the text a client may send, the request body's base,
and the financial year named in the path.

Text is checked against the limits of ``shared.text`` after surrounding whitespace is trimmed, as
this service's commands have always trimmed it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict

from shared import text
from shared.text import Trimmed

from pupil_premium.domain.financial_year import FinancialYear

Name = Annotated[text.Name, Trimmed]
Label = Annotated[text.Label, Trimmed]
Title = Annotated[text.Title, Trimmed]
Note = Annotated[text.Note, Trimmed]


class Body(BaseModel):
    """Request bodies refuse fields they do not know, so a misspelt field is named, not ignored."""

    model_config = ConfigDict(extra="forbid")


def year_label(financial_year: str) -> str:
    """The year as written in the path, checked (422 naming ``financial_year`` when it is not one)."""
    return FinancialYear.parse(financial_year).label
