"""How a write is answered: its ETag and status, and the event types it recorded."""

from __future__ import annotations

from fastapi import Response
from pydantic import BaseModel

from shared.web.commands import Outcome, answered


def answer(response: Response, outcome: Outcome, *, created: bool = False) -> None:
    """The ETag and, for a route that creates, 201 when something new was recorded. The routes
    that create declare 201, their usual answer, so the request that changed nothing (the same
    offer or results sent again) is set to 200 here: ``answered`` leaves that status alone."""
    answered(response, outcome, created=created)
    if created and not outcome.recorded:
        response.status_code = 200


def nothing_new(model: type[BaseModel]) -> dict[int | str, dict]:
    """The other success status of a route that creates (declared ``status_code=201``): 200 for
    the request that recorded nothing new, with the same body."""
    return {
        200: {
            "model": model,
            "description": "Nothing new was recorded: the request repeated what is already recorded",
        }
    }


def recorded_types(outcome: Outcome) -> list[str]:
    return [r.event_type for r in outcome.recorded]
