"""The financial year (April to March) and its quarters, and the budget stream that holds it.

PP+ is a grant per looked-after child per financial year (domain.md section 3); a year is written
the way a finance officer writes it, ``2024-25``, and runs from 1 April 2024 to 31 March 2025.
Quarter 1 is April to June, quarter 4 January to March.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from pydantic import AfterValidator

from shared.errors import InvalidInput

BUDGET_CATEGORY = "ppbudget"

_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class FinancialYear:
    starts_in: int  # the calendar year in which the financial year begins (April)

    @classmethod
    def parse(cls, label: str, *, field: str = "financial_year") -> FinancialYear:
        match = _LABEL.match(label)
        if match is None:
            raise InvalidInput(f"{label!r} is not a financial year such as 2024-25", field=field)
        first = int(match.group(1))
        if int(match.group(2)) != (first + 1) % 100:
            raise InvalidInput(f"{label!r} is not a financial year such as 2024-25", field=field)
        return cls(first)

    @classmethod
    def containing(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.starts_in}-{(self.starts_in + 1) % 100:02d}"

    @property
    def first_day(self) -> date:
        return date(self.starts_in, 4, 1)

    @property
    def last_day(self) -> date:
        return date(self.starts_in + 1, 3, 31)

    def includes(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def quarter(self, number: int) -> Quarter:
        if number not in (1, 2, 3, 4):
            raise InvalidInput("a quarter is 1, 2, 3 or 4", field="quarter")
        return Quarter(self, number)

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True)
class Quarter:
    year: FinancialYear
    number: int

    @property
    def first_day(self) -> date:
        month = 4 + 3 * (self.number - 1)
        year = self.year.starts_in
        if month > 12:
            month -= 12
            year += 1
        return date(year, month, 1)

    @property
    def last_day(self) -> date:
        if self.number == 4:
            return self.year.last_day
        return self.year.quarter(self.number + 1).first_day - timedelta(days=1)

    def includes(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    @property
    def label(self) -> str:
        return f"{self.year.label} Q{self.number}"


def _valid_label(label: str) -> str:
    try:
        FinancialYear.parse(label)
    except InvalidInput as error:
        raise ValueError(error.detail) from None
    return label


FinancialYearLabel = Annotated[str, AfterValidator(_valid_label)]


def budget_stream_id(financial_year: FinancialYear | str) -> str:
    """The stream holding one financial year's budget, e.g. ``ppbudget-2024-25``."""
    year = (
        financial_year if isinstance(financial_year, FinancialYear) else FinancialYear.parse(financial_year)
    )
    return f"{BUDGET_CATEGORY}-{year.label}"
