"""Questions asked of the read models. Routes and scheduled jobs call these; no SQL lives in a route.

The table names are the projections' own, so a query reads the table its projection writes.
"""

from __future__ import annotations

from schools.queries.dashboard import dashboard, overdue_reviews
from schools.queries.schools import SchoolFilters, list_schools, profile
from schools.queries.support import days, schools_without_allocation

__all__ = [
    "SchoolFilters",
    "dashboard",
    "days",
    "list_schools",
    "overdue_reviews",
    "profile",
    "schools_without_allocation",
]
