"""The schools HTTP API: one router per resource."""

from __future__ import annotations

from fastapi import APIRouter

from schools.api import (
    calendar,
    categorisation,
    configuration,
    dashboard,
    imports,
    inspections,
    known_schools,
    performance,
    profiles,
    reviews,
    rise,
    schools,
    support,
)


def routers() -> list[APIRouter]:
    # The import's fixed path comes before /schools/{urn}, though no method is shared today.
    return [
        imports.router,
        schools.router,
        known_schools.router,
        profiles.router,
        inspections.router,
        categorisation.router,
        support.router,
        performance.router,
        reviews.router,
        rise.router,
        dashboard.router,
        configuration.router,
        calendar.router,
    ]
