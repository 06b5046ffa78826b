"""The notices service's HTTP API: one router per resource."""

from __future__ import annotations

from fastapi import APIRouter

from notices.api import (
    academy_concerns,
    academy_orders,
    directions,
    interventions,
    notices,
    overview,
    secretary_of_state_notices,
)


def routers() -> list[APIRouter]:
    return [
        notices.router,
        interventions.router,
        directions.router,
        academy_concerns.router,
        secretary_of_state_notices.router,
        academy_orders.router,
        academy_orders.law_router,
        overview.router,
    ]
