"""School terms, whose dates each council sets (domain.md section 5, *configurable*).

A term is named by its season and the calendar year it starts in: ``autumn-2024`` (September to
December 2024), ``spring-2025`` (January to Easter 2025), ``summer-2025`` (Easter to July 2025).
A term belongs to the financial year in which it starts, so autumn 2024 and spring 2025 are paid
from the 2024-25 budget and summer 2025 from the 2025-26 budget. The dates come from the council's
one calendar (``shared.council_calendar``), whose years are named by the year they start in:
``terms_of_year`` names its terms this service's way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shared.council_calendar import SEASONS as CALENDAR_SEASONS
from shared.council_calendar import AcademicYearTerms
from shared.errors import InvalidInput

from .financial_year import FinancialYear

SEASONS = ("autumn", "spring", "summer")


@dataclass(frozen=True)
class Term:
    key: str
    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        season, _, year = self.key.partition("-")
        if season not in SEASONS or not (year.isdigit() and len(year) == 4):
            raise ValueError(f"{self.key!r} is not a term such as autumn-2024")

    @property
    def name(self) -> str:
        season, year = self.key.split("-")
        return f"{season.capitalize()} {year}"

    @property
    def financial_year(self) -> FinancialYear:
        return FinancialYear.containing(self.starts_on)


class TermCalendar:
    """A council's term dates, in date order."""

    def __init__(self, terms: Iterable[Term]) -> None:
        ordered = sorted(terms, key=lambda term: term.starts_on)
        for term in ordered:
            if term.ends_on < term.starts_on:
                raise ValueError(f"term {term.key} ends before it starts")
        for earlier, later in zip(ordered, ordered[1:], strict=False):
            if later.starts_on <= earlier.ends_on:
                raise ValueError(f"terms {earlier.key} and {later.key} overlap")
        self._terms = tuple(ordered)
        self._by_key = {term.key: term for term in ordered}
        if len(self._by_key) != len(ordered):
            raise ValueError("a term key is used twice")

    def __iter__(self):
        return iter(self._terms)

    def get(self, key: str, *, field: str = "term") -> Term:
        term = self._by_key.get(key)
        if term is None:
            raise InvalidInput(f"{key!r} is not a term in the council's term dates", field=field)
        return term

    def term_on(self, day: date) -> Term | None:
        """The term in progress on ``day``, or the last one to have started (during a holiday)."""
        current = None
        for term in self._terms:
            if term.starts_on <= day:
                current = term
            else:
                break
        return current

    def previous(self, term: Term) -> Term | None:
        index = self._terms.index(term)
        return self._terms[index - 1] if index > 0 else None

    def in_financial_year(self, year: FinancialYear) -> tuple[Term, ...]:
        return tuple(term for term in self._terms if term.financial_year == year)


def standard_term_dates(first_academic_year: int, last_academic_year: int) -> TermCalendar:
    """Default term dates when a council has not entered its own (domain.md section 5).

    Autumn runs 1 September to 31 December, spring 1 January to 31 March and summer 1 April to
    31 July. Councils replace these with their published dates.
    """
    terms = []
    for year in range(first_academic_year, last_academic_year + 1):
        terms.append(Term(f"autumn-{year}", date(year, 9, 1), date(year, 12, 31)))
        terms.append(Term(f"spring-{year + 1}", date(year + 1, 1, 1), date(year + 1, 3, 31)))
        terms.append(Term(f"summer-{year + 1}", date(year + 1, 4, 1), date(year + 1, 7, 31)))
    return TermCalendar(terms)


def terms_of_year(year: AcademicYearTerms) -> tuple[Term, ...]:
    """A year of the council calendar as this service's terms: academic year 2024 gives
    ``autumn-2024``, ``spring-2025`` and ``summer-2025``, first to last day (half-terms included)."""
    named_by = (year.academic_year, year.academic_year + 1, year.academic_year + 1)
    return tuple(
        Term(f"{season.value}-{calendar_year}", year.dates(season).start, year.dates(season).end)
        for season, calendar_year in zip(CALENDAR_SEASONS, named_by, strict=True)
    )
