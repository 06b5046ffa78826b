"""The HTTP API: one router per resource; routes build a command and call a handler."""

from __future__ import annotations

from fastapi import APIRouter

from pupil_premium.api import budgets, panel, payment_runs, projects, reports, requests, settings


def routers() -> list[APIRouter]:
    return [
        settings.router,
        budgets.router,
        requests.router,
        panel.router,
        projects.router,
        payment_runs.router,
        reports.router,
    ]
