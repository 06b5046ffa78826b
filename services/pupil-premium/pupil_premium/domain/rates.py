"""The PP+ rate per looked-after child, by financial year (domain.md section 3, *configurable*)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .financial_year import FinancialYear
from .refusals import NoRateForYear


class RatesTable:
    """Pence per looked-after child, keyed by the financial year (``2024-25``)."""

    def __init__(self, rates: Mapping[str, int]) -> None:
        checked: dict[FinancialYear, int] = {}
        for label, pence in rates.items():
            if isinstance(pence, bool) or not isinstance(pence, int) or pence <= 0:
                raise ValueError(f"the rate for {label} must be a whole number of pence above zero")
            checked[FinancialYear.parse(label)] = pence
        self._rates = MappingProxyType(checked)

    def rate_for(self, year: FinancialYear) -> int:
        rate = self._rates.get(year)
        if rate is None:
            raise NoRateForYear(
                f"no PP+ rate is recorded for {year.label}; add it to the rates table "
                "or enter the amount from the grant letter",
                field="financial_year",
            )
        return rate

    def items(self) -> list[tuple[str, int]]:
        """Every year's rate, earliest first."""
        return [(year.label, pence) for year, pence in sorted(self._rates.items())]

    def with_rate(self, label: str, pence: int) -> RatesTable:
        return RatesTable({**{year.label: rate for year, rate in self._rates.items()}, label: pence})


DEFAULT_RATES = RatesTable(
    {
        "2014-15": 190_000,
        "2015-16": 190_000,
        "2016-17": 190_000,
        "2017-18": 190_000,
        "2018-19": 230_000,
        "2019-20": 230_000,
        "2020-21": 234_500,
        "2021-22": 234_500,
        "2022-23": 241_000,
        "2023-24": 253_000,
        "2024-25": 257_000,
        "2025-26": 263_000,
    }
)
