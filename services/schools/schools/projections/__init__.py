"""The schools read models, each a projection of the log into the ``schools`` schema."""

from __future__ import annotations

from schools.projections.profiles import SchoolProfiles
from schools.projections.reviews import ProgressReviews
from schools.projections.support import SupportYears
from shared.events import EventCatalogue


def read_models(catalogue: EventCatalogue) -> list[SchoolProfiles | SupportYears | ProgressReviews]:
    return [SchoolProfiles(catalogue), SupportYears(catalogue), ProgressReviews(catalogue)]
